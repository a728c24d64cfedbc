/// What operators have changed since the policy file was read: kill switch, per-tool overrides,
/// and standing approvals. The gateway persists it; the engine only reads it.
public struct RuntimeState: Sendable, Hashable {
    public var killSwitch: KillSwitch?
    /// Exact tool name → action that replaces the policy's.
    public var overrides: [String: ToolOverride]
    public var grants: [ApprovalGrant]

    public init(killSwitch: KillSwitch? = nil, overrides: [String: ToolOverride] = [:], grants: [ApprovalGrant] = []) {
        self.killSwitch = killSwitch
        self.overrides = overrides
        self.grants = grants
    }
}

public struct KillSwitch: Sendable, Hashable {
    public var engagedBy: String
    public var engagedAt: Double
    public var reason: String?

    public init(engagedBy: String, engagedAt: Double, reason: String? = nil) {
        self.engagedBy = engagedBy
        self.engagedAt = engagedAt
        self.reason = reason
    }
}

public struct ToolOverride: Sendable, Hashable {
    public var action: PolicyAction
    public var setBy: String
    public var setAt: Double

    public init(action: PolicyAction, setBy: String, setAt: Double) {
        self.action = action
        self.setBy = setBy
        self.setAt = setAt
    }
}

/// A standing approval: calls of `tool` skip the hold while it lasts.
public struct ApprovalGrant: Sendable, Hashable {
    public var id: String
    public var tool: String
    /// Limits the grant to one session; nil for any session.
    public var session: String?
    /// Seconds since the epoch when the grant ends; nil for no end.
    public var expiresAt: Double?
    public var grantedBy: String

    public init(id: String, tool: String, session: String? = nil, expiresAt: Double? = nil, grantedBy: String) {
        self.id = id
        self.tool = tool
        self.session = session
        self.expiresAt = expiresAt
        self.grantedBy = grantedBy
    }

    public func covers(_ call: CallContext, now: Double) -> Bool {
        tool == call.tool && (session == nil || session == call.session) && (expiresAt.map { now < $0 } ?? true)
    }

    public var scopeDescription: String {
        if session != nil { return "this session" }
        if expiresAt != nil { return "a limited time" }
        return "always"
    }
}
