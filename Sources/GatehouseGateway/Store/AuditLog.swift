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

    public func record(_ call: CallRecord, arguments mode: ArgumentsMode, now: Double) throws {
        try write(oneStatement: true) { db in try Self.upsert(call, mode: mode, now: now, db: db) }
    }

    /// Completes the row a call's first write made. An UPDATE of the columns that change: the
    /// upsert would first try an INSERT and conflict on the call id. Falls back to the upsert if
    /// the row is missing (its first write failed), so the result is the same either way.
    public func complete(_ call: CallRecord, arguments mode: ArgumentsMode, now: Double) throws {
        // One statement changes anything (an UPDATE of no row changes nothing): no savepoint needed.
        try write(oneStatement: true) { db in
            let c = call
            try db.cachedStatement(sql: Self.completeSQL).execute(arguments: [
                c.decision, c.outcome.rawValue, c.rule, c.reason, JSONWriter.string(.array(c.trace.map(JSONValue.string))),
                JSONWriter.string(.array(c.counters.map(JSONValue.string))), c.approver, c.approvalScope, c.latencyMs,
                c.resultPreview, c.resultIsError, now, c.id,
            ])
            if db.changesCount == 0 { try Self.upsert(call, mode: mode, now: now, db: db) }
        }
    }

    static let completeSQL = """
        UPDATE audit SET decision = ?, outcome = ?, rule = ?, reason = ?, trace = ?, counters = ?, approver = ?,
            approval_scope = ?, latency_ms = ?, result_preview = ?, result_is_error = ?, updated_at = ?
        WHERE call_id = ?
        """

    static func upsert(_ c: CallRecord, mode: ArgumentsMode, now: Double, db: Database) throws {
        let args: String? = mode == .full ? JSONWriter.string(c.arguments) : nil
        // Cached: compiling this statement cost more than everything else a call does.
        try db.cachedStatement(sql: upsertSQL).execute(
            arguments: [
                c.id, c.gateway, c.session, c.grant, c.tool, args, c.argsHash, c.receivedAt, c.decision,
                c.outcome.rawValue, c.rule, c.reason, JSONWriter.string(.array(c.trace.map(JSONValue.string))),
                JSONWriter.string(.array(c.counters.map(JSONValue.string))), c.approver, c.approvalScope, c.latencyMs,
                c.resultPreview, c.resultIsError, now,
            ])
    }

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
    }

    /// Rows oldest first, with their sequence numbers (for `--follow`).
    public func audit(_ q: AuditQuery) throws -> [(seq: Int64, call: CallRecord)] {
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
        let sql = "SELECT * FROM (SELECT * FROM audit \(whereSQL) ORDER BY seq DESC LIMIT \(max(1, q.limit))) ORDER BY seq"
        return try db.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                (row["seq"], Self.callRecord(row))
            }
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
