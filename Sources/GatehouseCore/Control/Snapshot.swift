/// Who a gateway is.
public struct GatewayInfo: Codable, Sendable, Hashable {
    public var name: String
    public var pid: Int32
    public var upstream: [String]
    public var startedAt: Double
    public var grant: String
    public var user: String
    public var version: String
    public init(name: String, pid: Int32, upstream: [String], startedAt: Double, grant: String, user: String, version: String) {
        self.name = name
        self.pid = pid
        self.upstream = upstream
        self.startedAt = startedAt
        self.grant = grant
        self.user = user
        self.version = version
    }
}

public struct PolicySummary: Codable, Sendable, Hashable {
    public var file: String
    public var version: String
    public var defaultAction: String
    public var toolRules: Int
    public var counters: Int
    public var hidden: [String]
    public var loadedAt: Double
    public var sha256: String
    public init(file: String, version: String, defaultAction: String, toolRules: Int, counters: Int, hidden: [String],
                loadedAt: Double, sha256: String) {
        self.file = file
        self.version = version
        self.defaultAction = defaultAction
        self.toolRules = toolRules
        self.counters = counters
        self.hidden = hidden
        self.loadedAt = loadedAt
        self.sha256 = sha256
    }
}

public struct KillSwitchInfo: Codable, Sendable, Hashable {
    public var engaged: Bool
    public var by: String?
    public var at: Double?
    public var reason: String?
    public init(engaged: Bool, by: String? = nil, at: Double? = nil, reason: String? = nil) {
        self.engaged = engaged
        self.by = by
        self.at = at
        self.reason = reason
    }
}

/// A tool from the upstream's catalogue with its effective state under the policy right now.
public struct ToolInfo: Codable, Sendable, Hashable, Identifiable {
    public var id: String { name }
    public var name: String
    public var description: String?
    public var risk: RiskClass
    public var readOnlyHint: Bool?
    public var destructiveHint: Bool?
    /// allowed, denied, hidden, needs approval, rate-limited.
    public var state: String
    public var action: String
    public var hidden: Bool
    public var override: String?
    public var overrideBy: String?
    public var rule: String
    public var limits: [String]
    public init(name: String, description: String?, risk: RiskClass, readOnlyHint: Bool?, destructiveHint: Bool?, state: String,
                action: String, hidden: Bool, override: String?, overrideBy: String?, rule: String, limits: [String]) {
        self.name = name
        self.description = description
        self.risk = risk
        self.readOnlyHint = readOnlyHint
        self.destructiveHint = destructiveHint
        self.state = state
        self.action = action
        self.hidden = hidden
        self.override = override
        self.overrideBy = overrideBy
        self.rule = rule
        self.limits = limits
    }
}

public struct CounterInfo: Codable, Sendable, Hashable, Identifiable {
    public var id: String { key }
    /// `orders_rate[grant:alice]`
    public var key: String
    public var counter: String
    public var scope: String
    public var subject: String
    public var used: Double
    public var max: Int
    public var windowSeconds: Double
    public var resetsIn: Double?
    public init(key: String, counter: String, scope: String, subject: String, used: Double, max: Int, windowSeconds: Double,
                resetsIn: Double?) {
        self.key = key
        self.counter = counter
        self.scope = scope
        self.subject = subject
        self.used = used
        self.max = max
        self.windowSeconds = windowSeconds
        self.resetsIn = resetsIn
    }

    public init(_ u: CounterUsage) {
        self.init(key: u.key.description, counter: u.key.counter, scope: u.key.scope.rawValue, subject: u.key.subject,
                  used: u.used, max: u.max, windowSeconds: u.window, resetsIn: u.resetsIn)
    }
}

/// Everything a new subscriber needs to draw the gateway before the first event arrives.
public struct Snapshot: Codable, Sendable, Hashable {
    public var gateway: GatewayInfo
    public var policy: PolicySummary
    public var killSwitch: KillSwitchInfo
    public var tools: [ToolInfo]
    public var counters: [CounterInfo]
    public var pending: [PendingApproval]
    public var recent: [CallRecord]
    /// The sequence number of the last event included; live events continue from `seq + 1`.
    public var seq: UInt64
    public var upstreamRunning: Bool
    public init(gateway: GatewayInfo, policy: PolicySummary, killSwitch: KillSwitchInfo, tools: [ToolInfo], counters: [CounterInfo],
                pending: [PendingApproval], recent: [CallRecord], seq: UInt64, upstreamRunning: Bool) {
        self.gateway = gateway
        self.policy = policy
        self.killSwitch = killSwitch
        self.tools = tools
        self.counters = counters
        self.pending = pending
        self.recent = recent
        self.seq = seq
        self.upstreamRunning = upstreamRunning
    }
}
