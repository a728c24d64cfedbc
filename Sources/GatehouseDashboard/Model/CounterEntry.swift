import GatehouseCore

/// A counter as last reported, and when (local clock), so "resets in" can count down.
public struct CounterEntry: Hashable, Sendable {
    public var info: CounterInfo
    public var observedAt: Double

    public init(info: CounterInfo, observedAt: Double) {
        self.info = info
        self.observedAt = observedAt
    }

    public var fraction: Double { info.max > 0 ? info.used / Double(info.max) : (info.used > 0 ? 1 : 0) }

    /// Seconds until the oldest charge leaves the window; nil when unknown or nothing is charged.
    public func resetsIn(at now: Double) -> Double? {
        info.resetsIn.map { max(0, observedAt + $0 - now) }
    }
}
