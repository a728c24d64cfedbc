/// How long to wait before reconnecting to a gateway after `failures` failed attempts in a
/// row: quick at first (a gateway restarting is back within a second), then no more often
/// than every few seconds, so a gateway that is gone for good costs nothing.
public struct Backoff: Hashable, Sendable {
    public var initial: Double = 0.25
    public var maximum: Double = 5

    public init(initial: Double = 0.25, maximum: Double = 5) {
        self.initial = initial
        self.maximum = maximum
    }

    public func delay(afterFailures failures: Int) -> Double {
        guard failures > 0 else { return 0 }
        var d = initial
        for _ in 1..<min(failures, 32) { d *= 2 }
        return min(d, maximum)
    }
}
