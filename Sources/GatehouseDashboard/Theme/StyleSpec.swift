/// How a theme draws one role: foreground, background and attributes.
public struct StyleSpec: Hashable, Sendable, CustomStringConvertible {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: TextAttributes

    public init(foreground: ThemeColor = .default, background: ThemeColor = .default,
                attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = StyleSpec()

    /// The line a theme file would hold for this spec (right of the `=`).
    public var description: String {
        var s = foreground.description
        if background != .default { s += " on " + background.description }
        if !attributes.isEmpty { s += ", " + attributes.description }
        return s
    }
}
