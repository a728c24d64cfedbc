/// What the terminal can show: colour depth and whether it speaks UTF-8. Detection is a
/// pure function of its inputs so every combination is unit-tested; `CursesScreen` feeds
/// it the real environment, terminfo and locale.
public struct TerminalCapabilities: Hashable, Sendable {
    public var colorDepth: ColorDepth
    public var utf8: Bool
    /// True when the environment claims 24-bit colour (COLORTERM) but the terminfo entry
    /// cannot express it, so colours are mapped to 256; worth a line in diagnostics.
    public var trueColorUnavailable: Bool

    public init(colorDepth: ColorDepth, utf8: Bool, trueColorUnavailable: Bool = false) {
        self.colorDepth = colorDepth
        self.utf8 = utf8
        self.trueColorUnavailable = trueColorUnavailable
    }

    public var glyphs: Glyphs { .forTerminal(utf8: utf8) }

    /// - Parameters:
    ///   - environment: the process environment (NO_COLOR, COLORTERM, TERM are read).
    ///   - terminfoColors: terminfo's `colors` for $TERM (-1 or 0 when it has none).
    ///   - terminfoDirectColor: terminfo's `RGB` flag (a direct-colour entry such as
    ///     xterm-direct), the only way ncurses can draw 24-bit colour.
    ///   - codeset: `nl_langinfo(CODESET)` after `setlocale(LC_ALL, "")`.
    public static func detect(environment: [String: String], terminfoColors: Int,
                              terminfoDirectColor: Bool, codeset: String) -> TerminalCapabilities {
        let utf8 = isUTF8(codeset: codeset)
        // https://no-color.org: any non-empty value means no colour.
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            return TerminalCapabilities(colorDepth: .noColor, utf8: utf8)
        }
        if environment["TERM"] == "dumb" {
            return TerminalCapabilities(colorDepth: .noColor, utf8: utf8)
        }
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()
        let claimsTrueColor = colorterm == "truecolor" || colorterm == "24bit"
        let depth: ColorDepth
        switch terminfoColors {
        case let n where n >= 1 << 24 || (terminfoDirectColor && n >= 8): depth = .trueColor
        case 256...: depth = .palette256
        case 16...: depth = .ansi16
        case 8...: depth = .ansi8
        default: depth = .noColor
        }
        return TerminalCapabilities(colorDepth: depth, utf8: utf8,
                                    trueColorUnavailable: claimsTrueColor && depth < .trueColor)
    }

    /// glibc says "UTF-8"; other systems have said "utf8" or "UTF8".
    public static func isUTF8(codeset: String) -> Bool {
        let c = codeset.lowercased().filter { $0 != "-" && $0 != "_" }
        return c == "utf8"
    }
}
