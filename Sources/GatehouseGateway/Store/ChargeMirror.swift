import GRDB
import GatehouseCore

/// The live charges of the counters this gateway uses, mirrored from SQLite, so a reservation
/// costs O(1) instead of reading every charge in its window (a read that grew with the window:
/// 100,000 charges in an hour's window meant 100,000 rows fetched per call).
///
/// SQLite stays the truth. The mirror is dropped whenever another connection (another gateway
/// sharing the state directory) has committed, which `PRAGMA data_version` reveals, or a write of
/// ours failed or was rolled back; a key is then reloaded from its rows on first use. Callers hold
/// the store's write lock (or a read transaction) while they use it.
struct ChargeMirror {
    struct Charge {
        var at: Double
        var amount: Double
        var reservation: String
        var committed: Bool
    }

    /// One key's live charges in time order, with their running total.
    struct Ledger {
        private(set) var charges: [Charge] = []
        private var head = 0
        /// Sum of the live amounts, kept incrementally and recounted whenever dropped charges are
        /// reclaimed, so rounding cannot accumulate.
        private(set) var total = 0.0
        /// How far back the ledger was loaded; a longer window needs a reload.
        var window: Double

        init(window: Double, charges: [Charge]) {
            self.window = window
            self.charges = charges
            total = charges.reduce(0) { $0 + $1.amount }
        }

        var live: ArraySlice<Charge> { charges[head...] }

        mutating func prune(now: Double, window w: Double) {
            while head < charges.count, charges[head].at <= now - w { head += 1 }
            window = w
            if head > 64, head * 2 > charges.count {
                charges.removeFirst(head)
                head = 0
                total = charges.reduce(0) { $0 + $1.amount }
            }
        }

        mutating func insert(_ c: Charge) {
            if let last = charges.last, last.at > c.at {
                // A clock that stepped back: keep time order.
                let i = charges[head...].firstIndex { $0.at > c.at } ?? charges.count
                charges.insert(c, at: i)
            } else {
                charges.append(c)
            }
            total += c.amount
        }

        /// Marks (commit) or removes (rollback, uncommitted only) one reservation's charges.
        mutating func settle(_ reservation: String, at: Double, commit: Bool) {
            var i = charges.count - 1
            while i >= head, charges[i].at >= at {
                if charges[i].reservation == reservation {
                    if commit {
                        charges[i].committed = true
                    } else if !charges[i].committed {
                        total -= charges[i].amount
                        charges.remove(at: i)
                    }
                }
                i -= 1
            }
        }

        /// The store's rolling-window rule over the mirrored charges plus `pending` (this call's
        /// earlier charges to the same key). Clear of the limit, the running total decides; near
        /// or over it, the exact sum over the charges does, as the store always computed it.
        func assess(window: Double, max: Int, amount: Double, pending: Double, now: Double) -> RollingWindow.Assessment {
            let used = total + pending
            if used + amount < Double(max) - 1e-6 {
                let oldest = Swift.min(live.first?.at ?? now, now)
                return RollingWindow.assess(sortedLive: CollectionOfOne(RollingWindow.Event(at: oldest, amount: 0)), used: used,
                                            window: window, max: max, amount: amount, now: now)
            }
            let events = live.map { RollingWindow.Event(at: $0.at, amount: $0.amount) } + [RollingWindow.Event(at: now, amount: pending)]
            return RollingWindow.assess(events: events, window: window, max: max, amount: amount, now: now)
        }
    }

    /// Keys of `grant` and `global` counters, which other gateways share: dropped whenever the
    /// database changed under us.
    private var ledgers: [CounterKey: Ledger] = [:]
    /// Keys of `session` counters. A session belongs to one gateway process, so nobody else
    /// charges them and they are never dropped for another connection's commit: they are the
    /// truth for this process, SQLite their copy (fed by the journal).
    private var sessions: [CounterKey: Ledger] = [:]
    /// Settlements still on the journal: a ledger loaded from SQLite does not have them yet.
    let unsettled: @Sendable () -> [(reservation: String, at: Double, commit: Bool)]
    /// Session charges still on the journal, likewise.
    let uningested: @Sendable (CounterKey) -> [(charge: CounterCharge, at: Double, reservation: String)]

