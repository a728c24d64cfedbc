/// What the detail view shows.
public enum DetailTarget: Hashable, Sendable {
    case call(CallKey)
    case tool(ToolKey)
}

/// The detail view: its subject, scroll position, and a copy of the call as it was when
/// opened, in case the live record ages out of the history while it is being read.
public struct DetailState: Sendable {
    public var target: DetailTarget
    public var scroll = 0
    public var fallback: CallEntry?

    public init(target: DetailTarget, fallback: CallEntry? = nil) {
        self.target = target
        self.fallback = fallback
    }
}
