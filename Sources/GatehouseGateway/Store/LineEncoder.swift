import GatehouseCore

/// A reusable byte buffer for encoding journal lines. `[UInt8].append` pays a uniqueness check,
/// a capacity check and a call for every piece; an audit entry has about sixty pieces, and
/// appending them that way cost more than everything else the journal does per call. Here a
/// piece is one capacity check and a copy.
///
/// Not thread-safe: the journal uses one under its lock.
final class LineEncoder {
    private struct Buffer {
        var base: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var count = 0
    }

    /// Behind a pointer rather than in stored properties: the runtime checks exclusive access to
    /// a class's stored properties on every touch, and an entry's sixty pieces touch them hundreds
    /// of times.
    private let buffer: UnsafeMutablePointer<Buffer>

    private var base: UnsafeMutablePointer<UInt8> {
        get { buffer.pointee.base }
        set { buffer.pointee.base = newValue }
    }
    private var capacity: Int {
        get { buffer.pointee.capacity }
        set { buffer.pointee.capacity = newValue }
    }
    private(set) var count: Int {
        get { buffer.pointee.count }
        set { buffer.pointee.count = newValue }
    }

    init(capacity: Int = initialBytes) {
        buffer = .allocate(capacity: 1)
        buffer.initialize(to: Buffer(base: .allocate(capacity: capacity), capacity: capacity))
    }

    deinit {
        buffer.pointee.base.deallocate()
        buffer.deinitialize(count: 1)
        buffer.deallocate()
    }

    /// Empties the buffer; one grown past `keptBytes` by a huge entry is given back.
    func reset() {
        count = 0
        if capacity > Self.keptBytes {
            base.deallocate()
            capacity = Self.initialBytes
            base = .allocate(capacity: capacity)
        }
    }

    static let initialBytes = 4096
    private static let keptBytes = 1 << 20

