/// Whose budget a counter measures.
public enum CounterScope: String, Sendable, Hashable, CaseIterable {
    /// One budget per identity (`--grant`), shared by every session and gateway of that identity.
    case grant
    /// One budget per MCP session (one client connection).
    case session
    /// One budget for everyone using the state directory.
    case global
}

/// A rolling-window limit: never more than `max` in any `window`-second span.
public struct Limit: Sendable, Hashable {
    public var counter: String
    public var window: Double
    public var max: Int
    public var scope: CounterScope
    /// When set, each call adds this argument's numeric value instead of 1 (spend caps).
    public var incrementFrom: ValuePath?

    public init(counter: String, window: Double, max: Int, scope: CounterScope, incrementFrom: ValuePath? = nil) {
        self.counter = counter
        self.window = window
        self.max = max
        self.scope = scope
        self.incrementFrom = incrementFrom
    }

    /// The longest window a limit may have: 366 days.
    public static let maxWindow: Double = 366 * 86400

    public static let windowNames: [(name: String, seconds: Double)] = [
        ("second", 1), ("minute", 60), ("hour", 3600), ("day", 86400),
    ]

    /// The window as written back to people: a name when it is one, else a duration.
    public static func describe(window: Double) -> String {
        windowNames.first(where: { $0.seconds == window })?.name ?? DurationText.format(window)
    }
}
