/// How long a held call waits for an operator, and what happens if nobody answers.
public struct ApprovalSettings: Sendable, Hashable {
    public enum OnTimeout: String, Sendable, Hashable, CaseIterable {
        case deny
        case allow
    }

    public var timeout: Double
    public var onTimeout: OnTimeout

    public init(timeout: Double, onTimeout: OnTimeout) {
        self.timeout = timeout
        self.onTimeout = onTimeout
    }

    /// Used when neither the tool nor the policy says: deny after two minutes.
    public static let standard = ApprovalSettings(timeout: 120, onTimeout: .deny)
}
