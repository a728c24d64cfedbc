/// The bottom line of key hints ("? help  q quit  a approve ..."), drawn from
/// `KeyMap.hints`. When the line is too narrow the least important hints go first.
public enum HintBar {
    static let separator = "  "

    /// Draws as many `hints` as fit on `row`, in order, and returns those drawn.
    @discardableResult
    public static func draw(_ hints: [KeyHint], on canvas: Canvas, row: Int) -> [KeyHint] {
        let shown = fitting(hints, width: canvas.size.cols)
        canvas.clearLine(row, style: .keyHintLabel)
        var col = 0
        for (i, hint) in shown.enumerated() {
            if i > 0 { col = canvas.put(row: row, col: col, text: separator, style: .keyHintLabel) }
            col = canvas.put(row: row, col: col, text: hint.key, style: .keyHint)
            col = canvas.put(row: row, col: col, text: " " + hint.label, style: .keyHintLabel)
        }
        return shown
    }

    /// The longest prefix of `hints` whose rendering fits in `width` columns.
    public static func fitting(_ hints: [KeyHint], width: Int) -> [KeyHint] {
        var used = 0
        var out: [KeyHint] = []
        for hint in hints {
            let w = (out.isEmpty ? 0 : separator.count) + TerminalText.width(hint.key) + 1 + TerminalText.width(hint.label)
            if used + w > width { break }
            used += w
            out.append(hint)
        }
        return out
    }
}
