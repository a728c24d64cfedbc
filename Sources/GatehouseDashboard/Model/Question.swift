/// What a y/n question will do on `y`.
public enum Question: Hashable, Sendable {
    case approveAll([DecisionTarget])
    case denyAll([DecisionTarget])
    case approveAlways(DecisionTarget)
    case overrideAllow(ToolTarget)
}

/// What a typed confirmation will do once the gateway's name is typed.
public enum KillSwitchChange: Hashable, Sendable {
    case engage, release
}
