import Foundation
import GRDB
import GatehouseCore
import Synchronization

/// Counters in the shared SQLite file. A `grant` or `global` reservation runs in an IMMEDIATE
/// transaction, so two gateways checking the same budget at the same moment are serialised and
/// never over-admit. A `session` budget belongs to one gateway process (a session is one client
/// connection, and its id is drawn afresh by each process), so nobody else can race it: its
/// reservation is checked against memory and made durable on the audit journal, which the
/// ingester copies into SQLite, a microsecond instead of a commit.
public final class SQLiteCounterStore: CounterStore {
    let store: StateStore
    /// Used only inside the store's transactions, which serialise it; the lock makes that checkable.

    private let mirror: Mutex<ChargeMirror>

    public init(store: StateStore) {
        self.store = store
        let journal = store.journalFile
        mirror = Mutex(ChargeMirror(unsettled: { journal.waitingSettlements() },
                                    uningested: { journal.waitingCharges($0) }))
    }

    public func reserve(_ charges: [CounterCharge], now: Double) throws -> ReserveOutcome {
        if let outcome = try reserveInSession(charges, now: now) { return outcome }
        let rollbacks = store.rollbacks.load(ordering: .relaxed)
        return try store.write { db in
            try mirror.withLock { m in
                try m.validate(db, rollbacks: rollbacks)
                if let breach = try Self.firstBreach(charges, mirror: &m, db: db, now: now) { return .exceeded(breach) }
                let id = Self.newReservationID()
                // Cached statements: compiling SQL on every call costs more than running it.
                let insert = try db.cachedStatement(
                    sql: "INSERT INTO counter_charge (counter, scope, subject, at, amount, window, reservation) VALUES (?,?,?,?,?,?,?)")
                for c in charges {
                    try insert.execute(arguments: [c.key.counter, c.key.scope.rawValue, c.key.subject, now, c.amount, c.window, id])
                }
                // Should the write still fail, `rollbacks` moves and the next use reloads.
                for c in charges { m.add(c.key, .init(at: now, amount: c.amount, reservation: id, committed: false)) }
                return .reserved(Reservation(id: id, charges: charges, at: now))
            }
        }
    }

    /// Session counters only, once their ledgers are loaded: no database. Nil when it cannot
    /// decide alone (a shared counter, or a key not yet loaded), and `reserve` goes on.
    private func reserveInSession(_ charges: [CounterCharge], now: Double) throws -> ReserveOutcome? {
        try mirror.withLock { m -> ReserveOutcome? in
            guard !charges.isEmpty, m.covers(charges) else { return nil }
            if let breach = try Self.firstBreach(charges, mirror: &m, db: nil, now: now) { return .exceeded(breach) }
            let id = Self.newReservationID()
            try store.journal(charges.map { .charge($0, at: now, reservation: id) })
            for c in charges { m.add(c.key, .init(at: now, amount: c.amount, reservation: id, committed: false)) }
            return .reserved(Reservation(id: id, charges: charges, at: now))
        }
    }

    /// A journaled session charge into SQLite; a replay finds it there already and adds nothing.
    static func insert(_ c: CounterCharge, at: Double, reservation: String, db: Database) throws {
        try db.cachedStatement(sql: insertSQL).execute(arguments: [c.key.counter, c.key.scope.rawValue, c.key.subject, at, c.amount, c.window, reservation,
                                     reservation, c.key.counter, c.key.scope.rawValue, c.key.subject])
    }

    /// The `+` keeps SQLite on the reservation index: left to choose, it took the counter's key
    /// index and scanned every charge of the counter for each insert.
    static let insertSQL = """
        INSERT INTO counter_charge (counter, scope, subject, at, amount, window, reservation)
        SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (
            SELECT 1 FROM counter_charge WHERE reservation = ? AND +counter = ? AND +scope = ? AND +subject = ?)
        """

    public func check(_ charges: [CounterCharge], now: Double) throws -> CounterBreach? {
        let rollbacks = store.rollbacks.load(ordering: .relaxed)
        return try store.read { db in
            try mirror.withLock { m in
                try m.validate(db, rollbacks: rollbacks)
                return try Self.firstBreach(charges, mirror: &m, db: db, now: now)
            }
        }
    }

    // Several charges of one call to the same key must fit together, so they are summed per key.
    static func firstBreach(_ charges: [CounterCharge], mirror m: inout ChargeMirror, db: Database?, now: Double) throws -> CounterBreach? {
        var pending: [CounterKey: Double] = [:]
        for c in charges {
            let a = try m.assess(c.key, window: c.window, max: c.max, amount: c.amount, pending: pending[c.key] ?? 0, db: db, now: now)
            if !a.fits { return CounterBreach(charge: c, used: a.used, retryAfter: a.retryAfter) }
            pending[c.key, default: 0] += c.amount
        }
        return nil
    }

    /// Settling goes through the audit journal, like the audit row it accompanies: durable at
    /// once, in SQLite a few milliseconds later. Until then the mirror has it (and a mirror
    /// reloaded meanwhile applies it again from the journal).
    public func commit(_ reservation: Reservation) throws {
        try store.journal(.settle(reservation: reservation.id, at: reservation.at, commit: true))
        mirror.withLock { $0.settle(reservation, commit: true) }
    }

    public func rollback(_ reservation: Reservation) throws {
        try store.journal(.settle(reservation: reservation.id, at: reservation.at, commit: false))
        mirror.withLock { $0.settle(reservation, commit: false) }
    }

    static func settle(_ reservation: String, commit: Bool, db: Database) throws {
        if commit {
            try db.cachedStatement(sql: "UPDATE counter_charge SET committed = 1 WHERE reservation = ?").execute(arguments: [reservation])
        } else {
            // A committed charge is final: the work was done, so it stays counted.
            try db.cachedStatement(sql: "DELETE FROM counter_charge WHERE reservation = ? AND committed = 0")
                .execute(arguments: [reservation])
        }
    }

    public func usage(_ key: CounterKey, window: Double, max: Int, now: Double) throws -> CounterUsage {
        let rollbacks = store.rollbacks.load(ordering: .relaxed)
        let (used, oldest) = try store.read { db in
            try mirror.withLock { m in
                try m.validate(db, rollbacks: rollbacks)
                return try m.usage(key, window: window, db: db, now: now)
            }
        }
        let resetsIn = oldest.map { Swift.max(0, $0 + window - now) }
        return CounterUsage(key: key, used: used, max: max, window: window, resetsIn: resetsIn)
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

    static func newReservationID() -> String { RandomID.hex(16) }
}
