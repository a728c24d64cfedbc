/// One row of the key map: keys, what they do, where, and how to describe it.
public struct KeyBinding: Hashable, Sendable {
    /// Every key that triggers the action; the first is the one hints show.
    public var keys: [Key]
    public var action: Action
    /// Where the binding applies (`.global` = every panel; see `KeyContext.includesGlobal`).
    public var contexts: Set<KeyContext>
    /// One word or two for the bottom hint line; nil keeps the binding out of it.
    public var hint: String?
    /// Lower shows first in the hint line and is the last to be dropped when it is narrow.
    public var hintRank: Int
    /// A short sentence for the help overlay (at most `KeyBinding.maxHelpWidth` columns).
    public var help: String

    /// Limits that let the help overlay show two columns side by side in 80 columns:
    /// 2 x (keys + 2 + help) + 2 between the columns + 4 of frame and padding.
    public static let maxHelpWidth = 28
    public static let maxKeyLabelWidth = 7

    public var isDecision: Bool { action.isDecision }

    /// The keys as help shows them: `j ↓`.
    public func keyLabel(_ glyphs: Glyphs = .unicode) -> String {
        keys.map { $0.label(glyphs) }.joined(separator: " ")
    }
}

/// One entry of the bottom hint line.
public struct KeyHint: Hashable, Sendable {
    public var key: String
    public var label: String
    public var action: Action
}
