/// A one-line text field for prompts (filter, deny reason, confirmation phrase): the text,
/// a cursor, and the editing keys from the key map. Pure state, so prompts are tested
/// without a terminal; drawing it is `draw(on:row:col:width:style:)`.
public struct LineEditor: Hashable, Sendable {
    public private(set) var text: String
    /// Cursor position in Characters, 0...text.count.
    public private(set) var cursor: Int
    public var maxLength: Int

    public init(text: String = "", maxLength: Int = 256) {
        self.text = String(text.prefix(maxLength))
        self.cursor = self.text.count
        self.maxLength = maxLength
    }

    public enum Event: Hashable, Sendable {
        /// The text or cursor changed (a live filter re-applies).
        case edited
        case submitted(String)
        case cancelled
        /// The key means nothing here.
        case ignored
    }

    /// Handles a key in a text-entry `context`: bound keys run their action, other
    /// printable characters are typed.
    public mutating func handle(_ key: Key, in context: KeyContext, keyMap: KeyMap = .standard) -> Event {
        if let action = keyMap.action(for: key, in: context, readOnly: false) {
            return apply(action)
        }
        if case .char(let c) = key, context.isTextEntry {
            return insert(c) ? .edited : .ignored
        }
        return .ignored
    }

    public mutating func apply(_ action: Action) -> Event {
        var chars = Array(text)
        switch action {
        case .confirm: return .submitted(text)
        case .cancel: return .cancelled
        case .cursorLeft: cursor = max(0, cursor - 1)
        case .cursorRight: cursor = min(chars.count, cursor + 1)
        case .lineStart: cursor = 0
        case .lineEnd: cursor = chars.count
        case .deleteBackward:
            guard cursor > 0 else { return .ignored }
            chars.remove(at: cursor - 1)
            cursor -= 1
        case .deleteForward:
            guard cursor < chars.count else { return .ignored }
            chars.remove(at: cursor)
        case .deleteWord:
            // Like a shell's ^W: spaces before the cursor, then the word before them.
            var start = cursor
            while start > 0, chars[start - 1] == " " { start -= 1 }
            while start > 0, chars[start - 1] != " " { start -= 1 }
            chars.removeSubrange(start..<cursor)
            cursor = start
        case .clearInput:
            chars.removeAll()
            cursor = 0
        default:
            return .ignored
        }
        text = String(chars)
        return .edited
    }

    /// Types `c` at the cursor; false when full or `c` is not printable.
    public mutating func insert(_ c: Character) -> Bool {
        guard text.count < maxLength, !(c.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) else { return false }
        var chars = Array(text)
        chars.insert(c, at: cursor)
        text = String(chars)
        cursor += 1
        return true
    }

    /// Draws the text in `width` columns from (`row`, `col`), scrolled so the cursor is
    /// visible, and places the terminal cursor there.
    public func draw(on canvas: Canvas, row: Int, col: Int, width: Int, style: Style = .prompt) {
        guard width > 0 else { return }
        let chars = Array(text)
        let cursorX = TerminalText.width(String(chars[..<cursor]))
        let shift = max(0, cursorX - (width - 1))
        canvas.fill(Rect(row: row, col: col, rows: 1, cols: width), with: " ", style: style)
        canvas.region(Rect(row: row, col: col, rows: 1, cols: width))
            .put(row: 0, col: -shift, text: text, style: style)
        canvas.placeCursor(row: row, col: col + cursorX - shift)
    }
}
