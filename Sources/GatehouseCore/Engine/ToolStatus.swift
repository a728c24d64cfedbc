/// A tool's effective state as an operator needs to see it: what happens if the agent calls it now.
public struct ToolStatus: Sendable, Hashable {
    public var tool: String
    public var action: PolicyAction
    public var hidden: Bool
    public var overridden: ToolOverride?
    public var rule: String
    public var hasConditions: Bool
    /// Every limit a call of this tool is charged against, `all_tools` included.
    public var limits: [Limit]
    /// The tool's own limits: what makes it "rate-limited" rather than one of every tool
    /// under a policy-wide budget.
    public var ownLimits: [Limit] = []

    /// One word for lists: `hidden`, `denied`, `needs approval`, `rate-limited`, `allowed`.
    public var summary: String {
        if hidden { return "hidden" }
        switch action {
        case .deny: return "denied"
        case .requireApproval: return "needs approval"
        case .allow: return ownLimits.isEmpty ? "allowed" : "rate-limited"
        }
    }
}

extension PolicyEngine {
    public func status(of tool: String, state: RuntimeState) -> ToolStatus {
        let rule = policy.rule(for: tool)
        let override = state.overrides[tool]
        let hidden = policy.isHidden(tool) && override?.action != .allow
        let action = override?.action ?? rule.map { $0.action ?? .allow } ?? policy.defaultAction
        let conditions = !(policy.allTools.require.isEmpty && policy.allTools.denyIf.isEmpty)
            || !(rule.map { $0.require.isEmpty && $0.denyIf.isEmpty } ?? true)
        return ToolStatus(tool: tool, action: state.killSwitch != nil ? .deny : action, hidden: hidden, overridden: override,
                          rule: override != nil ? "override" : rule?.name ?? "default", hasConditions: conditions,
                          limits: policy.allTools.limits + (rule?.limits ?? []), ownLimits: rule?.limits ?? [])
    }
}
