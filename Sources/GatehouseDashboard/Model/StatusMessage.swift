/// The status line: the answer to the operator's last command, or what just happened.
public struct StatusMessage: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case info, success, warning, error }
    public var text: String
    public var kind: Kind
    public var at: Double

    public init(_ text: String, _ kind: Kind = .info, at: Double) {
        self.text = text
        self.kind = kind
        self.at = at
    }

    /// After this long a message is drawn dimmed: still readable, no longer news.
    public static let freshSeconds = 10.0
}
