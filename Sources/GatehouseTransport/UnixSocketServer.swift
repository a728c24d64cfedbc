#if canImport(Glibc)
import Glibc
#endif

/// A Unix stream socket server that only talks to the peers it authorizes.
///
/// `listen` makes the socket's directory private (0700, ours), clears a stale socket left
/// by a crashed server, refuses to start over a live one, and binds the socket with mode
/// 0600. A thread accepts connections, reads each peer's credentials (SO_PEERCRED) and asks
/// `authorize`; refused peers are disconnected at once and reported to `onRefused`.
/// Each accepted connection is handed to `onConnection` on a new thread of its own, which
/// may block reading it for as long as the connection lives; the handler owns the
/// connection and must close it.
public final class UnixSocketServer: Sendable {
    public let path: String

    private let acceptThread: NativeThread
    private let wakeWrite: Int32
    private let stopped: StopFlag
    /// Which file we bound, so `stop` never unlinks a socket another server put there since.
    private let socketIdentity: (device: UInt, inode: UInt)

    private init(path: String, acceptThread: NativeThread, wakeWrite: Int32, stopped: StopFlag, socketIdentity: (UInt, UInt)) {
        self.path = path
        self.acceptThread = acceptThread
        self.wakeWrite = wakeWrite
        self.stopped = stopped
        self.socketIdentity = socketIdentity
    }

    deinit {
        // Normally `stop` has run. If not, closing the wake pipe ends the accept loop (it
        // holds no reference to us), and nobody will join the thread, so let it go.
        // The socket file stays; the next server clears it as stale.
        if stopped.set() {
            _ = Glibc.close(wakeWrite)
            acceptThread.detach()
        }
    }

    /// Binds `path` and starts accepting.
    /// - Parameters:
    ///   - maxLineSize: the limit of each connection's reader.
    ///   - writeTimeout: applied to every accepted connection, so a client that stops
    ///     reading cannot block the server's writers forever. Nil means no bound.
    ///   - authorize: decides on each peer; by default our own user and root.
    ///   - onRefused: told about each refused peer (on the accept thread), e.g. to log it.
    ///   - onError: told about accept failures that the loop survives (e.g. EMFILE).
    ///   - onConnection: receives each authorized connection on a new thread.
    /// - Throws: `.alreadyListening`, `.insecureDirectory`, `.notASocket`, `.pathTooLong`,
    ///   `.permissionDenied`, or a system error.
    public static func listen(
        path: String,
        maxLineSize: Int = LineReader.defaultMaxLineSize,
        writeTimeout: Duration? = nil,
        authorize: @escaping @Sendable (PeerCredentials) -> Bool = { $0.isCurrentUserOrRoot },
        onRefused: @escaping @Sendable (PeerCredentials) -> Void = { _ in },
        onError: @escaping @Sendable (TransportError) -> Void = { _ in },
        onConnection: @escaping @Sendable (UnixSocketConnection) -> Void
    ) throws -> UnixSocketServer {
        guard path.utf8.count <= UnixSocketAddress.maxPathLength else { throw TransportError.pathTooLong(path: path) }
        let directory = SocketDirectory.parent(of: path)
        try SocketDirectory.prepare(directory)
        let (listener, identity) = try withDirectoryLock(directory) { () throws -> (Int32, (UInt, UInt)) in
            try removeStaleSocket(at: path)
            return try bindListener(at: path)
        }

        let wake: (read: Int32, write: Int32)
        do {
            wake = try makePipe()
            setNonBlocking(wake.write)
        } catch {
            _ = Glibc.close(listener)
            _ = unlink(path)
            throw error
        }
        let stopped = StopFlag()
        let loop = AcceptLoop(
            listener: listener, wake: wake.read, stopped: stopped,
            maxLineSize: maxLineSize, writeTimeout: writeTimeout,
            authorize: authorize, onRefused: onRefused, onError: onError, onConnection: onConnection
        )
        let thread: NativeThread
        do {
            thread = try NativeThread.start(name: "gh-accept", loop.run)
        } catch {
            for fd in [listener, wake.read, wake.write] { _ = Glibc.close(fd) }
            _ = unlink(path)
            throw error
        }
        return UnixSocketServer(path: path, acceptThread: thread, wakeWrite: wake.write, stopped: stopped, socketIdentity: identity)
    }

    /// Stops accepting, closes the listening socket, removes the socket file and waits for
    /// the accept thread to end (unless called from it, e.g. inside `authorize`).
    /// Connections already handed out stay open. Idempotent.
    public func stop() {
        guard stopped.set() else { return }
        var byte: UInt8 = 1
        _ = retryingEINTR { Glibc.write(wakeWrite, &byte, 1) }
        if acceptThread.isCurrent {
            acceptThread.detach()
        } else {
            acceptThread.join()
        }
        _ = Glibc.close(wakeWrite)
        var info = stat()
        if lstat(path, &info) == 0, UInt(info.st_dev) == socketIdentity.device, UInt(info.st_ino) == socketIdentity.inode {
            _ = unlink(path)
        }
    }
}

/// Set once; `set` reports whether this call was the one that set it.
private final class StopFlag: Sendable {
    private let value = Locked(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() -> Bool {
        value.withLock { value in
            defer { value = true }
            return !value
        }
    }
}

/// Serializes "probe, unlink stale, bind" between servers starting at the same moment,
/// which could otherwise unlink each other's fresh sockets.
private func withDirectoryLock<R>(_ directory: String, _ body: () throws -> R) throws -> R {
    let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw TransportError.system(call: "open \(directory)", errno: errno) }
    defer { _ = close(fd) }
    guard retryingEINTR({ flock(fd, LOCK_EX) }) == 0 else { throw TransportError.system(call: "flock \(directory)", errno: errno) }
    return try body()
}

