#if canImport(Glibc)
import Glibc
#endif

/// The framing state machine behind `LineReader`, free of I/O so it can be tested alone.
/// Bytes go in through `fill`, events come out of `nextEvent`. Memory is bounded by
/// `maxLineSize` plus one chunk: an over-long line is dropped as it streams past.
final class LineBuffer {
    let maxLineSize: Int
    let chunkSize: Int
    private var storage: UnsafeMutableRawBufferPointer
    /// Unconsumed bytes are `start..<end`; `scanned` is where the newline search resumes.
    private var start = 0
    private var end = 0
    private var scanned = 0
    /// Set while dropping an over-long line until its newline shows up.
    private var discarding = false
    private var discarded = 0
    private var discardedEndsWithCR = false
    /// Largest buffer ever allocated, for tests that memory stays bounded.
    private(set) var peakCapacity: Int

    init(maxLineSize: Int, chunkSize: Int) {
        precondition(maxLineSize > 0 && chunkSize > 0)
        self.maxLineSize = maxLineSize
        self.chunkSize = chunkSize
        storage = .allocate(byteCount: chunkSize, alignment: 1)
        peakCapacity = chunkSize
    }

    deinit { storage.deallocate() }

    var capacity: Int { storage.count }
    var bufferedByteCount: Int { end - start }

    private var base: UnsafeMutablePointer<UInt8> {
        storage.baseAddress!.assumingMemoryBound(to: UInt8.self)
    }

    private func newline(from offset: Int) -> Int? {
        guard offset < end, let found = memchr(base + offset, 0x0A, end - offset) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The next event that the buffered bytes already determine, without reading.
    func nextEvent() -> LineEvent? {
        if discarding {
            guard let newlineAt = newline(from: start) else {
                discarded += end - start
                if end > start { discardedEndsWithCR = base[end - 1] == 0x0D }
                start = 0
                end = 0
                scanned = 0
                return nil
            }
            let endsWithCR = newlineAt > start ? base[newlineAt - 1] == 0x0D : discardedEndsWithCR
            let count = discarded + (newlineAt - start) - (endsWithCR ? 1 : 0)
            start = newlineAt + 1
            scanned = start
            discarding = false
            discarded = 0
            return .tooLong(byteCount: count)
        }
        guard let newlineAt = newline(from: scanned) else {
            scanned = end
            // One byte of slack: the line may still turn out to end in "\r\n".
            if end - start > maxLineSize + 1 { startDiscarding() }
            return nil
        }
        let event = takeLine(upTo: newlineAt)
        start = newlineAt + 1
        scanned = start
        return event
    }

    /// Whatever remains when the stream ends: a last line without newline, or the tail of an over-long one.
    func finish() -> LineEvent? {
        if discarding {
            discarding = false
            let endsWithCR = end > start ? base[end - 1] == 0x0D : discardedEndsWithCR
            let count = discarded + (end - start) - (endsWithCR ? 1 : 0)
            discarded = 0
            start = 0
            end = 0
            scanned = 0
            return .tooLong(byteCount: count)
        }
        guard end > start else { return nil }
        let event = takeLine(upTo: end)
        start = 0
        end = 0
        scanned = 0
        return event
    }

    private func takeLine(upTo lineEnd: Int) -> LineEvent {
        var stop = lineEnd
        if stop > start && base[stop - 1] == 0x0D { stop -= 1 }
        let length = stop - start
        if length > maxLineSize { return .tooLong(byteCount: length) }
        return .line(Array(UnsafeBufferPointer(start: base + start, count: length)))
    }

    private func startDiscarding() {
        discarding = true
        discarded = end - start
        discardedEndsWithCR = base[end - 1] == 0x0D
        start = 0
        end = 0
        scanned = 0
        // Give back the memory the long line made us grow into.
        if storage.count > chunkSize { reallocate(to: chunkSize) }
    }

    /// Makes room for at least one chunk and calls `read` once with the free space.
    /// Returns what `read` returned: the byte count, 0 meaning end of stream.
    func fill(_ read: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows -> Int {
        let pending = end - start
        if start > 0 {
            // Only a partial line is ever moved, so this copy is at most one line per line.
            if pending > 0 { memmove(storage.baseAddress!, storage.baseAddress! + start, pending) }
            scanned -= start
            start = 0
            end = pending
        }
        if pending == 0 && storage.count > 16 * chunkSize {
            reallocate(to: chunkSize)
        } else if storage.count - end < chunkSize {
            let ceiling = maxLineSize + 1 + chunkSize
            reallocate(to: min(max(storage.count * 2, end + chunkSize), max(ceiling, end + chunkSize)))
        }
        let count = try read(UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
        if count > 0 { end += count }
        return count
    }

    private func reallocate(to newCapacity: Int) {
        let fresh = UnsafeMutableRawBufferPointer.allocate(byteCount: newCapacity, alignment: 1)
        let pending = end - start
        if pending > 0 { fresh.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: pending) }
        storage.deallocate()
        storage = fresh
        scanned -= start
        start = 0
        end = pending
        peakCapacity = max(peakCapacity, newCapacity)
    }
}
