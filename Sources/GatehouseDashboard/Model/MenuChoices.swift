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

    /// The wire value (`clear` spelled out rather than a null the reader must know about).
    public var wire: String { rawValue }
}