/// Unlinks a socket nobody answers on; throws if someone does or the path is not a socket.
private func removeStaleSocket(at path: String) throws {
    var info = stat()
    if lstat(path, &info) != 0 {
        if errno == ENOENT { return }
        throw TransportError.system(call: "lstat \(path)", errno: errno)
    }
    guard info.st_mode & S_IFMT == S_IFSOCK else { throw TransportError.notASocket(path: path) }
    let probe = try makeUnixSocket(nonBlocking: true)
    defer { _ = close(probe) }
    let code: Int32 = try UnixSocketAddress.with(path: path) { address, length in
        connect(probe, address, length) == 0 ? 0 : errno
    }
    switch code {
    case 0, EAGAIN, EINPROGRESS:
        // EAGAIN: a full backlog, so a live server that is busy.
        throw TransportError.alreadyListening(path: path)
    case ECONNREFUSED:
        if unlink(path) != 0 && errno != ENOENT { throw TransportError.system(call: "unlink \(path)", errno: errno) }
    case ENOENT:
        return
    default:
        throw TransportError.system(call: "connect \(path)", errno: code)
    }
}

/// A non-blocking listener at `path` with mode 0600, and the identity of the socket file.
private func bindListener(at path: String) throws -> (Int32, (UInt, UInt)) {
    let fd = try makeUnixSocket(nonBlocking: true)
    do {
        // Linux creates the socket file with the socket inode's mode minus the umask: setting
        // it first means the file is never wider than 0600, not even for an instant.
        _ = fchmod(fd, 0o600)
        try UnixSocketAddress.with(path: path) { address, length in
            guard bind(fd, address, length) == 0 else {
                switch errno {
                case EADDRINUSE: throw TransportError.alreadyListening(path: path)
                case EACCES: throw TransportError.permissionDenied(path: path)
                default: throw TransportError.system(call: "bind \(path)", errno: errno)
                }
            }
        }
    } catch {
        _ = close(fd)
        throw error
    }
    do {
        // Exact mode whatever the umask did (it can only have narrowed it).
        guard chmod(path, 0o600) == 0 else { throw TransportError.system(call: "chmod \(path)", errno: errno) }
        guard Glibc.listen(fd, 128) == 0 else { throw TransportError.last("listen") }
        var info = stat()
        guard stat(path, &info) == 0 else { throw TransportError.system(call: "stat \(path)", errno: errno) }
        return (fd, (UInt(info.st_dev), UInt(info.st_ino)))
    } catch {
        _ = close(fd)
        _ = unlink(path)
        throw error
    }
}

/// The accept thread's state; it owns the listener and the wake pipe's read end.
private struct AcceptLoop: Sendable {
    let listener: Int32
    let wake: Int32
    let stopped: StopFlag
    let maxLineSize: Int
    let writeTimeout: Duration?
    let authorize: @Sendable (PeerCredentials) -> Bool
    let onRefused: @Sendable (PeerCredentials) -> Void
    let onError: @Sendable (TransportError) -> Void
    let onConnection: @Sendable (UnixSocketConnection) -> Void

    func run() {
        defer {
            _ = close(listener)
            _ = close(wake)
        }
        var pause: Int32 = -1
        while !stopped.isSet {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, pause)
            pause = -1
            if ready < 0 {
                if errno == EINTR { continue }
                onError(.last("poll"))
                return
            }
            if fds[1].revents != 0 || stopped.isSet { return }
            if fds[0].revents != 0 && !acceptPending() {
                // Out of descriptors or memory: back off instead of spinning on a ready listener.
                pause = 100
            }
        }
    }

    /// Accepts until the backlog is empty; false when accept failed for lack of resources.
    private func acceptPending() -> Bool {
        while !stopped.isSet {
            let fd: Int32
            if let accept4 = GNU.accept4 {
                fd = accept4(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
            } else {
                fd = accept(listener, nil, nil)
                if fd >= 0 { setCloseOnExec(fd) }
            }
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED, EPROTO: continue
                case EAGAIN, EWOULDBLOCK: return true
                default:
                    onError(.last("accept"))
                    return false
                }
            }
            // Accepted sockets must block: readers and writers rely on it.
            setNonBlocking(fd, false)
            handle(fd)
        }
        return true
    }

    private func handle(_ fd: Int32) {
        let peer: PeerCredentials
        do {
            peer = try PeerCredentials.of(socket: fd)
        } catch {
            _ = close(fd)
            onError(error as? TransportError ?? .last("getsockopt"))
            return
        }
        guard authorize(peer) else {
            _ = close(fd)
            onRefused(peer)
            return
        }
        do {
            let connection = try UnixSocketConnection(adopting: fd, peer: peer, maxLineSize: maxLineSize)
            if let writeTimeout {
                do {
                    try connection.setWriteTimeout(writeTimeout)
                } catch {
                    connection.close()
                    throw error
                }
            }
            let onConnection = onConnection
            do {
                try NativeThread.detach(name: "gh-conn") { onConnection(connection) }
            } catch {
                connection.close()
                throw error
            }
        } catch {
            onError(error as? TransportError ?? .last("accept"))
        }
    }
}
