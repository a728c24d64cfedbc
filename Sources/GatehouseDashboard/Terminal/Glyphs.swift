/// The symbols views draw with. Status glyphs carry meaning on their own so that no state
/// is told apart by colour alone (colour-blind operators, NO_COLOR, monochrome themes).
/// Every glyph in a set is exactly one column wide.
public struct Glyphs: Hashable, Sendable {
    // Call outcomes and states
    public var allowed: String
    public var denied: String
    public var held: String
    public var approved: String
    public var rateLimited: String
    public var timedOut: String
    public var cancelled: String
    public var errored: String
    public var warning: String
    public var killSwitch: String
    // Connection / liveness
    public var live: String
    public var idle: String
    // Navigation
    public var pointer: String
    public var arrowUp: String
    public var arrowDown: String
    public var arrowLeft: String
    public var arrowRight: String
    public var ellipsis: String
    // Box drawing
    public var horizontal: String
    public var vertical: String
    public var topLeft: String
    public var topRight: String
    public var bottomLeft: String
    public var bottomRight: String
    public var teeLeft: String   // ├
    public var teeRight: String  // ┤
    /// Gauge partial blocks, index 0 (empty) ... 8 (full cell).
    public var eighths: [String]

    public static let unicode = Glyphs(
        allowed: "✓", denied: "✗", held: "⏸", approved: "✔", rateLimited: "◔",
        timedOut: "⧗", cancelled: "⊘", errored: "⚠", warning: "⚠", killSwitch: "■",
        live: "●", idle: "○",
        pointer: "▶", arrowUp: "↑", arrowDown: "↓", arrowLeft: "←", arrowRight: "→", ellipsis: "…",
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        teeLeft: "├", teeRight: "┤",
        eighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    )

    /// For terminals whose locale is not UTF-8: plain ASCII, still one distinct mark per state.
    public static let ascii = Glyphs(
        allowed: "+", denied: "x", held: "=", approved: "A", rateLimited: "%",
        timedOut: "?", cancelled: "/", errored: "!", warning: "!", killSwitch: "X",
        live: "*", idle: "o",
        pointer: ">", arrowUp: "^", arrowDown: "v", arrowLeft: "<", arrowRight: ">", ellipsis: "~",
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        teeLeft: "+", teeRight: "+",
        eighths: [" ", " ", " ", " ", "|", "|", "|", "|", "#"]
    )

    public static func forTerminal(utf8: Bool) -> Glyphs { utf8 ? .unicode : .ascii }

    /// A horizontal bar of exactly `width` columns filled to `fraction` (clamped to 0...1),
    /// with eighth-cell resolution where the glyph set has it.
    public func bar(fraction: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let eighthsTotal = Int((f * Double(width * 8)).rounded())
        let full = eighthsTotal / 8, rest = eighthsTotal % 8
        var s = String(repeating: eighths[8], count: full)
        if full < width {
            s += eighths[rest]
            s += String(repeating: eighths[0], count: width - full - 1)
        }
        return s
    }
}
