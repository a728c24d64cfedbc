import Foundation

/// Wall-clock seconds since the epoch; injected so tests can move time.
public struct WallClock: Sendable {
    public let now: @Sendable () -> Double
    public init(now: @escaping @Sendable () -> Double) { self.now = now }
    public static let system = WallClock { Date().timeIntervalSince1970 }
}

/// Monotonic seconds for latencies, immune to wall-clock jumps.
@inline(__always) func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
