/// A role as one particular terminal will draw it.
public struct ResolvedStyle: Hashable, Sendable {
    /// A curses colour number, or -1 for the terminal's own colour. At `.trueColor` it is
    /// 0-7 for the basic ANSI colours and 0xRRGGBB otherwise (ncurses direct colour).
    public var foreground: Int
    public var background: Int
    public var attributes: TextAttributes

    public static let plain = ResolvedStyle(foreground: -1, background: -1, attributes: [])
}

/// A theme fitted to a terminal's colour depth: every role resolved to colour numbers and
/// attributes the terminal really has.
///
/// Degradation rules (documented in docs/themes.md):
/// - 256 colours: `#rrggbb` becomes the nearest xterm-256 index (16-255).
/// - 16 / 8 colours: `#rrggbb` and indexes become the ANSI colour of their hue (see
///   `ColorDegradation`); at 8 colours a `bright-*` foreground becomes its basic colour
///   plus bold, as 8-colour terminals always showed it.
/// - Below 256 colours, mapping must not make things vanish: a role with a background of
///   its own whose degraded background matches normal's, or lands on black or white
///   while normal uses the terminal's unknown background, is drawn in reverse video
///   instead; a foreground that lands on black or white over the terminal's background,
///   or on its own background's colour (or that colour's bright twin), becomes the
///   terminal's foreground. (Explicit ANSI names in
///   a theme are taken at their word.)
/// - No colour: attributes only; a role with a background of its own becomes reverse, and
///   a role the theme told apart from `normal` by colour alone is drawn as the built-in
///   monochrome theme draws it.
public struct TerminalPalette: Sendable {
    public let theme: Theme
    public let depth: ColorDepth
    private var styles: [Style: ResolvedStyle] = [:]

    public init(theme: Theme, depth: ColorDepth) {
        self.theme = theme
        self.depth = depth
        let normal = Self.resolve(theme[.normal], normal: nil, depth: depth, theme: theme, style: .normal)
        for style in Style.allCases {
            styles[style] = style == .normal
                ? normal
                : Self.resolve(theme[style], normal: (theme[.normal], normal), depth: depth, theme: theme, style: style)
        }
    }

    public subscript(style: Style) -> ResolvedStyle { styles[style] ?? .plain }

    private static let unknownBackgroundRisky: Set<Int> = [0, 7, 15]  // black, white, bright white

    /// Two ANSI colours too alike for text on background: equal, or a colour and its
    /// bright twin (grey on black is the one such pair that reads fine).
    private static func sameFamily(_ a: Int, _ b: Int) -> Bool {
        guard a >= 0, b >= 0, a < 16, b < 16 else { return false }
        return a % 8 == b % 8 && !(min(a, b) == 0 && max(a, b) == 8)
    }

    private static func resolve(_ spec: StyleSpec, normal: (spec: StyleSpec, resolved: ResolvedStyle)?,
                                depth: ColorDepth, theme: Theme, style: Style) -> ResolvedStyle {
        let ownBackground = normal.map { spec.background != $0.spec.background } ?? false
        var attributes = spec.attributes

        if depth == .noColor {
            if ownBackground { attributes.insert(.reverse) }
            let distinctByColourOnly = normal.map { spec.foreground != $0.spec.foreground } ?? false
            if attributes.isEmpty && distinctByColourOnly {
                attributes = BuiltinThemes.monochrome[style].attributes
            }
            return ResolvedStyle(foreground: -1, background: -1, attributes: attributes)
        }

        var fg = colorNumber(spec.foreground, depth: depth)
        var bg = colorNumber(spec.background, depth: depth)
        if depth == .ansi8 {
            if fg >= 8 { fg -= 8; attributes.insert(.bold) }
            if bg >= 8 { bg -= 8 }
        }

        if depth <= .ansi16, let normal {
            let terminalBackground = normal.resolved.background == -1
            if ownBackground && (bg == normal.resolved.background
                || (terminalBackground && unknownBackgroundRisky.contains(bg))) {
                // Reverse of normal's colours: always readable, always stands out.
                return ResolvedStyle(foreground: normal.resolved.foreground, background: normal.resolved.background,
                                     attributes: attributes.union(.reverse))
            }
            if case .ansi = spec.foreground {} else if fg != -1 {
                let effectiveBackground = bg == -1 ? normal.resolved.background : bg
                if sameFamily(fg, effectiveBackground)
                    || (effectiveBackground == -1 && unknownBackgroundRisky.contains(fg)) {
                    fg = -1
                }
            }
        }
        return ResolvedStyle(foreground: fg, background: bg, attributes: attributes)
    }

    /// The colour number for `color` at `depth`. At 8 colours an explicit bright ANSI
    /// colour is still 8-15 here; the caller folds it into its basic colour plus bold.
    static func colorNumber(_ color: ThemeColor, depth: ColorDepth) -> Int {
        switch (color, depth) {
        case (_, .noColor), (.default, _): return -1
        case (.ansi(let n), .trueColor): return n < 8 ? n : packed(ColorDegradation.ansiRGB[n])
        case (.ansi(let n), _): return n
        case (.indexed(let i), .trueColor): return packed(ColorDegradation.rgb(ofIndex: i))
        case (.indexed(let i), .palette256): return i
        case (.indexed(let i), .ansi8): return ColorDegradation.nearestANSI8(ColorDegradation.rgb(ofIndex: i))
        case (.indexed(let i), _): return ColorDegradation.nearestANSI16(ColorDegradation.rgb(ofIndex: i))
        case (.rgb(let c), .trueColor): return packed(c)
        case (.rgb(let c), .palette256): return ColorDegradation.nearestXterm256(c)
        case (.rgb(let c), .ansi8): return ColorDegradation.nearestANSI8(c)
        case (.rgb(let c), _): return ColorDegradation.nearestANSI16(c)
        }
    }

    private static func packed(_ c: RGB) -> Int {
        Int(c.r) << 16 | Int(c.g) << 8 | Int(c.b)
    }
}
