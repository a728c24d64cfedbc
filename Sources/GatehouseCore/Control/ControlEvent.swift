/// One live event from a gateway. Exactly one payload field is set, named by `type`.
public struct ControlEvent: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A call arrived, was decided, or finished: `call` holds its latest state.
        case call
        case approvalPending = "approval.pending"
        case approvalResolved = "approval.resolved"
        case counter
        case tools
        case killSwitch = "killswitch"
        case policyReloaded = "policy.reloaded"
        case policyRejected = "policy.rejected"
        case upstream
    }

    public var seq: UInt64
    public var at: Double
    public var type: Kind
    public var call: CallRecord?
    public var approval: PendingApproval?
    /// For approval.resolved: the pending id, outcome and who resolved it.
    public var resolution: Resolution?
    public var counters: [CounterInfo]?
    public var tools: [ToolInfo]?
    public var killSwitch: KillSwitchInfo?
    public var policy: PolicySummary?
    public var errors: [String]?
    public var upstreamRunning: Bool?
    public var message: String?

    public init(seq: UInt64 = 0, at: Double, type: Kind, call: CallRecord? = nil, approval: PendingApproval? = nil,
                resolution: Resolution? = nil, counters: [CounterInfo]? = nil, tools: [ToolInfo]? = nil,
                killSwitch: KillSwitchInfo? = nil, policy: PolicySummary? = nil, errors: [String]? = nil,
                upstreamRunning: Bool? = nil, message: String? = nil) {
        self.seq = seq
        self.at = at
        self.type = type
        self.call = call
        self.approval = approval
        self.resolution = resolution
        self.counters = counters
        self.tools = tools
        self.killSwitch = killSwitch
        self.policy = policy
        self.errors = errors
        self.upstreamRunning = upstreamRunning
        self.message = message
    }

    public struct Resolution: Codable, Sendable, Hashable {
        public var id: String
        /// approved, denied, timed_out, cancelled
        public var outcome: String
        public var by: String?
        public var scope: String?
        public var reason: String?
        public init(id: String, outcome: String, by: String?, scope: String?, reason: String?) {
            self.id = id
            self.outcome = outcome
            self.by = by
            self.scope = scope
            self.reason = reason
        }
    }
}

/// `resync` params.
public struct ResyncParams: Codable, Sendable, Hashable {
    public var missed: Int
    public var snapshot: Snapshot
    public init(missed: Int, snapshot: Snapshot) {
        self.missed = missed
        self.snapshot = snapshot
    }
}
