import CSHA256

/// SHA-256 (FIPS 180-4). Small and dependency-free: the core needs it to bind an approval to
/// the exact arguments an operator saw and to keep argument-free audit logs. Every call's
/// arguments are hashed on its way through, so where the CPU has SHA instructions they do the
/// compression (a tenth of the instructions); this Swift version is the reference elsewhere.
public struct SHA256 {
    /// The eight working words, in value storage: a hasher allocates nothing for its state.
    struct State {
        var a: UInt32 = 0x6a09e667, b: UInt32 = 0xbb67ae85, c: UInt32 = 0x3c6ef372, d: UInt32 = 0xa54ff53a
        var e: UInt32 = 0x510e527f, f: UInt32 = 0x9b05688c, g: UInt32 = 0x1f83d9ab, h: UInt32 = 0x5be0cd19
    }

    private var state = State()
    /// Bytes of an unfinished block (fewer than 64), kept between `update` calls.
    private var pending: [UInt8] = []
    private var length: UInt64 = 0


    public init() {}

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    private mutating func update(_ input: UnsafeRawBufferPointer) {
        length &+= UInt64(input.count)
        var rest = input[...]
        if !pending.isEmpty {
            let take = min(64 - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { Self.compress(&state, blocks: $0) }
            pending.removeAll(keepingCapacity: true)
        }
        // Whole blocks straight from the caller's bytes; only a remainder is copied.
        let whole = rest.count / 64 * 64
        if whole > 0 { Self.compress(&state, blocks: UnsafeRawBufferPointer(rebasing: rest.prefix(whole))) }
        if whole < rest.count { pending.append(contentsOf: rest.dropFirst(whole)) }
    }

    public mutating func finalize() -> [UInt8] {
        let remainder = pending
        return remainder.withUnsafeBytes { finish($0) }
    }

    /// The digest of `bytes` in one pass: whole blocks are read in place and nothing is buffered.
    public static func digest(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        bytes.withContiguousStorageIfAvailable { oneShot(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { oneShot($0) }
    }

    private static func oneShot(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var s = SHA256()
        s.length = UInt64(input.count)
        let whole = input.count / 64 * 64
        if whole > 0 { compress(&s.state, blocks: UnsafeRawBufferPointer(rebasing: input[..<whole])) }
        return s.finish(UnsafeRawBufferPointer(rebasing: input[whole...]))
    }

    /// Pads the last partial block (0x80, zeros to 56 mod 64, the bit length big-endian; one
    /// block or two), compresses it on the stack and returns the digest.
    private mutating func finish(_ remainder: UnsafeRawBufferPointer) -> [UInt8] {
        let tailCount = remainder.count < 56 ? 64 : 128
        let bits = length &* 8
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
            tail.initialize(repeating: 0)
            for (k, byte) in remainder.enumerated() { tail[k] = byte }
            tail[remainder.count] = 0x80
            for k in 0..<8 { tail[tailCount - 1 - k] = UInt8(truncatingIfNeeded: bits >> (UInt64(k) * 8)) }
            Self.compress(&state, blocks: UnsafeRawBufferPointer(start: tail.baseAddress, count: tailCount))
        }
        let st = state
        return [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            func put(_ word: UInt32, _ n: Int) {
                for k in 0..<4 { out[n * 4 + k] = UInt8(truncatingIfNeeded: word >> (24 - UInt32(k) * 8)) }
            }
            put(st.a, 0); put(st.b, 1); put(st.c, 2); put(st.d, 3)
            put(st.e, 4); put(st.f, 5); put(st.g, 6); put(st.h, 7)
            count = 32
        }
    }

    /// Whether the CPU's SHA instructions do the compression (tests compare both ways).
    public static let accelerated = gatehouse_sha256_accelerated() != 0

    static func compress(_ state: inout State, blocks: UnsafeRawBufferPointer) {
        precondition(blocks.count % 64 == 0)
        guard accelerated, let base = blocks.baseAddress else { return compressInSwift(&state, blocks: blocks) }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 8) { words in
            let w = words.baseAddress!
            w[0] = state.a; w[1] = state.b; w[2] = state.c; w[3] = state.d
            w[4] = state.e; w[5] = state.f; w[6] = state.g; w[7] = state.h
            gatehouse_sha256_compress(w, base.assumingMemoryBound(to: UInt8.self), blocks.count / 64)
            state = State(a: w[0], b: w[1], c: w[2], d: w[3], e: w[4], f: w[5], g: w[6], h: w[7])
        }
    }

    /// The reference compression over whole 64-byte blocks, through raw pointers: the message
    /// schedule lives on the stack and no round is bounds-checked.
    static func compressInSwift(_ state: inout State, blocks: UnsafeRawBufferPointer) {
        precondition(blocks.count % 64 == 0)
        let k = gatehouse_sha256_constants()!  // the table the C code uses too
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            var offset = 0
            while offset < blocks.count {
                for i in 0..<16 {
                    w[i] = UInt32(bigEndian: blocks.loadUnaligned(fromByteOffset: offset + i * 4, as: UInt32.self))
                }
                for i in 16..<64 {
                    let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                    let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                    w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                }
                var a = state.a, b = state.b, c = state.c, d = state.d
                var e = state.e, f = state.f, g = state.g, h = state.h
                for i in 0..<64 {
                    let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                    let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    h = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
                }
                state.a &+= a; state.b &+= b; state.c &+= c; state.d &+= d
                state.e &+= e; state.f &+= f; state.g &+= g; state.h &+= h
                offset += 64
            }
        }
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// The digest of `bytes`, as 64 lower-case hex digits.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String { hexString(digest(bytes)) }

    /// Lower-case hex of any bytes, written straight into the string's storage.
    public static func hexString(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (n, byte) in bytes.enumerated() {
                out[2 * n] = hexDigit(byte >> 4)
                out[2 * n + 1] = hexDigit(byte & 0x0F)
            }
            return bytes.count * 2
        }
    }

    @inline(__always) private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }
}

extension JSONValue {
    /// The same bytes for the same value whatever the key order: keys sorted, no white space.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        Self.canonical(self, into: &out)
        return out
    }

    private static func canonical(_ v: JSONValue, into out: inout [UInt8]) {
        switch v {
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            let entries = o.entries
            // Sort positions, not entries, in scratch space (on the stack when small): no array
            // of copied keys and values per object. Keys are unique, so the order is total.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: entries.count) { scratch in
                var order = scratch
                for n in 0..<entries.count { order.initializeElement(at: n, to: n) }
                order.sort { entries[$0].key < entries[$1].key }
                for (n, index) in order.enumerated() {
                    if n > 0 { out.append(UInt8(ascii: ",")) }
                    JSONWriter.writeString(entries[index].key, into: &out)
                    out.append(UInt8(ascii: ":"))
                    canonical(entries[index].value, into: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, e) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                canonical(e, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        default:
            JSONWriter.write(v, into: &out, indent: nil, level: 0)
        }
    }

    /// SHA-256 of the canonical form, hex: what an approval is bound to.
    public var argumentsHash: String { SHA256.hex(canonicalBytes) }
}
