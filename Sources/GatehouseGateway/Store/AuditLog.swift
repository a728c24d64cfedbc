import Foundation
import GRDB
import GatehouseCore

/// The audit log: one row per call, written before the call goes upstream and updated before the
/// client gets its answer, so no answered call is ever missing from it.
extension StateStore {
    public enum ArgumentsMode: String, Sendable, CaseIterable {
        /// Store the arguments as given.
        case full
        /// Store only their SHA-256, for arguments that must not rest on disk.
        case hash
    }

    /// Records a call's row. Durable when this returns (it is on the journal); in SQLite a few
    /// milliseconds later.
    public func record(_ call: CallRecord, arguments mode: ArgumentsMode, now: Double) throws {
        try journal(.audit(call, keepsArguments: mode == .full, complete: false, at: entryTime(now)))
    }

    /// Records the call's result (outcome, latency, preview, error flag) on the row `record`
    /// started; the rest of the row stays as the call's previous entry left it, so only the
    /// result is journaled.
    public func complete(_ call: CallRecord, arguments mode: ArgumentsMode, now: Double) throws {
        try journal(.audit(call, keepsArguments: false, complete: true, at: entryTime(now)))
    }

    /// Always later than the last entry's: a row's `updated_at` decides which of two entries is
    /// newer on replay, so neither a wall clock stepped back nor two entries in the same
    /// microsecond may make a completion look no newer than the call's first entry. Whole
    /// microseconds, which the journal writes as short exact decimals.
    func entryTime(_ now: Double) -> Double {
        lastEntryAt.withLock { last in
            // Bounded so a wild injected clock cannot trap the conversion (±285,000 years).
            let micros = now.isFinite ? Int64((Swift.min(Swift.max(now, -9e12), 9e12) * 1e6).rounded()) : 0
            last = last == .min ? micros : Swift.max(last + 1, micros)
            return Double(last) / 1e6
        }
    }


    /// An UPDATE of the call's result, all a completion changes: the upsert would first try an
    /// INSERT and conflict on the call id. Falls back to the upsert if the row is missing (which
    /// the journal's order rules out: a call's first entry reaches SQLite before its completion).
    static func complete(_ c: CallRecord, arguments: String?, now: Double, db: Database, _ statements: AuditStatements) throws {
        var s = RawStatement(statements.complete)
        s.bind(c.outcome.rawValue)
        s.bind(c.latencyMs)
        s.bind(c.resultPreview)
        s.bind(c.resultIsError)
        s.bind(now)
        s.bind(c.id)
        s.bind(now)
        try s.run(db)
        if db.changesCount == 0 {
            try upsert(c, arguments: arguments, now: now, db: db, statements)
        }
    }

    /// The two statements a batch runs per row, looked up once per batch: GRDB's statement
    /// cache hashes the whole SQL text on every lookup, a tenth of the ingester's work.
    struct AuditStatements {
        let upsert: Statement
        let complete: Statement
        /// Where a row's JSON columns (trace, counters) are written before they are bound.
        let scratch = LineEncoder(capacity: 1024)

        init(_ db: Database) throws {
            upsert = try db.cachedStatement(sql: StateStore.upsertSQL)
            complete = try db.cachedStatement(sql: StateStore.completeSQL)
        }
    }

    static let completeSQL = """
        UPDATE audit SET outcome = ?, latency_ms = ?, result_preview = ?, result_is_error = ?, updated_at = ?
        WHERE call_id = ? AND updated_at <= ?
        """

    static func upsert(_ c: CallRecord, arguments: String?, now: Double, db: Database, _ statements: AuditStatements) throws {
        // Cached: compiling this statement cost more than everything else a call does.
        var s = RawStatement(statements.upsert)
        s.bind(c.id)
        s.bind(c.gateway)
        s.bind(c.session)
        s.bind(c.grant)
        s.bind(c.tool)
        s.bind(arguments)
        s.bind(c.argsHash)
        s.bind(c.receivedAt)
        s.bind(c.decision)
        s.bind(c.outcome.rawValue)
        s.bind(c.rule)
        s.bind(c.reason)
        bindJSON(c.trace, &s, statements.scratch)
        bindJSON(c.counters, &s, statements.scratch)
        s.bind(c.approver)
        s.bind(c.approvalScope)
        s.bind(c.latencyMs)
        s.bind(c.resultPreview)
        s.bind(c.resultIsError)
        s.bind(now)
        try s.run(db)
    }

    /// A JSON array of strings, as `JSONWriter` writes it, with no JSONValue built on the way.
    private static func bindJSON(_ strings: [String], _ s: inout RawStatement, _ scratch: LineEncoder) {
        scratch.reset()
        scratch.strings(strings)
        s.bind(text: scratch.bytes)
    }

