import GatehouseCore

/// The live stream: one call per row, newest at the bottom, with its time, gateway,
/// agent, tool, decision (glyph, word and colour), latency and arguments.
enum StreamView {
    enum Column: Hashable, Sendable { case time, gateway, who, tool, decision, glyph, latency, args }

    /// Columns for the rows in view: the agent column goes first when space is short, then
    /// the gateway, then the decision's word (its glyph stays), latency and time.
    static func columns(width: Int, multiGateway: Bool, rows: [CallEntry]) -> [PlacedColumn<Column>] {
        let recs = rows.map(\.record)
        let time = ColumnSpec(Column.time, min: 8)
        let gateway = ColumnSpec(Column.gateway, min: 6, preferred: ColumnLayout.contentWidth(recs.map(\.gateway), cap: 14), grow: 0)
        let who = ColumnSpec(Column.who, min: 10, preferred: ColumnLayout.contentWidth(recs.map(who), cap: 22), grow: 4)
        let tool = ColumnSpec(Column.tool, min: 10, preferred: ColumnLayout.contentWidth(recs.map(\.tool), floor: 10, cap: 28), grow: 1)
        let decision = ColumnSpec(Column.decision, min: 2 + ColumnLayout.contentWidth(rows.map(\.status.label), floor: 7, cap: 12))
        let glyph = ColumnSpec(Column.glyph, min: 1)
        let latency = ColumnSpec(Column.latency, min: 6, align: .right)
        let args = ColumnSpec(Column.args, min: 12, preferred: 30, grow: 2, stretch: true)
        let g = multiGateway ? [gateway] : []
        return ColumnLayout.fit(variants: [
            [time] + g + [who, tool, decision, latency, args],
            [time] + g + [tool, decision, latency, args],
            [time, tool, decision, latency, args],
            [time, tool, glyph, latency, args],
            [time, tool, glyph, args],
            [tool, glyph, args],
        ], width: width)
    }

    static func who(_ r: CallRecord) -> String { "\(r.grant)·\(r.session)" }

    static func draw(_ state: DashboardState, on canvas: Canvas, rect: Rect, focused: Bool, context: ViewContext,
                     map: inout ScreenMap) {
        let log = state.streamLog
        var title = "Live stream · \(Format.count(log.count)) calls"
        if !log.filter.isEmpty { title += " · filter \"\(log.filter.text)\": \(Format.count(log.visibleCount)) shown" }
        if state.isPaused {
            title += " · PAUSED" + (state.newWhilePaused > 0 ? " (+\(Format.count(state.newWhilePaused)) new)" : "")
        } else if state.isFollowing {
            title += " · following"
        }
        let frame = PanelFrame.draw(on: canvas, rect: rect, title: title, focused: focused, number: 1)
        let inner = frame.inner
        ListRegions.panel(&map, .stream, rect: rect, inner: inner)
        guard inner.rows > 0, inner.cols > 0 else { return }

        let count = log.visibleCount
        guard count > 0 else {
            drawEmpty(state, on: canvas, inner: inner, context: context)
            return
        }
        let selected = state.streamSelectedIndex
        let top = ListWindow.top(count: count, selected: selected, row: state.streamCursor.row, rows: inner.rows)
        let inView = (0..<min(inner.rows, count - top)).map { log.visible(at: top + $0) }
        let cols = columns(width: inner.cols - 2, multiGateway: state.gatewayOrder.count > 1, rows: inView)
        let g = canvas.glyphs
        for (r, entry) in inView.enumerated() {
            let isSelected = top + r == selected
            let y = inner.row + r
            let base = frame.rowStyle(selected: isSelected, base: .normal)
            canvas.fill(Rect(row: y, col: inner.col, rows: 1, cols: inner.cols), style: base)
            canvas.put(row: y, col: inner.col, text: isSelected ? g.pointer : " ", style: base)
            let x = inner.col + 2
            let rec = entry.record
            for c in cols {
                let (text, style): (String, Style) = switch c.id {
                case .time: (Format.clock(rec.receivedAt, zone: context.zone), .dim)
                case .gateway: (rec.gateway, .normal)
                case .who: (who(rec), .dim)
                case .tool: (rec.tool, .normal)
                case .decision: (entry.status.glyph(g) + " " + entry.status.label, entry.status.style)
                case .glyph: (entry.status.glyph(g), entry.status.style)
                case .latency: (Format.latency(rec.latencyMs), .dim)
                case .args: (entry.argsPreview, .normal)
                }
                let marks = isSelected || ![.tool, .args, .who, .gateway, .decision].contains(c.id) ? nil : log.filter
                PanelFrame.cell(canvas, row: y, x: x, c, text, style: isSelected ? base : style, marking: marks)
            }
            ListRegions.row(&map, .streamRow(entry.key), inner: inner, listRow: r)
        }
    }

    static func drawEmpty(_ state: DashboardState, on canvas: Canvas, inner: Rect, context: ViewContext) {
        var lines: [(String, Style)] = []
        if state.gatewayOrder.isEmpty {
            lines.append(("No gateway is running.", .title))
            if let dir = context.watching { lines.append(("Watching \(dir) for control sockets.", .dim)) }
            lines.append(("Start one:  gatehouse serve --policy POLICY -- COMMAND", .normal))
            lines.append(("or try:     gatehouse demo", .normal))
        } else if !state.log.filter.isEmpty {
            lines.append(("No call matches the filter \"\(state.log.filter.text)\". Esc clears it.", .dim))
        } else {
            lines.append(("No calls yet. They appear here as agents make them.", .dim))
        }
        let body = canvas.region(inner)
        for (i, (text, style)) in lines.enumerated() where i < inner.rows {
            body.put(row: i + (inner.rows > lines.count + 2 ? 1 : 0), col: 2,
                     text: TerminalText.truncate(text, toWidth: max(0, inner.cols - 3)), style: style)
        }
    }
}
