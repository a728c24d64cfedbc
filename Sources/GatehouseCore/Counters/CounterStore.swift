/// Where counters live. The engine reserves before a call is forwarded and the gateway commits
/// or rolls back when the upstream answers. Implementations must make `reserve` atomic across all
/// its charges: either every charge is taken or none is.
public protocol CounterStore: Sendable {
    func reserve(_ charges: [CounterCharge], now: Double) throws -> ReserveOutcome
    /// Whether the charges would fit now, without taking them.
    func check(_ charges: [CounterCharge], now: Double) throws -> CounterBreach?
    /// Makes a reservation's charges final. A commit is never undone by a later rollback.
    func commit(_ reservation: Reservation) throws
    /// Returns a reservation's pending charges; a no-op when repeated or after `commit`.
    func rollback(_ reservation: Reservation) throws
    func usage(_ key: CounterKey, window: Double, max: Int, now: Double) throws -> CounterUsage
    /// Every key that has charges in its window, for the dashboard.
    func activeKeys(now: Double) throws -> [CounterKey]
}

public enum CounterStoreError: Error, CustomStringConvertible {
    case unavailable(String)
    public var description: String {
        switch self {
        case .unavailable(let why): "the counter store is unavailable: \(why)"
        }
    }
}
