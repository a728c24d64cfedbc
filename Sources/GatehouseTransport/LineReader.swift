#if canImport(Glibc)
import Glibc
#endif

/// Splits what arrives on a file descriptor into lines.
///
/// Reads in large chunks and finds newlines with `memchr`. Each line comes back as bytes
/// without its `\n` and without a `\r` right before it. A line longer than `maxLineSize`
/// is reported once as `.tooLong` and its bytes are dropped as they stream past, so memory
/// stays near `maxLineSize` however long the line. At end of stream a last line without
/// newline is still returned.
///
/// `next()` blocks: call it from a thread dedicated to this stream. An event loop that
/// polls the descriptor uses `readAvailable()` instead. Calls are serialized internally,
/// but one consumer per reader is the intended use.
public final class LineReader: Sendable {
    /// 16 MiB: larger than any sane JSON-RPC message, small enough to bound memory.
    public static let defaultMaxLineSize = 16 << 20
    /// Bytes requested per read(2), at least.
    public static let chunkSize = 64 << 10

    public let maxLineSize: Int
    let descriptor: Descriptor

    private struct State {
        let buffer: LineBuffer
        var ended = false
    }
    private let state: Locked<State>

    /// A reader over `fileDescriptor`. With `ownsDescriptor`, the reader closes it when released.
    public convenience init(fileDescriptor: Int32, maxLineSize: Int = LineReader.defaultMaxLineSize, ownsDescriptor: Bool = false) {
        self.init(descriptor: Descriptor(fileDescriptor, owned: ownsDescriptor), maxLineSize: maxLineSize)
    }

    init(descriptor: Descriptor, maxLineSize: Int = LineReader.defaultMaxLineSize, chunkSize: Int = LineReader.chunkSize) {
        precondition(maxLineSize > 0, "maxLineSize must be positive")
        self.descriptor = descriptor
        self.maxLineSize = maxLineSize
        state = Locked(State(buffer: LineBuffer(maxLineSize: maxLineSize, chunkSize: chunkSize)))
    }

    /// The largest buffer this reader has allocated so far (for memory-bound tests).
    var peakBufferCapacity: Int { state.withLock { $0.buffer.peakCapacity } }

    /// The descriptor being read, e.g. to hand to a `Poller`.
    public var fileDescriptor: Int32 { descriptor.fd }

    /// The next line or over-long-line event, blocking until one is complete.
    /// Returns nil at end of stream (also after the descriptor was closed locally
    /// or the peer reset the connection).
    public func next() throws -> LineEvent? {
        try state.withLock { state in
            while true {
                if let event = state.buffer.nextEvent() { return event }
                if state.ended { return state.buffer.finish() }
                if try fill(state.buffer, waitIfNotReady: true) == 0 { state.ended = true }
            }
        }
    }

    /// For event loops: performs at most one read(2), which does not block once poll(2)
    /// reported the descriptor readable, and returns every event now complete (possibly none).
    /// Returns nil once the stream has ended and everything was handed out.
    /// `next()`, giving up with `.readTimedOut` when no whole line has arrived within `timeout`
    /// (a peer that is stopped or wedged must not hang its reader for good).
    public func next(timeout: Duration) throws -> LineEvent? {
        let deadline = ContinuousClock.now + timeout
        return try state.withLock { state in
            while true {
                if let event = state.buffer.nextEvent() { return event }
                if state.ended { return state.buffer.finish() }
                let left = deadline - ContinuousClock.now
                guard left > .zero, try descriptor.use({ fd in waitFor(fd, events: Int16(POLLIN), timeout: left) }) else {
                    throw TransportError.readTimedOut
                }
                if try fill(state.buffer, waitIfNotReady: true) == 0 { state.ended = true }
            }
        }
    }

    public func readAvailable() throws -> [LineEvent]? {
        try state.withLock { state in
            var events: [LineEvent] = []
            while let event = state.buffer.nextEvent() { events.append(event) }
            if !events.isEmpty { return events }
            if !state.ended, try fill(state.buffer, waitIfNotReady: false) == 0 { state.ended = true }
            while let event = state.buffer.nextEvent() { events.append(event) }
            if state.ended {
                if let last = state.buffer.finish() { events.append(last) }
                if events.isEmpty { return nil }
            }
            return events
        }
    }

    /// Reads once: the byte count, 0 at end of stream, or -1 when a non-blocking descriptor
    /// had nothing yet and `waitIfNotReady` is false.
    private func fill(_ buffer: LineBuffer, waitIfNotReady: Bool) throws -> Int {
        var wouldBlock = false
        let count = try buffer.fill { space in
            do {
                return try descriptor.use { fd in
                    while true {
                        let n = read(fd, space.baseAddress, space.count)
                        if n >= 0 { return n }
                        switch errno {
                        case EINTR:
                            continue
                        case EAGAIN, EWOULDBLOCK:
                            guard waitIfNotReady else {
                                wouldBlock = true
                                return 0
                            }
                            waitFor(fd, events: Int16(POLLIN))
                        case ECONNRESET:
                            return 0
                        default:
                            throw TransportError.last("read")
                        }
                    }
                }
            } catch TransportError.closed {
                return 0
            }
        }
        return wouldBlock ? -1 : count
    }
}