    /// A row only moves forward in time: replaying a journal (whose entries may already be in)
    /// can never put a call back to an earlier state.
    static let upsertSQL = """
                INSERT INTO audit (call_id, gateway, session, grant_id, tool, arguments, args_hash, received_at, decision,
                    outcome, rule, reason, trace, counters, approver, approval_scope, latency_ms, result_preview,
                    result_is_error, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                ON CONFLICT(call_id) DO UPDATE SET decision = excluded.decision, outcome = excluded.outcome,
                    rule = excluded.rule, reason = excluded.reason, trace = excluded.trace, counters = excluded.counters,
                    approver = excluded.approver, approval_scope = excluded.approval_scope, latency_ms = excluded.latency_ms,
                    result_preview = excluded.result_preview, result_is_error = excluded.result_is_error,
                    updated_at = excluded.updated_at
                WHERE excluded.updated_at >= audit.updated_at
                """

    public struct AuditQuery: Sendable {
        public var since: Double?
        public var tool: String?
        public var decision: String?
        public var gateway: String?
        public var afterSeq: Int64?
        public var limit: Int
        public init(since: Double? = nil, tool: String? = nil, decision: String? = nil, gateway: String? = nil,
                    afterSeq: Int64? = nil, limit: Int = 1000) {
            self.since = since
            self.tool = tool
            self.decision = decision
            self.gateway = gateway
            self.afterSeq = afterSeq
            self.limit = limit
        }

        /// The query's filters, for a call not read from SQLite.
        func matches(_ c: CallRecord) -> Bool {
            if let s = since, c.receivedAt < s { return false }
            if let t = tool, c.tool != t { return false }
            if let d = decision, c.decision != d, c.outcome.rawValue != d { return false }
            if let g = gateway, c.gateway != g { return false }
            return true
        }
    }

    /// Rows oldest first, with their sequence numbers (for `--follow`). Calls still on a journal
    /// (a running gateway's last few milliseconds, or a dead one's not yet replayed) are merged
    /// in, in their newest state; those not in SQLite yet come last, with seq 0. A query with
    /// `afterSeq` reads SQLite only: a follower sees each row once, when it gets its seq.
    public func audit(_ q: AuditQuery) throws -> [(seq: Int64, call: CallRecord)] {
        // This process's own entries go in first, so they have their seqs.
        flushJournal()
        // The journals first: an entry gone from them by the time SQLite is read is in SQLite.
        let journaled = q.afterSeq == nil ? journaledCalls() : [:]
        var clauses: [String] = []
        var args: [any DatabaseValueConvertible] = []
        if let s = q.since { clauses.append("received_at >= ?"); args.append(s) }
        if let t = q.tool { clauses.append("tool = ?"); args.append(t) }
        if let d = q.decision {
            // `--decision denied` and `--decision deny` both mean what a person means.
            clauses.append("(decision = ? OR outcome = ?)")
            args.append(d)
            args.append(d)
        }
        if let g = q.gateway { clauses.append("gateway = ?"); args.append(g) }
        if let a = q.afterSeq { clauses.append("seq > ?"); args.append(a) }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let limit = max(1, q.limit)
        let sql = "SELECT * FROM (SELECT * FROM audit \(whereSQL) ORDER BY seq DESC LIMIT \(limit)) ORDER BY seq"
        return try db.read { db in
            var rows: [(seq: Int64, call: CallRecord)] = []
            var seen: Set<String> = []
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)) {
                var call = Self.callRecord(row)
                let updatedAt: Double = row["updated_at"]
                if let j = journaled[call.id], j.at >= updatedAt {
                    if j.resultOnly {
                        call.takeResult(from: j.call)  // a completion carries only the result
                    } else {
                        let arguments = call.arguments  // not repeated after the first entry
                        call = j.call
                        if case .null = call.arguments { call.arguments = arguments }
                    }
                }
                seen.insert(call.id)
                rows.append((row["seq"], call))
            }
            let inSQLite = try db.cachedStatement(sql: "SELECT 1 FROM audit WHERE call_id = ?")
            let fresh = try journaled.values.filter { j in
                guard !seen.contains(j.call.id), q.matches(j.call) else { return false }
                return try Bool.fetchOne(inSQLite, arguments: [j.call.id]) == nil
            }.sorted { $0.order < $1.order }
            rows += fresh.map { (0, $0.call) }
            return Array(rows.suffix(limit))
        }
    }

    static func callRecord(_ row: Row) -> CallRecord {
        func strings(_ text: String?) -> [String] {
            guard let text, let v = try? JSONParser.parse(text), case .array(let a) = v else { return [] }
            return a.compactMap(\.stringValue)
        }
        let argsText: String? = row["arguments"]
        let args = argsText.flatMap { try? JSONParser.parse($0) } ?? .null
        return CallRecord(
            id: row["call_id"], gateway: row["gateway"], session: row["session"], grant: row["grant_id"], tool: row["tool"],
            arguments: args, argsHash: row["args_hash"], receivedAt: row["received_at"], decision: row["decision"],
            outcome: CallRecord.Outcome(rawValue: row["outcome"]) ?? .error, rule: row["rule"], reason: row["reason"],
            trace: strings(row["trace"]), counters: strings(row["counters"]), approver: row["approver"],
            approvalScope: row["approval_scope"], latencyMs: row["latency_ms"], resultPreview: row["result_preview"],
            resultIsError: row["result_is_error"])
    }
}
