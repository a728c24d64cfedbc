/// One tool call through its whole life, as the audit log, control socket and dashboard see it.
/// Unchecked: its one stored property, the box, is changed only while uniquely referenced.
public struct CallRecord: Codable, @unchecked Sendable, Hashable, Identifiable, CustomReflectable {
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
    @usableFromInline struct Fields: Codable, Sendable, Hashable {
        @usableFromInline var id: String
        @usableFromInline var gateway: String
        @usableFromInline var session: String
        @usableFromInline var grant: String
        @usableFromInline var tool: String
        @usableFromInline var arguments: JSONValue
        @usableFromInline var argsHash: String
        @usableFromInline var receivedAt: Double
        @usableFromInline var decision: String
        @usableFromInline var outcome: Outcome
        @usableFromInline var rule: String
        @usableFromInline var reason: String?
        @usableFromInline var trace: [String]
        @usableFromInline var counters: [String]
        @usableFromInline var approver: String?
        @usableFromInline var approvalScope: String?
        @usableFromInline var latencyMs: Double?
        @usableFromInline var resultPreview: String?
        @usableFromInline var resultIsError: Bool?
    }

    /// Changed only while this record holds the sole reference (see `fields`). A managed buffer's
    /// header, unlike a class's stored property, is read without the runtime's exclusivity check.
    @usableFromInline final class Box: ManagedBuffer<Fields, Void> {
        @usableFromInline static func make(_ fields: Fields) -> Box {
            unsafeDowncast(create(minimumCapacity: 0) { _ in fields }, to: Box.self)
        }
    }

    @usableFromInline var box: Box

    /// The fields, for changing in place: made unique first, and reached through the buffer's
    /// pointer (the `header` property's modify accessor checks exclusivity at run time).
    @usableFromInline var fields: Fields {
        get { box.header }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box.make(box.header) }
            let pointer = box.withUnsafeMutablePointerToHeader { $0 }
            yield &pointer.pointee
        }
    }

    @inlinable public var id: String {
        get { box.header.id }
        _modify { yield &fields.id }
    }
    @inlinable public var gateway: String {
        get { box.header.gateway }
        _modify { yield &fields.gateway }
    }
    @inlinable public var session: String {
        get { box.header.session }
        _modify { yield &fields.session }
    }
    @inlinable public var grant: String {
        get { box.header.grant }
        _modify { yield &fields.grant }
    }
    @inlinable public var tool: String {
        get { box.header.tool }
        _modify { yield &fields.tool }
    }
    @inlinable public var arguments: JSONValue {
        get { box.header.arguments }
        _modify { yield &fields.arguments }
    }
    @inlinable public var argsHash: String {
        get { box.header.argsHash }
        _modify { yield &fields.argsHash }
    }
    @inlinable public var receivedAt: Double {
        get { box.header.receivedAt }
        _modify { yield &fields.receivedAt }
    }
    /// allow, deny, rate_limited or hold: the policy's first answer.
    @inlinable public var decision: String {
        get { box.header.decision }
        _modify { yield &fields.decision }
    }
    @inlinable public var outcome: Outcome {
        get { box.header.outcome }
        _modify { yield &fields.outcome }
    }
    @inlinable public var rule: String {
        get { box.header.rule }
        _modify { yield &fields.rule }
    }
    @inlinable public var reason: String? {
        get { box.header.reason }
        _modify { yield &fields.reason }
    }
    @inlinable public var trace: [String] {
        get { box.header.trace }
        _modify { yield &fields.trace }
    }
    @inlinable public var counters: [String] {
        get { box.header.counters }
        _modify { yield &fields.counters }
    }
    @inlinable public var approver: String? {
        get { box.header.approver }
        _modify { yield &fields.approver }
    }
    @inlinable public var approvalScope: String? {
        get { box.header.approvalScope }
        _modify { yield &fields.approvalScope }
    }
    @inlinable public var latencyMs: Double? {
        get { box.header.latencyMs }
        _modify { yield &fields.latencyMs }
    }
    /// A short preview of the upstream's result or error text.
    @inlinable public var resultPreview: String? {
        get { box.header.resultPreview }
        _modify { yield &fields.resultPreview }
    }
    @inlinable public var resultIsError: Bool? {
        get { box.header.resultIsError }
        _modify { yield &fields.resultIsError }
    }

    public init(
        id: String, gateway: String, session: String, grant: String, tool: String, arguments: JSONValue, argsHash: String,
        receivedAt: Double, decision: String, outcome: Outcome, rule: String, reason: String? = nil, trace: [String] = [],
        counters: [String] = [], approver: String? = nil, approvalScope: String? = nil, latencyMs: Double? = nil,
        resultPreview: String? = nil, resultIsError: Bool? = nil
    ) {
        box = Box.make(Fields(
            id: id, gateway: gateway, session: session, grant: grant, tool: tool, arguments: arguments, argsHash: argsHash,
            receivedAt: receivedAt, decision: decision, outcome: outcome, rule: rule, reason: reason, trace: trace,
            counters: counters, approver: approver, approvalScope: approvalScope, latencyMs: latencyMs,
            resultPreview: resultPreview, resultIsError: resultIsError))
    }

    // The same JSON as the fields': the box does not show.
    public init(from decoder: any Decoder) throws { box = Box.make(try Fields(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try box.header.encode(to: encoder) }

    /// Shows the fields, not the box (in `dump`, the debugger and test failures).
    public var customMirror: Mirror { Mirror(reflecting: box.header) }

    public static func == (a: CallRecord, b: CallRecord) -> Bool { a.box === b.box || a.box.header == b.box.header }
    public func hash(into hasher: inout Hasher) { box.header.hash(into: &hasher) }
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