    init(unsettled: @escaping @Sendable () -> [(reservation: String, at: Double, commit: Bool)] = { [] },
         uningested: @escaping @Sendable (CounterKey) -> [(charge: CounterCharge, at: Double, reservation: String)] = { _ in [] }) {
        self.unsettled = unsettled
        self.uningested = uningested
    }

    private var dataVersion: Int64?
    private var rollbacks: UInt64 = 0

    /// Drops the shared counters' ledgers if the database changed under us since the last use.
    mutating func validate(_ db: Database, rollbacks now: UInt64) throws {
        let version = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
        if version != dataVersion || now != rollbacks {
            ledgers.removeAll(keepingCapacity: true)
            dataVersion = version
            rollbacks = now
        }
    }

    /// Whether every charge's key has a ledger covering its window, so it can be assessed
    /// without the database (only session counters ever can).
    func covers(_ charges: [CounterCharge]) -> Bool {
        charges.allSatisfy { c in c.key.scope == .session && (sessions[c.key]?.window ?? -1) >= c.window }
    }

    /// Assesses a charge against the key's ledger (pruned to `now`, loaded from SQLite if needed;
    /// `db` may be nil only for keys `covers` vouched for).
    mutating func assess(_ key: CounterKey, window: Double, max: Int, amount: Double, pending: Double,
                         db: Database?, now: Double) throws -> RollingWindow.Assessment {
        try load(key, window: window, db: db, now: now)
        // In place: a copy of the ledger would make the next insert copy every charge.
        if key.scope == .session {
            return sessions[key]!.assess(window: window, max: max, amount: amount, pending: pending, now: now)
        }
        return ledgers[key]!.assess(window: window, max: max, amount: amount, pending: pending, now: now)
    }

    /// The key's live total and oldest charge, for the dashboard.
    mutating func usage(_ key: CounterKey, window: Double, db: Database, now: Double) throws -> (used: Double, oldest: Double?) {
        try load(key, window: window, db: db, now: now)
        let ledger = key.scope == .session ? sessions[key]! : ledgers[key]!
        return (ledger.total, ledger.live.first?.at)
    }

    private mutating func load(_ key: CounterKey, window: Double, db: Database?, now: Double) throws {
        let session = key.scope == .session
        if let w = (session ? sessions[key] : ledgers[key])?.window, w >= window {
            if session { sessions[key]!.prune(now: now, window: window) } else { ledgers[key]!.prune(now: now, window: window) }
            return
        }
        guard let db else { preconditionFailure("a counter ledger to load without the database") }
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT at, amount, reservation, committed FROM counter_charge
                WHERE counter = ? AND scope = ? AND subject = ? AND at > ? ORDER BY at
                """),
            arguments: [key.counter, key.scope.rawValue, key.subject, now - window])
        var ledger = Ledger(window: window, charges: rows.map {
            Charge(at: $0["at"], amount: $0["amount"], reservation: $0["reservation"], committed: $0["committed"])
        })
        if session {
            // This process's own charges the ingester has not moved yet (each once: one may be in both).
            let known = Set(ledger.charges.map(\.reservation))
            for w in uningested(key) where !known.contains(w.reservation) && w.at > now - window {
                ledger.insert(Charge(at: w.at, amount: w.charge.amount, reservation: w.reservation, committed: false))
            }
        }
        for s in unsettled() { ledger.settle(s.reservation, at: s.at, commit: s.commit) }
        if session { sessions[key] = ledger } else { ledgers[key] = ledger }
    }

    mutating func add(_ key: CounterKey, _ c: Charge) {
        if key.scope == .session { sessions[key]?.insert(c) } else { ledgers[key]?.insert(c) }
    }

    mutating func settle(_ r: Reservation, commit: Bool) {
        for key in Set(r.charges.map(\.key)) {
            if key.scope == .session {
                sessions[key]?.settle(r.id, at: r.at, commit: commit)
            } else {
                ledgers[key]?.settle(r.id, at: r.at, commit: commit)
            }
        }
    }
}
