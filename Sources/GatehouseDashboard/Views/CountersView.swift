/// Counters and rate limits: how much of each is used, as a bar coloured as it fills,
/// with its scope key and when the oldest charge leaves the window.
enum CountersView {
    enum Column: Hashable, Sendable { case key, gateway, bar, usage, reset }

    static func gaugeStyle(_ fraction: Double) -> Style {
        fraction >= 0.85 ? .gaugeHigh : fraction >= 0.6 ? .gaugeMid : .gaugeLow
    }

    static func draw(_ state: DashboardState, on canvas: Canvas, rect: Rect, focused: Bool, context: ViewContext,
                     map: inout ScreenMap) {
        let rows = state.counterRows
        var title = "Counters · \(rows.count)"
        let f = state.filter(.counters)
        if !f.isEmpty { title += " · filter \"\(f.text)\"" }
        let frame = PanelFrame.draw(on: canvas, rect: rect, title: title, focused: focused, number: 4)
        let inner = frame.inner
        ListRegions.panel(&map, .counters, rect: rect, inner: inner)
        guard inner.rows > 0 else { return }
        guard !rows.isEmpty else {
            canvas.put(row: inner.row, col: inner.col + 2,
                       text: TerminalText.truncate("No counter has been charged yet.", toWidth: inner.cols - 3), style: .dim)
            return
        }
        let selectedIndex = rows.firstIndex { $0.key == state.countersCursor.key }
        let top = ListWindow.top(count: rows.count, selected: selectedIndex, row: state.countersCursor.row, rows: inner.rows)
        let inView = Array(rows[top..<min(rows.count, top + inner.rows)])
        let key = ColumnSpec(Column.key, min: 12, preferred: ColumnLayout.contentWidth(inView.map(\.counter.info.key), cap: 36), grow: 1,
                             stretch: true)
        let gateway = ColumnSpec(Column.gateway, min: 6, preferred: ColumnLayout.contentWidth(inView.map(\.gateway.name), cap: 12), grow: 0)
        let bar = ColumnSpec(Column.bar, min: 6, preferred: 16, grow: 2)
        let usage = ColumnSpec(Column.usage, min: ColumnLayout.contentWidth(inView.map { Format.usage($0.counter.info) }, floor: 3, cap: 15),
                               align: .right)
        let reset = ColumnSpec(Column.reset, min: 6, align: .right)
        let gw = state.gatewayOrder.count > 1 ? [gateway] : []
        let cols = ColumnLayout.fit(variants: [
            [key] + gw + [bar, usage, reset],
            [key, bar, usage, reset],
            [key, bar, usage],
            [key, usage],
        ], width: inner.cols - 2)
        let g = canvas.glyphs
        for (r, row) in inView.enumerated() {
            let (key, counter, gw) = row
            let isSelected = top + r == selectedIndex
            let y = inner.row + r
            let base = frame.rowStyle(selected: isSelected, base: .normal)
            canvas.fill(Rect(row: y, col: inner.col, rows: 1, cols: inner.cols), style: base)
            canvas.put(row: y, col: inner.col, text: isSelected ? g.pointer : " ", style: base)
            let gauge = gaugeStyle(counter.fraction)
            for c in cols {
                let (text, style): (String, Style) = switch c.id {
                case .key: (counter.info.key, .normal)
                case .gateway: (gw.name, .dim)
                case .bar: (g.bar(fraction: counter.fraction, width: c.width), gauge)
                case .usage: (Format.usage(counter.info), gauge)
                case .reset: (counter.resetsIn(at: context.now).map { Format.countdown($0) } ?? "", .dim)
                }
                // The bar keeps its colour on the selected row: the fill level is the point.
                PanelFrame.cell(canvas, row: y, x: inner.col + 2, c, text, style: isSelected && c.id != .bar ? base : style,
                                marking: isSelected || c.id != .key ? nil : f)
            }
            ListRegions.row(&map, .counterRow(key), inner: inner, listRow: r)
        }
    }
}
