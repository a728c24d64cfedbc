#if canImport(Glibc)
import Glibc
#endif

/// The benches' own line I/O on a raw descriptor: one read(2) per chunk, memchr for newlines,
/// no locks and no copies beyond the buffer, so the client and the fake upstream add as little
/// as possible to what is being measured.
final class RawLines {
    let fd: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0

    init(fd: Int32, capacity: Int = 1 << 16) {
        self.fd = fd
        buffer = [UInt8](repeating: 0, count: capacity)
    }

    /// The next line without its newline, passed to `body` as a view into the buffer (valid
    /// only inside `body`); false at end of stream.
    func next(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        while true {
            let found: Bool = buffer.withUnsafeBufferPointer { b in
                guard end > start, let p = memchr(b.baseAddress! + start, 0x0A, end - start) else { return false }
                let nl = b.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
                var stop = nl
                if stop > start, b[stop - 1] == 0x0D { stop -= 1 }
                body(UnsafeBufferPointer(rebasing: b[start..<stop]))
                start = nl + 1
                return true
            }
            if found { return true }
            if start > 0 {
                let pending = end - start
                if pending > 0 { buffer.withUnsafeMutableBytes { _ = memmove($0.baseAddress!, $0.baseAddress! + start, pending) } }
                start = 0
                end = pending
            }
            if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + end, $0.count - end) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            end += n
        }
    }

    /// The next line as an array (for the rare messages that are kept); nil at end of stream.
    func nextLine() -> [UInt8]? {
        var line: [UInt8]?
        return next { line = Array($0) } ? line : nil
    }
}

/// Writes all of `bytes` (looping over partial writes); false when the reader is gone.
@discardableResult
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var off = 0
    while off < bytes.count {
        let n = write(fd, bytes.baseAddress! + off, bytes.count - off)
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        off += n
    }
    return true
}

@discardableResult
func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { writeAll(fd, $0) }
}

/// Tiny scanners for the few fields the benches need, tolerant of the whitespace other
/// proxies put after colons. Not a JSON parser: the benches control what they send.
enum Scan {
    /// The offset just past `"key"` and the colon, whitespace skipped; nil if absent.
    static func value(of key: StaticString, in b: UnsafeBufferPointer<UInt8>) -> Int? {
        let k = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        guard k.count + 2 <= b.count else { return nil }
        var i = 0
        while i + k.count + 2 <= b.count {
            guard let p = memchr(b.baseAddress! + i, 0x22, b.count - i) else { return nil }
            let q = b.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
            if q + k.count + 2 <= b.count, memcmp(b.baseAddress! + q + 1, k.baseAddress!, k.count) == 0, b[q + k.count + 1] == 0x22 {
                var j = q + k.count + 2
                while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
                if j < b.count, b[j] == UInt8(ascii: ":") {
                    j += 1
                    while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
                    return j
                }
            }
            i = q + 1
        }
        return nil
    }

    /// The raw text of a scalar value (number, or string with its quotes) starting at `i`.
    static func token(at i: Int, in b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var j = i
        if j < b.count, b[j] == 0x22 {
            j += 1
            while j < b.count, b[j] != 0x22 { j += b[j] == 0x5C ? 2 : 1 }
            return UnsafeBufferPointer(rebasing: b[i..<min(j + 1, b.count)])
        }
        while j < b.count, b[j] != UInt8(ascii: ","), b[j] != UInt8(ascii: "}"), b[j] != 0x20 { j += 1 }
        return UnsafeBufferPointer(rebasing: b[i..<j])
    }

    /// The integer value of `"id"`, if it is a plain non-negative number.
    static func intID(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let at = value(of: "id", in: b) else { return nil }
        var n = 0
        var j = at
        var any = false
        while j < b.count, b[j] >= 0x30, b[j] <= 0x39 {
            n = n * 10 + Int(b[j] - 0x30)
            j += 1
            any = true
        }
        return any ? n : nil
    }

    static func contains(_ needle: StaticString, in b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= needle.utf8CodeUnitCount else { return false }
        return findBytes(b.baseAddress!, b.count, needle.utf8Start, needle.utf8CodeUnitCount) != nil
    }
}

/// Whether `needle` occurs in `haystack` (Glibc's memmem is not visible to Swift here).
func findBytes(_ haystack: UnsafeRawPointer, _ count: Int, _ needle: UnsafeRawPointer, _ length: Int) -> UnsafeRawPointer? {
    guard length > 0 else { return haystack }
    let first = needle.load(as: UInt8.self)
    var i = 0
    while i + length <= count {
        guard let p = memchr(haystack + i, Int32(first), count - i - length + 1) else { return nil }
        if memcmp(p, needle, length) == 0 { return UnsafeRawPointer(p) }
        i = haystack.distance(to: UnsafeRawPointer(p)) + 1
    }
    return nil
}

/// A line on standard error.
func warn(_ message: String) {
    writeAll(2, Array((message + "\n").utf8))
}
