/// Themes compiled into the binary, so the dashboard works with no files installed.
/// Each is a verbatim copy of its file in `themes/`; a test compares them byte for byte.
enum BuiltinThemes {
    /// themes/default.theme
    static let defaultText = #"""
    # Gatehouse dashboard theme: default (dark).
    # Format: docs/themes.md. One role per line: ROLE = FG on BG, attribute, ...
    # Colours: default, black..white, bright-black..bright-white, 0-255, #rrggbb.
    # This file is also compiled into the gatehouse binary; keep the two identical.

    name = default
    description = For dark terminals. Keeps the terminal's own background.

    normal            = default
    dim               = #8a8a8a
    title             = #87d7ff, bold
    header            = #bcbcbc, bold, underline
    border            = #585858
    border-focused    = #5fafd7
    selected          = #ffffff on #005f87, bold
    selected-inactive = #d0d0d0 on #3a3a3a
    status-bar        = #d0d0d0 on #262626
    key-hint          = #ffd75f, bold
    key-hint-label    = #a8a8a8
    prompt            = #ffffff, bold
    match             = #000000 on #ffd75f
    warning           = #ffaf00, bold
    alert             = #ffffff on #af0000, bold

    allowed           = #5fd75f
    denied            = #ff5f5f, bold
    rate-limited      = #d7af5f
    held              = #ffaf00, bold
    approved          = #87d7af
    timed-out         = #d787d7
    cancelled         = #8a8a8a
    errored           = #ff8787, underline
    kill-switch       = #ffffff on #d70000, bold

    gauge-low         = #5fd75f
    gauge-mid         = #ffd75f
    gauge-high        = #ff5f5f, bold

    risk-read         = #87afd7
    risk-write        = #d7d75f
    risk-destructive  = #ff5f5f, bold
    risk-financial    = #d787ff, bold

    """#

    /// themes/monochrome.theme: also what colourless terminals fall back to per role.
    static let monochromeText = #"""
    # Gatehouse dashboard theme: monochrome. Attributes only, no colour at all.
    # Also compiled into the binary: without colour (NO_COLOR, a monochrome terminal) a role
    # that another theme tells apart only by colour is drawn the way this file says.
    # Keep the two identical. Format: docs/themes.md.

    name = monochrome
    description = No colour: bold, underline, dim and reverse only.

    normal            = default
    dim               = dim
    title             = bold
    header            = bold, underline
    border            = dim
    border-focused    = bold
    selected          = reverse, bold
    selected-inactive = reverse
    status-bar        = reverse
    key-hint          = bold
    key-hint-label    = default
    prompt            = bold, underline
    match             = underline, bold
    warning           = bold
    alert             = reverse, bold

    allowed           = default
    denied            = bold
    rate-limited      = underline
    held              = bold, underline
    approved          = default
    timed-out         = dim, underline
    cancelled         = dim
    errored           = bold, underline
    kill-switch       = reverse, bold

    gauge-low         = default
    gauge-mid         = bold
    gauge-high        = reverse, bold

    risk-read         = dim
    risk-write        = default
    risk-destructive  = bold, underline
    risk-financial    = bold, reverse

    """#

    static let texts: [String: String] = ["default": defaultText, "monochrome": monochromeText]

    /// Parsed once; a parse failure here is a build defect that the tests catch.
    static let `default`: Theme = parse("default", defaultText)
    static let monochrome: Theme = parse("monochrome", monochromeText)

    private static func parse(_ name: String, _ text: String) -> Theme {
        do {
            let doc = try ThemeParser.parse(text, file: "<built-in \(name)>")
            return Theme(name: doc.name ?? name, description: doc.description ?? "", explicit: doc.entries)
        } catch {
            preconditionFailure("built-in theme '\(name)' does not parse: \(error)")
        }
    }
}
