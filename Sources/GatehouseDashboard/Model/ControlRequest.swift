import GatehouseCore

/// A request for one gateway, as the model asks for it.
public enum ControlRequest: Hashable, Sendable {
    case approve(ApproveParams)
    case deny(DenyParams)
    case kill(KillParams)
    case release
    case toolOverride(ToolOverrideParams)
    case reload

    public var method: ControlProtocol.Method {
        switch self {
        case .approve: .approve
        case .deny: .deny
        case .kill: .kill
        case .release: .release
        case .toolOverride: .toolOverride
        case .reload: .reload
        }
    }
}
