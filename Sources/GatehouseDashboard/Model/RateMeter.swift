/// Calls per second over the last few whole seconds, counted into one bucket per second
/// (the time comes from the caller, so the model stays pure).
public struct RateMeter: Hashable, Sendable {
    public static let window = 5
    private var buckets: [Int] = Array(repeating: 0, count: RateMeter.window + 1)
    private var bucketSecond: [Int] = Array(repeating: Int.min, count: RateMeter.window + 1)

    public init() {}

    public mutating func record(at now: Double, count: Int = 1) {
        let s = Int(now.rounded(.down))
        let i = Self.index(s)
        if bucketSecond[i] != s {
            bucketSecond[i] = s
            buckets[i] = 0
        }
        buckets[i] += count
    }

    /// The average over the last `window` complete seconds.
    public func perSecond(at now: Double) -> Double {
        let current = Int(now.rounded(.down))
        var total = 0
        for s in (current - Self.window)..<current where bucketSecond[Self.index(s)] == s {
            total += buckets[Self.index(s)]
        }
        return Double(total) / Double(Self.window)
    }

    private static func index(_ second: Int) -> Int {
        ((second % (window + 1)) + (window + 1)) % (window + 1)
    }
}
