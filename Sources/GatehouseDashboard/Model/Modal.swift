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
