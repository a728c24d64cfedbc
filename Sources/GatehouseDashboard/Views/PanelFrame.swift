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

    /// Draws one cell of a table row, fitted to its column.
    @discardableResult
    static func cell(_ canvas: Canvas, row: Int, x: Int, _ column: PlacedColumn<some Hashable & Sendable>, _ text: String,
                     style: Style) -> Int {
        let fitted = TerminalText.fit(text, toWidth: column.width, alignment: column.alignment, ellipsis: canvas.glyphs.ellipsis)
        return canvas.put(row: row, col: x + column.col, text: fitted, style: style)
    }
}

/// Records the rows a list panel drew, for clicks and paging.
struct ListRegions {
    static func panel(_ map: inout ScreenMap, _ panel: Panel, rect: Rect, inner: Rect) {
        map.regions.append(ScreenMap.Region(rect, .panel(panel)))
        map.pageRows[panel] = max(1, inner.rows)
    }

    static func row(_ map: inout ScreenMap, _ target: ScreenMap.Target, inner: Rect, listRow: Int) {
        map.regions.insert(ScreenMap.Region(Rect(row: inner.row + listRow, col: inner.col, rows: 1, cols: inner.cols), target,
                                            listRow: listRow), at: 0)
    }
}
