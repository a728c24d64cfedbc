/// A loaded, validated policy. Build one with `PolicyLoader`; every value here has been checked.
public struct Policy: Sendable {
    public var version: String
    public var defaultAction: PolicyAction
    public var hide: [ToolPattern]
    public var approval: ApprovalSettings
    public var allTools: ToolRule
    public var tools: [ToolRule] {
        didSet { index = RuleIndex(tools) }
    }
    public var description: String?
    /// Rebuilt whenever `tools` changes, so lookups always reflect the rules.
    private var index: RuleIndex

    public init(
        version: String = "1", defaultAction: PolicyAction, hide: [ToolPattern] = [],
        approval: ApprovalSettings = .standard, allTools: ToolRule = ToolRule(pattern: ToolPattern("*")),
        tools: [ToolRule] = [], description: String? = nil
    ) {
        self.version = version
        self.defaultAction = defaultAction
        self.hide = hide
        self.approval = approval
        self.allTools = allTools
        self.tools = tools
        self.description = description
        self.index = RuleIndex(tools)
    }

    /// The rule that governs `tool`: an exact key, else the most specific matching glob
    /// (more literal characters, then fewer `*`, then the one written first).
    public func rule(for tool: String) -> ToolRule? {
        ruleIndex(for: tool).map { tools[$0] }
    }

    /// Where `rule(for:)`'s rule sits in `tools`.
    func ruleIndex(for tool: String) -> Int? {
        index.ruleIndex(for: tool)
    }

    /// The same answer as `rule(for:)`, found by trying every rule: the definition the index must match.
    func ruleByScanning(for tool: String) -> ToolRule? {
        var best: ToolRule?
        for rule in tools where rule.pattern.matches(tool) {
            if !rule.pattern.isGlob { return rule }
            if let b = best, !rule.pattern.isMoreSpecific(than: b.pattern) { continue }
            best = rule
        }
        return best
    }

    public func isHidden(_ tool: String) -> Bool {
        hide.contains { $0.matches(tool) }
    }

    /// Every counter the policy declares, with the one window, max and scope it has everywhere.
    public var counters: [Limit] {
        var seen: [String: Limit] = [:]
        var order: [String] = []
        for rule in [allTools] + tools {
            for l in rule.limits where seen[l.counter] == nil {
                seen[l.counter] = l
                order.append(l.counter)
            }
        }
        return order.compactMap { seen[$0] }
    }
}

/// The rule for one tool key (or for `all_tools`).
public struct ToolRule: Sendable {
    public var pattern: ToolPattern
    /// Nil when the key lists the tool without an action: listing allows it.
    public var action: PolicyAction?
    public var reason: String?
    public var require: [Condition]
    public var denyIf: [Condition]
    public var limits: [Limit]
    public var approval: ApprovalSettings?
    public var description: String?

    public init(
        pattern: ToolPattern, action: PolicyAction? = nil, reason: String? = nil, require: [Condition] = [],
        denyIf: [Condition] = [], limits: [Limit] = [], approval: ApprovalSettings? = nil, description: String? = nil
    ) {
        self.pattern = pattern
        self.action = action
        self.reason = reason
        self.require = require
        self.denyIf = denyIf
        self.limits = limits
        self.approval = approval
        self.description = description
    }

    /// How the trace and the audit name this rule: `tools["binance_*"]`.
    public var name: String { "tools[\"\(pattern.text)\"]" }
}
