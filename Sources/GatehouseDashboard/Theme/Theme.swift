/// A complete theme: a `StyleSpec` for every `Style`, with inheritance, fallbacks and
/// `default` colours already resolved.
///
/// "Resolved" means: a role the theme file left out takes its fallback role's spec (see
/// `Style.fallback`); and a `default` colour in any role but `normal` means normal's colour,
/// so a theme that gives `normal` a background gets it everywhere.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var description: String
    private var specs: [Style: StyleSpec]

    /// Builds a theme from the roles a file (plus its parents) set explicitly.
    public init(name: String, description: String = "", explicit: [Style: StyleSpec]) {
        self.name = name
        self.description = description
        var specs: [Style: StyleSpec] = [:]
        func spec(_ style: Style) -> StyleSpec {
            if let s = specs[style] { return s }
            var raw = explicit[style] ?? style.fallback.map(spec) ?? .plain
            if style != .normal {
                let base = spec(.normal)
                if raw.foreground == .default { raw.foreground = base.foreground }
                if raw.background == .default { raw.background = base.background }
            }
            specs[style] = raw
            return raw
        }
        for style in Style.allCases { _ = spec(style) }
        self.specs = specs
    }

    public subscript(style: Style) -> StyleSpec { specs[style] ?? .plain }

    /// True when `style` stands out from `normal` by more than weight: its own
    /// background, or reverse video. Selections must be; bold alone is too subtle.
    public func hasVisibleBackground(_ style: Style) -> Bool {
        let s = self[style]
        return s.attributes.contains(.reverse) || s.background != self[.normal].background
    }
}

extension Theme {
    /// The built-in dark theme (a copy of themes/default.theme).
    public static var `default`: Theme { BuiltinThemes.default }
    /// The built-in attributes-only theme (a copy of themes/monochrome.theme).
    public static var monochrome: Theme { BuiltinThemes.monochrome }
}
