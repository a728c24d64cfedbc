import GatehouseCore
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
        SplitMix64.mix(state.wrappingAdd(SplitMix64.increment, ordering: .relaxed).newValue)
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
