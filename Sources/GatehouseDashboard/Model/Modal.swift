import GatehouseCore

/// A held call a decision is about, captured when the operator pressed the key: the
/// command carries this id and argument hash even if the screen changes meanwhile.
public struct DecisionTarget: Hashable, Sendable {
    public var key: CallKey
    public var argsHash: String
    public var tool: String
    public var gatewayName: String
    /// The arguments as shown (compact JSON, cut).
    public var preview: String = ""

    /// `place_order 3fa9c2` — how messages name the call.
    public var label: String { "\(tool) \(key.id.prefix(6))" }
}

/// A tool an override is about.
public struct ToolTarget: Hashable, Sendable {
    public var key: ToolKey
    public var gatewayName: String
    public var risk: RiskClass?
}

/// Approval scopes as the menu offers them.
public enum ScopeChoice: Hashable, Sendable {
    case once
    case duration(seconds: Double, label: String)
    case session
    case always
}

/// Tool override choices (`tool.override` actions).
public enum OverrideChoice: String, Hashable, Sendable {
    case deny
    case requireApproval = "require_approval"
    case allow
    case clear

    /// The wire value; nil clears.
    public var wire: String? { self == .clear ? nil : rawValue }
}

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

/// Whatever sits on top of the panels and takes every key until it closes.
public enum Modal: Sendable {
    case help(context: KeyContext, scroll: Int)
    /// Editing a panel's filter live; Esc puts `previous` back.
    case filter(panel: Panel, editor: LineEditor, previous: String)
    case denyReason(target: DecisionTarget, editor: LineEditor)
    case scopeMenu(target: DecisionTarget, menu: ChoiceMenu<ScopeChoice>)
    case overrideMenu(target: ToolTarget, menu: ChoiceMenu<OverrideChoice>)
    /// Which gateway the kill switch is for, when several are attached.
    case gatewayMenu(menu: ChoiceMenu<GatewayID>)
    case confirm(Question)
    case killSwitch(gateway: GatewayID, change: KillSwitchChange, confirmation: TypedConfirmation)

    /// The key context its keys are looked up in.
    public var context: KeyContext {
        switch self {
        case .help: .help
        case .filter: .filterPrompt
        case .denyReason, .killSwitch: .textPrompt
        case .scopeMenu, .overrideMenu, .gatewayMenu: .menu
        case .confirm: .confirmation
        }
    }
}
