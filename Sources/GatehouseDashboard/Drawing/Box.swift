extension Canvas {
    /// Draws a frame around `rect` with an optional title in its top edge, blanks the
    /// inside in `fill` (nil leaves it), and returns the interior for the content.
    /// The title is cut with an ellipsis when the frame is narrow; a frame smaller than
    /// 2x2 draws nothing and returns an empty rect.
    @discardableResult
    public func drawBox(_ rect: Rect, title: String? = nil, style: Style = .border,
                        titleStyle: Style = .title, fill fillStyle: Style? = .normal) -> Rect {
        guard rect.rows >= 2, rect.cols >= 2 else { return Rect(row: rect.row, col: rect.col, rows: 0, cols: 0) }
        let g = glyphs
        let inner = rect.inset(by: 1)
        if let fillStyle { fill(inner, with: " ", style: fillStyle) }
        let horizontal = String(repeating: g.horizontal, count: rect.cols - 2)
        put(row: rect.row, col: rect.col, text: g.topLeft + horizontal + g.topRight, style: style)
        put(row: rect.bottom - 1, col: rect.col, text: g.bottomLeft + horizontal + g.bottomRight, style: style)
        for r in (rect.row + 1)..<(rect.bottom - 1) {
            put(row: r, col: rect.col, text: g.vertical, style: style)
            put(row: r, col: rect.right - 1, text: g.vertical, style: style)
        }
        if let title, !title.isEmpty, rect.cols >= 6 {
            // "┌─ Title ─┐": one rule cell and a space either side.
            let text = TerminalText.truncate(title, toWidth: rect.cols - 6, ellipsis: g.ellipsis)
            put(row: rect.row, col: rect.col + 2, text: " " + text + " ", style: titleStyle)
        }
        return inner
    }

    /// A horizontal rule across `cols` columns from (`row`, `col`).
    public func drawRule(row: Int, col: Int = 0, cols: Int? = nil, style: Style = .border) {
        let n = cols ?? (size.cols - col)
        guard n > 0 else { return }
        put(row: row, col: col, text: String(repeating: glyphs.horizontal, count: n), style: style)
    }
}
