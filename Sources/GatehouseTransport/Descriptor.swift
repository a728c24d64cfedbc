#if canImport(Glibc)
import Glibc
#endif

/// A file descriptor shared by threads. Closing waits for in-flight system calls to finish
/// before calling close(2), so a reader or writer on another thread can never reach a
/// descriptor number that the kernel has already handed to someone else.
final class Descriptor: Sendable {
    let fd: Int32
    /// Whether close(2) is ours to call; borrowed descriptors are only marked closed.
    let owned: Bool
    /// Sockets are shut down on close, which wakes threads blocked in read or write.
    let isSocket: Bool

    private struct State {
        var users = 0
        var closing = false
        var released = false
    }
    private let state = Locked(State())

    init(_ fd: Int32, owned: Bool, isSocket: Bool? = nil) {
        self.fd = fd
        self.owned = owned
        self.isSocket = isSocket ?? GatehouseTransport.isSocket(fd)
    }

    deinit {
        let release = state.withLock { state -> Bool in
            defer { state.released = true }
            return !state.released
        }
        if release && owned { _ = Glibc.close(fd) }
    }

    var isClosed: Bool { state.withLock { $0.closing } }

    /// Runs `body` with the descriptor, or throws `.closed` once `close()` has been called.
    func use<R>(_ body: (Int32) throws -> R) throws -> R {
        let admitted = state.withLock { state -> Bool in
            guard !state.closing else { return false }
            state.users += 1
            return true
        }
        guard admitted else { throw TransportError.closed }
        defer { leave() }
        return try body(fd)
    }

    private func leave() {
        let release = state.withLock { state -> Bool in
            state.users -= 1
            guard state.closing, state.users == 0, !state.released else { return false }
            state.released = true
            return true
        }
        if release && owned { _ = Glibc.close(fd) }
    }

    /// Marks the descriptor closed; the actual close(2) happens once no call is using it.
    func close() {
        let release = state.withLock { state -> Bool in
            guard !state.closing else { return false }
            state.closing = true
            // Under the lock, so the fd cannot have been released and reused yet.
            if isSocket && owned { _ = shutdown(fd, Int32(SHUT_RDWR)) }
            guard state.users == 0 else { return false }
            state.released = true
            return true
        }
        if release && owned { _ = Glibc.close(fd) }
    }
}
