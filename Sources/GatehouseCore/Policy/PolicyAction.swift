/// What a rule says should happen to a call before conditions and limits are considered.
public enum PolicyAction: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case allow
    case deny
    case requireApproval = "require_approval"

    public var description: String { rawValue }
}
