import Foundation
import Synchronization

/// Counters held in memory: for tests, `policy explain`, and gateways run without a state directory.
public final class InMemoryCounterStore: CounterStore {
    private struct Charge {
        var at: Double
        var amount: Double
        var reservation: String
        var window: Double
        /// Committed charges are final: a late rollback of the same reservation leaves them.
        var committed = false
    }

    private let state = Mutex<[CounterKey: [Charge]]>([:])
    private let nextID = Atomic<UInt64>(0)

    public init() {}

    public func reserve(_ charges: [CounterCharge], now: Double) throws -> ReserveOutcome {
        state.withLock { table in
            if let breach = Self.firstBreach(charges, in: table, now: now) { return .exceeded(breach) }
            let id = "mem-\(nextID.add(1, ordering: .relaxed).newValue)"
            for c in charges {
                var list = table[c.key, default: []]
                list.removeAll { $0.at <= now - $0.window }
                list.append(Charge(at: now, amount: c.amount, reservation: id, window: c.window))
                table[c.key] = list
            }
            return .reserved(Reservation(id: id, charges: charges, at: now))
        }
    }

    public func check(_ charges: [CounterCharge], now: Double) throws -> CounterBreach? {
        state.withLock { Self.firstBreach(charges, in: $0, now: now) }
    }

    // Several charges of one call to the same key must fit together, so they are summed per key.
    private static func firstBreach(_ charges: [CounterCharge], in table: [CounterKey: [Charge]], now: Double) -> CounterBreach? {
        var pending: [CounterKey: Double] = [:]
        for c in charges {
            let events = (table[c.key] ?? []).map { RollingWindow.Event(at: $0.at, amount: $0.amount) }
                + [RollingWindow.Event(at: now, amount: pending[c.key] ?? 0)]
            let a = RollingWindow.assess(events: events, window: c.window, max: c.max, amount: c.amount, now: now)
            if !a.fits { return CounterBreach(charge: c, used: a.used, retryAfter: a.retryAfter) }
            pending[c.key, default: 0] += c.amount
        }
        return nil
    }

    public func commit(_ reservation: Reservation) throws {
        state.withLock { table in
            for key in Set(reservation.charges.map(\.key)) {
                guard var list = table[key] else { continue }
                for i in list.indices where list[i].reservation == reservation.id { list[i].committed = true }
                table[key] = list
            }
        }
    }

    /// Returns a pending reservation's charges. Rolling back twice, or after commit, changes nothing.
    public func rollback(_ reservation: Reservation) throws {
        state.withLock { table in
            for key in Set(reservation.charges.map(\.key)) {
                table[key]?.removeAll { $0.reservation == reservation.id && !$0.committed }
                if table[key]?.isEmpty == true { table[key] = nil }
            }
        }
    }

    public func usage(_ key: CounterKey, window: Double, max: Int, now: Double) throws -> CounterUsage {
        let events = state.withLock { ($0[key] ?? []).map { RollingWindow.Event(at: $0.at, amount: $0.amount) } }
        let a = RollingWindow.assess(events: events, window: window, max: max, amount: 0, now: now)
        return CounterUsage(key: key, used: a.used, max: max, window: window, resetsIn: a.resetsIn)
    }

    public func activeKeys(now: Double) throws -> [CounterKey] {
        state.withLock { table in
            table.filter { $0.value.contains { $0.at > now - $0.window } }.map(\.key)
                .sorted { $0.description < $1.description }
        }
    }
}
