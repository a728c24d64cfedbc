import Foundation
import GRDB
import GatehouseCore

/// Counters in the shared SQLite file. `reserve` runs in an IMMEDIATE transaction, so two
/// gateways checking the same budget at the same moment are serialised and never over-admit.
public final class SQLiteCounterStore: CounterStore {
    let store: StateStore

    public init(store: StateStore) { self.store = store }

    public func reserve(_ charges: [CounterCharge], now: Double) throws -> ReserveOutcome {
        try store.write { db in
            if let breach = try Self.firstBreach(charges, db: db, now: now) { return .exceeded(breach) }
            let id = Self.newReservationID()
            // Cached statements: compiling SQL on every call costs more than running it.
            let insert = try db.cachedStatement(
                sql: "INSERT INTO counter_charge (counter, scope, subject, at, amount, window, reservation) VALUES (?,?,?,?,?,?,?)")
            for c in charges {
                try insert.execute(arguments: [c.key.counter, c.key.scope.rawValue, c.key.subject, now, c.amount, c.window, id])
            }
            return .reserved(Reservation(id: id, charges: charges, at: now))
        }
    }

    public func check(_ charges: [CounterCharge], now: Double) throws -> CounterBreach? {
        try store.read { db in try Self.firstBreach(charges, db: db, now: now) }
    }

    static func events(_ key: CounterKey, window: Double, db: Database, now: Double) throws -> [RollingWindow.Event] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT at, amount FROM counter_charge WHERE counter = ? AND scope = ? AND subject = ? AND at > ?"),
            arguments: [key.counter, key.scope.rawValue, key.subject, now - window]
        ).map { RollingWindow.Event(at: $0["at"], amount: $0["amount"]) }
    }

    static func firstBreach(_ charges: [CounterCharge], db: Database, now: Double) throws -> CounterBreach? {
        var pending: [CounterKey: Double] = [:]
        for c in charges {
            let events = try Self.events(c.key, window: c.window, db: db, now: now)
                + [RollingWindow.Event(at: now, amount: pending[c.key] ?? 0)]
            let a = RollingWindow.assess(events: events, window: c.window, max: c.max, amount: c.amount, now: now)
            if !a.fits { return CounterBreach(charge: c, used: a.used, retryAfter: a.retryAfter) }
            pending[c.key, default: 0] += c.amount
        }
        return nil
    }

    public func commit(_ reservation: Reservation) throws {
        try store.write(oneStatement: true) { db in
            try db.cachedStatement(sql: "UPDATE counter_charge SET committed = 1 WHERE reservation = ?").execute(arguments: [reservation.id])
        }
    }

    public func rollback(_ reservation: Reservation) throws {
        try store.write(oneStatement: true) { db in
            // A committed charge is final: the work was done, so it stays counted.
            try db.cachedStatement(sql: "DELETE FROM counter_charge WHERE reservation = ? AND committed = 0")
                .execute(arguments: [reservation.id])
        }
    }

    public func usage(_ key: CounterKey, window: Double, max: Int, now: Double) throws -> CounterUsage {
        let events = try store.read { db in try Self.events(key, window: window, db: db, now: now) }
        let a = RollingWindow.assess(events: events, window: window, max: max, amount: 0, now: now)
        return CounterUsage(key: key, used: a.used, max: max, window: window, resetsIn: a.resetsIn)
    }

    public func activeKeys(now: Double) throws -> [CounterKey] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT counter, scope, subject FROM counter_charge WHERE at > ? - window",
                             arguments: [now]).compactMap { row in
                guard let scope = CounterScope(rawValue: row["scope"]) else { return nil }
                return CounterKey(counter: row["counter"], scope: scope, subject: row["subject"])
            }
        }
    }

    /// Drops charges that have left their window; run now and then, not on the hot path.
    public func prune(now: Double) throws {
        try store.write { db in
            try db.execute(sql: "DELETE FROM counter_charge WHERE at <= ? - window", arguments: [now])
        }
    }

    static func newReservationID() -> String {
        var g = SystemRandomNumberGenerator()
        // 16 hex digits, as "%016llx" gave, without Foundation's formatter on the hot path.
        let hex = String(g.next() as UInt64, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
