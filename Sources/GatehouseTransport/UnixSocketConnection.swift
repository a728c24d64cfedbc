#if canImport(Glibc)
import Glibc
#endif

/// A connected Unix stream socket carrying newline-delimited messages.
///
/// One thread reads (`reader.next()` or, from a poll loop, `reader.readAvailable()`);
/// any number of threads write whole lines. `close()` may be called from any thread at any
/// time: it shuts the socket down, which wakes a reader blocked in read(2) (it sees end of
/// stream) and a writer blocked in write(2) (it gets `.brokenPipe`).
public final class UnixSocketConnection: Sendable {
    /// The process at the other end: the client for accepted connections, the server for
    /// connections we opened.
    public let peer: PeerCredentials
    /// Incoming lines.
    public let reader: LineReader
    /// Outgoing lines; safe to share between threads. Its `close()` closes the whole connection.
    public let writer: FDWriter
    private let descriptor: Descriptor

    /// Takes ownership of a connected socket (closing it if its peer cannot be read).
    init(adopting fd: Int32, peer: PeerCredentials? = nil, maxLineSize: Int) throws {
        do {
            self.peer = try peer ?? PeerCredentials.of(socket: fd)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        descriptor = Descriptor(fd, owned: true, isSocket: true)
        reader = LineReader(descriptor: descriptor, maxLineSize: maxLineSize)
        writer = FDWriter(descriptor: descriptor)
    }

    /// Connects to the server listening at `path`.
    /// - Parameter writeTimeout: how long a write (and the connect itself) may wait for a
    ///   peer that does not read; nil waits forever.
    /// - Throws: `.noListener(path)` ("no gateway listening at PATH"), `.permissionDenied(path)`,
    ///   `.pathTooLong`, or `.writeTimedOut` when the server's backlog stayed full.
    public static func connect(
        path: String,
        writeTimeout: Duration? = nil,
        maxLineSize: Int = LineReader.defaultMaxLineSize
    ) throws -> UnixSocketConnection {
        let fd = try makeUnixSocket()
        do {
            if let writeTimeout { try setSendTimeout(fd, writeTimeout) }
            try UnixSocketAddress.with(path: path) { address, length in
                if Glibc.connect(fd, address, length) == 0 { return }
                var code = errno
                if code == EINTR {
                    // The connect goes on in the background; wait for its outcome.
                    waitFor(fd, events: Int16(POLLOUT))
                    var result: Int32 = 0
                    var size = socklen_t(MemoryLayout<Int32>.size)
                    code = getsockopt(fd, SOL_SOCKET, SO_ERROR, &result, &size) == 0 ? result : errno
                    if code == 0 { return }
                }
                switch code {
                case ENOENT, ECONNREFUSED, ENOTDIR:
                    throw TransportError.noListener(path: path)
                case EACCES, EPERM:
                    throw TransportError.permissionDenied(path: path)
                case EAGAIN:
                    throw TransportError.writeTimedOut
                default:
                    throw TransportError.system(call: "connect \(path)", errno: code)
                }
            }
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        return try UnixSocketConnection(adopting: fd, maxLineSize: maxLineSize)
    }

    /// The socket, e.g. to hand to a `Poller`. Do not close it yourself; use `close()`.
    public var fileDescriptor: Int32 { descriptor.fd }

    /// True once `close()` was called.
    public var isClosed: Bool { descriptor.isClosed }

    /// Sends `line` plus `\n` as one unit.
    public func send(_ line: String) throws {
        try writer.writeLine(line)
    }

    /// Sends `line` plus `\n` as one unit.
    public func send(_ line: some Collection<UInt8>) throws {
        try writer.writeLine(line)
    }

    /// Bounds how long one write may block on a peer that stopped reading (SO_SNDTIMEO);
    /// nil removes the bound. After a timeout the writer fails for good (`.writeTimedOut`).
    public func setWriteTimeout(_ timeout: Duration?) throws {
        try descriptor.use { try setSendTimeout($0, timeout ?? .zero) }
    }

    /// Shuts the socket down and closes it once no other thread is inside a read or write.
    /// Idempotent.
    public func close() {
        descriptor.close()
    }
}

/// A zero duration clears the timeout, as SO_SNDTIMEO defines.
func setSendTimeout(_ fd: Int32, _ timeout: Duration) throws {
    var value = timeout.timeval
    guard setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
        throw TransportError.last("setsockopt(SO_SNDTIMEO)")
    }
}
