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

    public var id: String
    public var gateway: String
    public var session: String
    public var grant: String
    public var tool: String
    public var arguments: JSONValue
    public var argsHash: String
    public var receivedAt: Double
    /// allow, deny, rate_limited or hold: the policy's first answer.
    public var decision: String
    public var outcome: Outcome
    public var rule: String
    public var reason: String?
    public var trace: [String]
    public var counters: [String]
    public var approver: String?
    public var approvalScope: String?
    public var latencyMs: Double?
    /// A short preview of the upstream's result or error text.
    public var resultPreview: String?
    public var resultIsError: Bool?

    public init(
        id: String, gateway: String, session: String, grant: String, tool: String, arguments: JSONValue, argsHash: String,
        receivedAt: Double, decision: String, outcome: Outcome, rule: String, reason: String? = nil, trace: [String] = [],
        counters: [String] = [], approver: String? = nil, approvalScope: String? = nil, latencyMs: Double? = nil,
        resultPreview: String? = nil, resultIsError: Bool? = nil
    ) {
        self.id = id
        self.gateway = gateway
        self.session = session
        self.grant = grant
        self.tool = tool
        self.arguments = arguments
        self.argsHash = argsHash
        self.receivedAt = receivedAt
        self.decision = decision
        self.outcome = outcome
        self.rule = rule
        self.reason = reason
        self.trace = trace
        self.counters = counters
        self.approver = approver
        self.approvalScope = approvalScope
        self.latencyMs = latencyMs
        self.resultPreview = resultPreview
        self.resultIsError = resultIsError
    }
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
