import Foundation

/// Wall-clock seconds since the epoch; injected so tests can move time.
public struct WallClock: Sendable {
    public let now: @Sendable () -> Double
    public init(now: @escaping @Sendable () -> Double) { self.now = now }
    /// Whole microseconds: finer than any time the gateway shows, and the audit journal writes
    /// such times as short exact decimals rather than through `Double.description`.
    public static let system = WallClock {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec / 1000)) / 1e6
    }
}

/// Milliseconds since `start` (a `monotonicSeconds()` reading), to the microsecond.
func latencyMs(since start: Double) -> Double {
    ((monotonicSeconds() - start) * 1e6).rounded() / 1000
}

/// Monotonic seconds for latencies, immune to wall-clock jumps.
@inline(__always) func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
