/// How risky a tool is, as classified by policy; views colour risk badges by it.
public enum Risk: String, CaseIterable, Hashable, Sendable {
    case read, write, destructive, financial
}

/// A semantic drawing role. Views say *what* a piece of text is; the active theme
/// decides how that looks on the terminal at hand (colour, attributes, or neither).
public enum Style: Hashable, Sendable, CustomStringConvertible {
    // Chrome
    case normal, dim, title, header, border, borderFocused
    case selected, selectedInactive
    case statusBar, keyHint, keyHintLabel, prompt, match
    case warning, alert
    // Tool-call outcomes and states
    case allowed, denied, rateLimited, held, approved, timedOut, cancelled, errored
    case killSwitch
    // Gauges and risk badges
    case gaugeLow, gaugeMid, gaugeHigh
    case risk(Risk)

    /// Every role, in the order docs and theme files list them.
    public static let allCases: [Style] = [
        .normal, .dim, .title, .header, .border, .borderFocused,
        .selected, .selectedInactive,
        .statusBar, .keyHint, .keyHintLabel, .prompt, .match,
        .warning, .alert,
        .allowed, .denied, .rateLimited, .held, .approved, .timedOut, .cancelled, .errored,
        .killSwitch,
        .gaugeLow, .gaugeMid, .gaugeHigh,
    ] + Risk.allCases.map { .risk($0) }

    /// The role's name in theme files (kebab-case).
    public var themeKey: String {
        switch self {
        case .normal: "normal"
        case .dim: "dim"
        case .title: "title"
        case .header: "header"
        case .border: "border"
        case .borderFocused: "border-focused"
        case .selected: "selected"
        case .selectedInactive: "selected-inactive"
        case .statusBar: "status-bar"
        case .keyHint: "key-hint"
        case .keyHintLabel: "key-hint-label"
        case .prompt: "prompt"
        case .match: "match"
        case .warning: "warning"
        case .alert: "alert"
        case .allowed: "allowed"
        case .denied: "denied"
        case .rateLimited: "rate-limited"
        case .held: "held"
        case .approved: "approved"
        case .timedOut: "timed-out"
        case .cancelled: "cancelled"
        case .errored: "errored"
        case .killSwitch: "kill-switch"
        case .gaugeLow: "gauge-low"
        case .gaugeMid: "gauge-mid"
        case .gaugeHigh: "gauge-high"
        case .risk(let r): "risk-\(r.rawValue)"
        }
    }

    public init?(themeKey: String) {
        guard let style = Style.byKey[themeKey] else { return nil }
        self = style
    }

    private static let byKey: [String: Style] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.themeKey, $0) })

    /// The role a theme's omitted entry falls back to, so a small theme file stays small.
    /// `normal` is the root; everything not listed here falls back to `normal`.
    public var fallback: Style? {
        switch self {
        case .normal: nil
        case .borderFocused: .border
        case .selectedInactive: .selected
        case .keyHintLabel: .dim
        case .approved: .allowed
        case .rateLimited: .warning
        case .timedOut, .cancelled: .dim
        case .errored: .alert
        case .killSwitch: .alert
        default: .normal
        }
    }

    /// One-line meaning, for role listings; docs/themes.md carries the same words (tested).
    public var summary: String {
        switch self {
        case .normal: "ordinary text; its background is the theme's background"
        case .dim: "secondary text: timestamps, ids, separators"
        case .title: "panel and dialog titles"
        case .header: "column headers of tables"
        case .border: "frames and rules of unfocused panels"
        case .borderFocused: "the frame of the focused panel"
        case .selected: "the selected row of the focused panel (needs a background or reverse)"
        case .selectedInactive: "the remembered selection of an unfocused panel (same rule)"
        case .statusBar: "the top status line"
        case .keyHint: "the key in the bottom hint line and the help overlay"
        case .keyHintLabel: "the label after a key hint"
        case .prompt: "text being typed at a prompt"
        case .match: "the part of a row that matches the filter"
        case .warning: "a warning message"
        case .alert: "an error message, a lost connection"
        case .allowed: "a call allowed by policy"
        case .denied: "a call denied by policy or by the operator"
        case .rateLimited: "a call refused by a rate limit"
        case .held: "a call held for approval"
        case .approved: "a held call approved by the operator"
        case .timedOut: "a held call whose approval timed out"
        case .cancelled: "a call cancelled by its client"
        case .errored: "a call that failed upstream"
        case .killSwitch: "the kill-switch banner"
        case .gaugeLow: "a gauge or counter far from its limit"
        case .gaugeMid: "a gauge or counter getting close to its limit"
        case .gaugeHigh: "a gauge or counter at or near its limit"
        case .risk(.read): "risk badge: read-only tools"
        case .risk(.write): "risk badge: tools that write"
        case .risk(.destructive): "risk badge: destructive tools"
        case .risk(.financial): "risk badge: tools that move money"
        }
    }

    public var description: String { themeKey }
}
