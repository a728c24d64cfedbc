import Synchronization

/// Random hex ids (calls, reservations) without a `getrandom(2)` per id: SplitMix64 over a
/// counter seeded once from the system's generator. The ids only need to be unpredictable to
/// collide rarely across gateways sharing a state directory, not to be secret.
enum RandomID {
    private static let state: Atomic<UInt64> = {
        var g = SystemRandomNumberGenerator()
        return Atomic(g.next())
    }()

    static func next() -> UInt64 {
        var z = state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `count` (at most 16) lowercase hex digits.
    static func hex(_ count: Int) -> String {
        let v = next()
        return String(unsafeUninitializedCapacity: count) { buffer in
            for i in 0..<count { buffer[i] = digits[Int((v >> UInt64(4 * (count - 1 - i))) & 0xF)] }
            return count
        }
    }
}
