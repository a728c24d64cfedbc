import Foundation
import Synchronization

/// Counters held in memory: for tests, `policy explain`, and gateways run without a state directory.
public final class InMemoryCounterStore: CounterStore {
    private let state = Mutex<[CounterKey: CounterLedger]>([:])
    private let nextID = Atomic<UInt64>(0)

    public init() {}

    public func reserve(_ charges: [CounterCharge], now: Double) throws -> ReserveOutcome {
        state.withLock { table in
            for c in charges { table[c.key]?.prune(now: now) }
            if let breach = Self.firstBreach(charges, in: table, now: now) { return .exceeded(breach) }
            let n = nextID.add(1, ordering: .relaxed).newValue
            for c in charges {
                table[c.key, default: CounterLedger()].insert(
                    CounterLedger.Entry(at: now, amount: c.amount, window: c.window, reservation: n))
            }
            return .reserved(Reservation(id: Self.prefix + String(n), charges: charges, at: now))
        }
    }

    public func check(_ charges: [CounterCharge], now: Double) throws -> CounterBreach? {
        state.withLock { table in
            // Dropping expired charges changes no answer and keeps the check cheap.
            for c in charges { table[c.key]?.prune(now: now) }
            return Self.firstBreach(charges, in: table, now: now)
        }
    }

    // Several charges of one call to the same key must fit together, so they are summed per key.
    private static func firstBreach(_ charges: [CounterCharge], in table: [CounterKey: CounterLedger], now: Double) -> CounterBreach? {
        var pending: [CounterKey: Double] = [:]
        for c in charges {
            let before = pending[c.key] ?? 0
            let a = table[c.key]?.assess(window: c.window, max: c.max, amount: c.amount, pending: before, now: now)
                ?? RollingWindow.assess(events: before == 0 ? [] : [RollingWindow.Event(at: now, amount: before)],
                                        window: c.window, max: c.max, amount: c.amount, now: now)
            if !a.fits { return CounterBreach(charge: c, used: a.used, retryAfter: a.retryAfter) }
            if charges.count > 1 { pending[c.key] = before + c.amount }
        }
        return nil
    }

    private static let prefix = "mem-"

    /// The number inside an id this store made; nil for anyone else's reservation.
    private static func number(_ r: Reservation) -> UInt64? {
        r.id.hasPrefix(prefix) ? UInt64(r.id.dropFirst(prefix.count)) : nil
    }

    public func commit(_ reservation: Reservation) throws {
        guard let n = Self.number(reservation) else { return }
        state.withLock { table in
            for key in Set(reservation.charges.map(\.key)) {
                table[key]?.commit(reservation: n, at: reservation.at)
            }
        }
    }

    /// Returns a pending reservation's charges. Rolling back twice, or after commit, changes nothing.
    public func rollback(_ reservation: Reservation) throws {
        guard let n = Self.number(reservation) else { return }
        state.withLock { table in
            for key in Set(reservation.charges.map(\.key)) {
                if table[key]?.rollback(reservation: n, at: reservation.at) == true, table[key]?.isEmpty == true {
                    table[key] = nil
                }
            }
        }
    }

    public func usage(_ key: CounterKey, window: Double, max: Int, now: Double) throws -> CounterUsage {
        let a = state.withLock { $0[key]?.usage(window: window, max: max, now: now) }
            ?? RollingWindow.assess(events: [], window: window, max: max, amount: 0, now: now)
        return CounterUsage(key: key, used: a.used, max: max, window: window, resetsIn: a.resetsIn)
    }

    public func activeKeys(now: Double) throws -> [CounterKey] {
        state.withLock { table in
            table.filter { $0.value.isActive(now: now) }.map(\.key).sorted { $0.description < $1.description }
        }
    }
}