    /// The bytes encoded since the last `reset`.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    @inline(__always) private func reserve(_ n: Int) {
        if count &+ n > capacity { grow(count + n) }
    }

    private func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let next = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        next.update(from: base, count: count)
        base.deallocate()
        base = next
        capacity = c
    }

    func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    func raw(_ s: StaticString) {
        raw(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    func raw(_ p: UnsafeRawBufferPointer) {
        guard let src = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: src, byteCount: p.count)
        count += p.count
    }

    func raw(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw($0) }
    }

    /// A JSON string literal, escaped exactly as `JSONWriter.writeString` escapes it.
    func string(_ s: String) {
        var s = s  // `withUTF8` needs a var; a native string is not copied
        s.withUTF8 { utf8 in
            guard let src = utf8.baseAddress else { raw("\"\""); return }
            let n = utf8.count
            // The worst case (every byte `\u00XX`) reserved once, so the loops only store.
            reserve(n * 6 + 2)
            var out = base + count
            out.pointee = UInt8(ascii: "\"")
            out += 1
            // Most strings need no escape at all: find the first byte that does, copy up to it.
            var i = 0
            let raw = UnsafeRawPointer(src)
            while i + 8 <= n, Self.isPlain(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
            while i < n, Self.isPlain(src[i]) { i += 1 }
            out.update(from: src, count: i)
            out += i
            while i < n {
                let c = src[i]
                i += 1
                if Self.isPlain(c) {
                    out.pointee = c
                    out += 1
                    continue
                }
                out.pointee = 0x5C
                switch c {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out[1] = c; out += 2
                case 0x0A: out[1] = UInt8(ascii: "n"); out += 2
                case 0x0D: out[1] = UInt8(ascii: "r"); out += 2
                case 0x09: out[1] = UInt8(ascii: "t"); out += 2
                default:
                    out[1] = UInt8(ascii: "u"); out[2] = 0x30; out[3] = 0x30
                    out[4] = Self.hexDigit(c >> 4); out[5] = Self.hexDigit(c & 0xF)
                    out += 6
                }
            }
            out.pointee = UInt8(ascii: "\"")
            count = out + 1 - base
        }
    }

    @inline(__always) private static func isPlain(_ c: UInt8) -> Bool {
        c >= 0x20 && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\")
    }

    /// Eight bytes at once: whether none is below 0x20, a quote or a backslash. `(x - k·ones) &
    /// ~x & highs` is non-zero exactly when some byte of `x` is below `k` (for k ≤ 0x80); a byte
    /// equal to `c` is a zero byte of `x ^ c·ones`.
    @inline(__always) private static func isPlain(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (w &- ones &* 0x20) & ~w & highs
        let q = w ^ (ones &* 0x22)
        let quote = (q &- ones) & ~q & highs
        let b = w ^ (ones &* 0x5C)
        let backslash = (b &- ones) & ~b & highs
        return control | quote | backslash == 0
    }

    /// Text that reads back as exactly `d`. Times and latencies on a microsecond grid (the
    /// gateway's clocks give those) are written as fixed-point decimals, cheaply; anything else
    /// as Swift's shortest round-trip text (`description`), several times the cost.
    func number(_ d: Double) {
        // The microsecond grid first, where the gateway's times are. A value on a coarser grid is
        // on this one too (below 2^31 the product is within 0.13 of the integer), and `fixed`
        // drops a fraction's trailing zeros, so the text is the coarser grid's, in one try.
        if abs(d) < 2_147_483_648 {
            let k = (d * 1e6).rounded()
            if k / 1e6 == d { fixed(Int64(k), digits: 6) } else { raw(d.description) }
            return
        }
        for (scale, digits) in Self.scales where abs(d) < 9e15 / scale {
            let k = (d * scale).rounded()
            // `Double(k) / scale` is the double nearest k / 10^digits, which is also what
            // parsing the decimal gives: when it is `d`, the decimal reads back as `d`.
            if k / scale == d {
                fixed(Int64(k), digits: digits)
                return
            }
        }
        raw(d.description)
    }

    func raw(_ text: String) {
        var text = text
        text.withUTF8 { raw(UnsafeRawBufferPointer($0)) }
    }

    private static let scales: [(Double, Int)] = [(1, 0), (1e3, 3), (1e6, 6)]

    /// `k / 10^digits` in decimal, trailing zeros of the fraction dropped.
    private func fixed(_ k: Int64, digits: Int) {
        reserve(24)
        var out = base + count
        var magnitude = k.magnitude
        if k < 0 { out.pointee = UInt8(ascii: "-"); out += 1 }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes, digits written backwards
        let written: Int = withUnsafeMutableBytes(of: &scratch) { buf in
            var p = buf.count
            var fraction = digits
            // Trailing zeros of the fraction are not written.
            while fraction > 0, magnitude % 10 == 0 { magnitude /= 10; fraction -= 1 }
            repeat {
                if fraction == 0 && p != buf.count { p -= 1; buf[p] = UInt8(ascii: ".") }
                p -= 1
                buf[p] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
                fraction -= 1
            } while magnitude > 0 || fraction >= 0
            let n = buf.count - p
            out.update(from: buf.baseAddress!.advanced(by: p).assumingMemoryBound(to: UInt8.self), count: n)
            return n
        }
        out += written
        count = out - base
    }

    func integer(_ v: Int) {
        if v >= 0 && v < 10 {
            byte(0x30 + UInt8(v))
            return
        }
        raw(String(v))
    }

    /// A JSON array of strings.
    func strings(_ values: [String]) {
        byte(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { byte(UInt8(ascii: ",")) }
            string(v)
        }
        byte(UInt8(ascii: "]"))
    }

    /// A member of an object: `key` is the separator, the quoted name and the colon (`,"tool":`).
    /// Nothing when the value is absent, or a number JSON cannot hold.
    func field(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        raw(key)
        string(value)
    }

    func field(_ key: StaticString, _ value: Double?) {
        guard let value, value.isFinite else { return }
        raw(key)
        number(value)
    }

    func field(_ key: StaticString, _ values: [String]) {
        raw(key)
        strings(values)
    }

    func field(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        raw(key)
        raw(value ? "true" : "false")
    }

    /// Any JSON value, compact: `JSONWriter`'s text (a call's arguments, once per call).
    func json(_ v: JSONValue) {
        raw(JSONWriter.bytes(v))
    }

    @inline(__always) private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }
}
