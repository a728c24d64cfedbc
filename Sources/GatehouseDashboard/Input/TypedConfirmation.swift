/// A confirmation that cannot be given by accident: the operator must type a phrase
/// exactly, then press Enter. Used for the kill switch, where the phrase is the name of
/// the gateway it will stop, so the operator also proves they are on the right one.
///
/// A single keystroke, a stray Enter or "y" never confirms; pasting the phrase does,
/// which is deliberate enough. Esc cancels.
public struct TypedConfirmation: Hashable, Sendable {
    public let phrase: String
    public private(set) var editor: LineEditor
    /// True after Enter with the wrong text, so the dialog can say why nothing happened.
    public private(set) var mismatch = false

    /// Phrases shorter than this are padded to "yes <phrase>"-style so one or two keys
    /// can never be enough.
    public static let minimumLength = 3

    /// - Parameter phrase: what must be typed, normally the gateway's name; an empty or
    ///   very short name becomes `yes` or `kill NAME`.
    public init(phrase: String) {
        let p = phrase.trimmingWhitespace()
        if p.isEmpty {
            self.phrase = "yes"
        } else if p.count < Self.minimumLength {
            self.phrase = "kill " + p
        } else {
            self.phrase = p
        }
        self.editor = LineEditor(maxLength: max(64, self.phrase.count + 16))
    }

    public enum Outcome: Hashable, Sendable {
        case pending
        case confirmed
        case cancelled
    }

    /// Handles a key typed into the confirmation prompt (context `.textPrompt`).
    public mutating func handle(_ key: Key, keyMap: KeyMap = .standard) -> Outcome {
        switch editor.handle(key, in: .textPrompt, keyMap: keyMap) {
        case .submitted(let typed):
            if typed == phrase { return .confirmed }
            mismatch = true
            return .pending
        case .cancelled:
            return .cancelled
        case .edited:
            mismatch = false
            return .pending
        case .ignored:
            return .pending
        }
    }

    /// True once the typed text matches, so the dialog can show that Enter will work.
    public var matches: Bool { editor.text == phrase }
}
