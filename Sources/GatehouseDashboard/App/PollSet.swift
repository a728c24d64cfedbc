#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// poll(2) over a handful of descriptors: the dashboard's one wait. (GatehouseTransport's
/// Poller does the same, but this target does not depend on it; this is all we need.)
enum PollSet {
    /// Waits until one of `fds` is readable (or hung up / in error), or `timeout` seconds
    /// pass. Returns the ready descriptors with their events; empty on timeout or signal.
    static func wait(_ fds: [Int32], timeout: Double) -> [Int32: Int16] {
        var set = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ms = Int32(max(0, min(timeout, 60) * 1000).rounded(.up))
        let n = poll(&set, nfds_t(set.count), ms)
        guard n > 0 else { return [:] }  // timeout, or EINTR (a signal: the caller re-checks)
        var ready: [Int32: Int16] = [:]
        for p in set where p.revents != 0 { ready[p.fd] = p.revents }
        return ready
    }
}
