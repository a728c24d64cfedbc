#if canImport(Glibc)
import Glibc
#endif

/// Waits on several descriptors at once (poll(2)), for a single-threaded event loop such
/// as the dashboard's: terminal, control socket, signals. Other threads interrupt a wait
/// with `wake()`.
public final class Poller: Sendable {
    /// What to wait for, and what happened.
    public struct Events: OptionSet, Sendable, Hashable {
        public let rawValue: Int16
        public init(rawValue: Int16) { self.rawValue = rawValue }

        public static let readable = Events(rawValue: Int16(POLLIN))
        public static let writable = Events(rawValue: Int16(POLLOUT))
        /// Reported only: the peer hung up (a read will return end of file).
        public static let hangup = Events(rawValue: Int16(POLLHUP))
        /// Reported only: an error is pending on the descriptor.
        public static let error = Events(rawValue: Int16(POLLERR))
        /// Reported only: the descriptor is not open.
        public static let invalid = Events(rawValue: Int16(POLLNVAL))
    }

    /// One descriptor to watch.
    public struct Interest: Sendable, Hashable {
        public var fileDescriptor: Int32
        public var events: Events
        public init(_ fileDescriptor: Int32, _ events: Events = .readable) {
            self.fileDescriptor = fileDescriptor
            self.events = events
        }
    }

    /// The outcome of one `wait`.
    public struct Result: Sendable, Hashable {
        /// Descriptors with something to report, in the order they were given.
        public var ready: [Interest]
        /// Whether `wake()` was called since the previous wait.
        public var woken: Bool
        /// Nothing happened before the timeout.
        public var timedOut: Bool { ready.isEmpty && !woken }

        /// What happened on `fileDescriptor` (empty if nothing).
        public func events(for fileDescriptor: Int32) -> Events {
            ready.first { $0.fileDescriptor == fileDescriptor }?.events ?? []
        }
    }

    private let wakeRead: Int32
    private let wakeWrite: Int32

    public init() throws {
        let pipe = try makePipe()
        // Both ends non-blocking: a burst of wakes must never block the waker, and draining stops at empty.
        setNonBlocking(pipe.read)
        setNonBlocking(pipe.write)
        wakeRead = pipe.read
        wakeWrite = pipe.write
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Blocks until a descriptor is ready, `wake()` is called, or `timeout` passes
    /// (nil: no timeout). Signals arriving meanwhile do not end the wait early by themselves.
    public func wait(for interests: [Interest], timeout: Duration? = nil) throws -> Result {
        var fds = interests.map { pollfd(fd: $0.fileDescriptor, events: $0.events.rawValue, revents: 0) }
        fds.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            let milliseconds = deadline.map { ($0 - ContinuousClock.now).pollMilliseconds } ?? -1
            let count = poll(&fds, nfds_t(fds.count), milliseconds)
            if count < 0 {
                // EINTR: a signal handler ran; its SignalPipe is readable now, so poll again.
                if errno == EINTR { continue }
                throw TransportError.last("poll")
            }
            var result = Result(ready: [], woken: false)
            if fds[fds.count - 1].revents != 0 {
                result.woken = true
                drainWakePipe()
            }
            for (index, interest) in interests.enumerated() where fds[index].revents != 0 {
                result.ready.append(Interest(interest.fileDescriptor, Events(rawValue: fds[index].revents)))
            }
            return result
        }
    }

    /// Convenience: waits for any of `fileDescriptors` to become readable.
    public func wait(readable fileDescriptors: [Int32], timeout: Duration? = nil) throws -> Result {
        try wait(for: fileDescriptors.map { Interest($0) }, timeout: timeout)
    }

    /// Makes the current or next `wait` return with `woken` set. Callable from any thread.
    public func wake() {
        var byte: UInt8 = 1
        // EAGAIN means the pipe is full: a wake-up is already pending.
        _ = retryingEINTR { write(wakeWrite, &byte, 1) }
    }

    private func drainWakePipe() {
        var sink = [UInt8](repeating: 0, count: 256)
        while retryingEINTR({ read(wakeRead, &sink, sink.count) }) > 0 {}
    }
}
