/// A panel's frame: a box with its title, highlighted when it has the focus, and the
/// arithmetic every list panel shares (which rows are in view, how a row is styled).
struct PanelFrame {
    var inner: Rect
    var focused: Bool

    /// Draws the frame and returns the panel for its content.
    static func draw(on canvas: Canvas, rect: Rect, title: String, focused: Bool, number: Int?) -> PanelFrame {
        let label = number.map { "\($0) \(title)" } ?? title
        let inner = canvas.drawBox(rect, title: label, style: focused ? .borderFocused : .border, titleStyle: .title)
        return PanelFrame(inner: inner, focused: focused)
    }

    /// The style for a row: the selection bar, or `base`.
    func rowStyle(selected: Bool, base: Style) -> Style {
        selected ? (focused ? .selected : .selectedInactive) : base
    }

    /// Draws one cell of a table row, fitted to its column, with the filter's words marked.
    @discardableResult
    static func cell(_ canvas: Canvas, row: Int, x: Int, _ column: PlacedColumn<some Hashable & Sendable>, _ text: String,
                     style: Style, marking filter: ListFilter? = nil) -> Int {
        let fitted = TerminalText.fit(text, toWidth: column.width, alignment: column.alignment, ellipsis: canvas.glyphs.ellipsis)
        let end = canvas.put(row: row, col: x + column.col, text: fitted, style: style)
        if let filter, !filter.isEmpty { mark(filter, in: fitted, on: canvas, row: row, col: x + column.col) }
        return end
    }

    /// Redraws the parts of `text` (already on screen at `col`) that match a filter word.
    static func mark(_ filter: ListFilter, in text: String, on canvas: Canvas, row: Int, col: Int) {
        let chars = Array(text)
        let lower = chars.map { Character($0.lowercased()) }
        for term in filter.terms {
            let t = Array(term)
            guard !t.isEmpty, t.count <= lower.count else { continue }
            var i = 0
            while i + t.count <= lower.count {
                if lower[i..<(i + t.count)].elementsEqual(t) {
                    canvas.put(row: row, col: col + TerminalText.width(String(chars[..<i])), text: String(chars[i..<(i + t.count)]),
                               style: .match)
                    i += t.count
                } else {
                    i += 1
                }
            }
        }
    }
}
