#if canImport(Glibc)
import Glibc
#endif

// Small wrappers over system calls that Swift's Glibc module hides behind _GNU_SOURCE,
// plus the EINTR and close-on-exec discipline every other file relies on.

/// GNU extensions looked up at run time because the Glibc module does not declare them.
enum GNU {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
    typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let pipe2: Pipe2? = symbol("pipe2")
    static let accept4: Accept4? = symbol("accept4")
    static let setThreadName: SetName? = symbol("pthread_setname_np")
    /// glibc 2.34+: closes every descriptor >= n in the child, covering fds others opened without O_CLOEXEC.
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<F>(_ name: String) -> F? {
        guard let pointer = dlsym(nil, name) else { return nil }
        return unsafeBitCast(pointer, to: F.self)
    }
}

/// Runs `body` until it stops failing with EINTR.
@inline(__always)
func retryingEINTR<T: BinaryInteger>(_ body: () -> T) -> T {
    while true {
        let result = body()
        if result == -1 && errno == EINTR { continue }
        return result
    }
}

func setCloseOnExec(_ fd: Int32) {
    let flags = fcntl(fd, F_GETFD)
    if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
}

func setNonBlocking(_ fd: Int32, _ on: Bool = true) {
    let flags = fcntl(fd, F_GETFL)
    guard flags >= 0 else { return }
    _ = fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK)
}

func isNonBlocking(_ fd: Int32) -> Bool {
    let flags = fcntl(fd, F_GETFL)
    return flags >= 0 && flags & O_NONBLOCK != 0
}

func isSocket(_ fd: Int32) -> Bool {
    var st = stat()
    return fstat(fd, &st) == 0 && st.st_mode & S_IFMT == S_IFSOCK
}

/// Moves `fd` to a number >= 3 so it can never collide with a child's stdio when dup2'd.
func movedAboveStdio(_ fd: Int32) throws -> Int32 {
    guard fd < 3 else { return fd }
    let moved = fcntl(fd, F_DUPFD_CLOEXEC, 3)
    let saved = errno
    close(fd)
    guard moved >= 0 else { throw TransportError.system(call: "fcntl(F_DUPFD_CLOEXEC)", errno: saved) }
    return moved
}

/// A close-on-exec pipe whose ends are both above the stdio numbers.
func makePipe() throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    if let pipe2 = GNU.pipe2 {
        guard pipe2(&fds, O_CLOEXEC) == 0 else { throw TransportError.last("pipe2") }
    } else {
        guard pipe(&fds) == 0 else { throw TransportError.last("pipe") }
        setCloseOnExec(fds[0])
        setCloseOnExec(fds[1])
    }
    do {
        let readEnd = try movedAboveStdio(fds[0])
        fds[0] = -1
        do {
            return (readEnd, try movedAboveStdio(fds[1]))
        } catch {
            close(readEnd)
            throw error
        }
    } catch {
        if fds[0] >= 0 { close(fds[0]) }
        throw error
    }
}

/// Waits until `fd` reports one of `events` (used after EAGAIN on a non-blocking descriptor).
func waitFor(_ fd: Int32, events: Int16) {
    var entry = pollfd(fd: fd, events: events, revents: 0)
    _ = retryingEINTR { poll(&entry, 1, -1) }
}

/// Waits at most `timeout` for `events` (or a hang-up); false when the time ran out.
func waitFor(_ fd: Int32, events: Int16, timeout: Duration) -> Bool {
    var entry = pollfd(fd: fd, events: events, revents: 0)
    return retryingEINTR { poll(&entry, 1, timeout.pollMilliseconds) } != 0
}

extension Duration {
    /// Milliseconds for poll(2), rounded up so a short timeout never becomes a busy loop.
    var pollMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        if millis.overflow { return Int32.max }
        let total = millis.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: total)
    }

    var timeval: timeval {
        let (seconds, attoseconds) = components
        if seconds < 0 { return Glibc.timeval(tv_sec: 0, tv_usec: 0) }
        var micros = Int(attoseconds / 1_000_000_000_000)
        // A zero timeval means "no timeout" to SO_SNDTIMEO, so never round a positive duration down to it.
        if seconds == 0 && micros == 0 && attoseconds > 0 { micros = 1 }
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: micros)
    }
}
