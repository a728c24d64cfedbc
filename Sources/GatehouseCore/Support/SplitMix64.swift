/// SplitMix64: a tiny, fast generator. Seeded, it repeats exactly (the demo's traffic, benches and
/// randomised tests, so a failure can be replayed); its `mix` also spreads a counter into ids.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.mix(state)
    }

    public static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The output function: a bijection that scatters nearby inputs across all 64 bits.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
