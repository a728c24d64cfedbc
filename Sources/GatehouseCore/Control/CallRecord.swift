/// One tool call through its whole life, as the audit log, control socket and dashboard see it.
public struct CallRecord: Codable, Sendable, Hashable, Identifiable {
    public enum Outcome: String, Codable, Sendable, Hashable, CaseIterable {
        /// Held, waiting for an operator.
        case held
        /// Forwarded to the upstream, answer not back yet.
        case forwarded
        /// The upstream answered with a result (which may itself be a tool error).
        case ok
        /// The upstream answered with a JSON-RPC error, died, or could not be reached.
        case error
        case denied
        case rateLimited = "rate_limited"
        case timedOut = "timed_out"
        case cancelled

        public var isFinal: Bool { self != .held && self != .forwarded }
    }

    /// The fields, in one shared box: a record is copied into the audit journal, the in-flight
    /// table, the recent calls and events, and each copy is then one retain instead of one per field.
    struct Fields: Codable, Sendable, Hashable {
        var id: String
        var gateway: String
        var session: String
        var grant: String
        var tool: String
        var arguments: JSONValue
        var argsHash: String
        var receivedAt: Double
        var decision: String
        var outcome: Outcome
        var rule: String
        var reason: String?
        var trace: [String]
        var counters: [String]
        var approver: String?
        var approvalScope: String?
        var latencyMs: Double?
        var resultPreview: String?
        var resultIsError: Bool?
    }

    /// Changed only while this record holds the sole reference (see `unique`).
    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
    }

    public var id: String {
        get { box.fields.id }
        _modify { unique(); yield &box.fields.id }
    }
    public var gateway: String {
        get { box.fields.gateway }
        _modify { unique(); yield &box.fields.gateway }
    }
    public var session: String {
        get { box.fields.session }
        _modify { unique(); yield &box.fields.session }
    }
    public var grant: String {
        get { box.fields.grant }
        _modify { unique(); yield &box.fields.grant }
    }
    public var tool: String {
        get { box.fields.tool }
        _modify { unique(); yield &box.fields.tool }
    }
    public var arguments: JSONValue {
        get { box.fields.arguments }
        _modify { unique(); yield &box.fields.arguments }
    }
    public var argsHash: String {
        get { box.fields.argsHash }
        _modify { unique(); yield &box.fields.argsHash }
    }
    public var receivedAt: Double {
        get { box.fields.receivedAt }
        _modify { unique(); yield &box.fields.receivedAt }
    }
    /// allow, deny, rate_limited or hold: the policy's first answer.
    public var decision: String {
        get { box.fields.decision }
        _modify { unique(); yield &box.fields.decision }
    }
    public var outcome: Outcome {
        get { box.fields.outcome }
        _modify { unique(); yield &box.fields.outcome }
    }
    public var rule: String {
        get { box.fields.rule }
        _modify { unique(); yield &box.fields.rule }
    }
    public var reason: String? {
        get { box.fields.reason }
        _modify { unique(); yield &box.fields.reason }
    }
    public var trace: [String] {
        get { box.fields.trace }
        _modify { unique(); yield &box.fields.trace }
    }
    public var counters: [String] {
        get { box.fields.counters }
        _modify { unique(); yield &box.fields.counters }
    }
    public var approver: String? {
        get { box.fields.approver }
        _modify { unique(); yield &box.fields.approver }
    }
    public var approvalScope: String? {
        get { box.fields.approvalScope }
        _modify { unique(); yield &box.fields.approvalScope }
    }
    public var latencyMs: Double? {
        get { box.fields.latencyMs }
        _modify { unique(); yield &box.fields.latencyMs }
    }
    /// A short preview of the upstream's result or error text.
    public var resultPreview: String? {
        get { box.fields.resultPreview }
        _modify { unique(); yield &box.fields.resultPreview }
    }
    public var resultIsError: Bool? {
        get { box.fields.resultIsError }
        _modify { unique(); yield &box.fields.resultIsError }
    }

    public init(
        id: String, gateway: String, session: String, grant: String, tool: String, arguments: JSONValue, argsHash: String,
        receivedAt: Double, decision: String, outcome: Outcome, rule: String, reason: String? = nil, trace: [String] = [],
        counters: [String] = [], approver: String? = nil, approvalScope: String? = nil, latencyMs: Double? = nil,
        resultPreview: String? = nil, resultIsError: Bool? = nil
    ) {
        box = Box(Fields(
            id: id, gateway: gateway, session: session, grant: grant, tool: tool, arguments: arguments, argsHash: argsHash,
            receivedAt: receivedAt, decision: decision, outcome: outcome, rule: rule, reason: reason, trace: trace,
            counters: counters, approver: approver, approvalScope: approvalScope, latencyMs: latencyMs,
            resultPreview: resultPreview, resultIsError: resultIsError))
    }

    // The same JSON as the fields': the box does not show.
    public init(from decoder: any Decoder) throws { box = Box(try Fields(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try box.fields.encode(to: encoder) }

    public static func == (a: CallRecord, b: CallRecord) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
    public func hash(into hasher: inout Hasher) { box.fields.hash(into: &hasher) }
}

/// A held call as the operator sees it: what it is and what happens when time runs out.
public struct PendingApproval: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var call: CallRecord
    public var heldAt: Double
    public var expiresAt: Double
    public var onTimeout: String
    public init(id: String, call: CallRecord, heldAt: Double, expiresAt: Double, onTimeout: String) {
        self.id = id
        self.call = call
        self.heldAt = heldAt
        self.expiresAt = expiresAt
        self.onTimeout = onTimeout
    }
}
