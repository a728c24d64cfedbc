import GatehouseCore

/// Calls held for approval: tool, gateway, agent, arguments, and a countdown to what
/// happens on timeout ("deny in 42s"), coloured as time runs out.
enum PendingView {
    enum Column: Hashable, Sendable { case tool, gateway, who, args, deadline }

    static func draw(_ state: DashboardState, on canvas: Canvas, rect: Rect, focused: Bool, context: ViewContext,
                     map: inout ScreenMap) {
        let rows = state.pendingRows
        let live = rows.filter { if case .live = $0 { true } else { false } }.count
        var title = "Pending approvals · \(live) waiting"
        let f = state.filter(.pending)
        if !f.isEmpty { title += " · filter \"\(f.text)\"" }
        let frame = PanelFrame.draw(on: canvas, rect: rect, title: title, focused: focused, number: 2)
        let inner = frame.inner
        ListRegions.panel(&map, .pending, rect: rect, inner: inner)
        guard inner.rows > 0 else { return }
        guard !rows.isEmpty else {
            canvas.put(row: inner.row, col: inner.col + 2, text: "No calls are waiting.", style: .dim)
            return
        }
        let selectedIndex = rows.firstIndex { $0.key == state.pendingCursor.key }
        let top = ListWindow.top(count: rows.count, selected: selectedIndex, row: state.pendingCursor.row, rows: inner.rows)
        let inView = Array(rows[top..<min(rows.count, top + inner.rows)])
        let recs = inView.map(\.item.approval.call)
        let tool = ColumnSpec(Column.tool, min: 10, preferred: ColumnLayout.contentWidth(recs.map(\.tool), floor: 10, cap: 28), grow: 1)
        let gateway = ColumnSpec(Column.gateway, min: 6,
                                 preferred: ColumnLayout.contentWidth(inView.map { state.gatewayName($0.key.gateway) }, cap: 14), grow: 0)
        let who = ColumnSpec(Column.who, min: 10, preferred: ColumnLayout.contentWidth(recs.map(StreamView.who), cap: 22), grow: 4)
        let args = ColumnSpec(Column.args, min: 12, preferred: 30, grow: 2, stretch: true)
        let deadline = ColumnSpec(Column.deadline, min: ColumnLayout.contentWidth(
            inView.map { Format.deadline($0.item.approval, now: context.now) } + ["disconnected", "resolved"], floor: 8, cap: 16),
                                  align: .right)
        let g = state.gatewayOrder.count > 1 ? [gateway] : []
        let cols = ColumnLayout.fit(variants: [
            [tool] + g + [who, args, deadline],
            [tool] + g + [args, deadline],
            [tool, args, deadline],
            [tool, deadline],
        ], width: inner.cols - 2)
        let glyphs = canvas.glyphs
        for (r, row) in inView.enumerated() {
            let isSelected = top + r == selectedIndex
            let y = inner.row + r
            let base = frame.rowStyle(selected: isSelected, base: .normal)
            canvas.fill(Rect(row: y, col: inner.col, rows: 1, cols: inner.cols), style: base)
            canvas.put(row: y, col: inner.col, text: isSelected ? glyphs.pointer : " ", style: base)
            let item = row.item
            let rec = item.approval.call
            let disconnected = state.gateways[item.key.gateway]?.connection.isConnected != true
            for c in cols {
                var (text, style): (String, Style) = switch c.id {
                case .tool: (rec.tool, .held)
                case .gateway: (state.gatewayName(item.key.gateway), .normal)
                case .who: (StreamView.who(rec), .dim)
                case .args: (item.entry.argsPreview, .normal)
                case .deadline: Self.deadline(item.approval, now: context.now)
                }
                if case .ghost(let ghost) = row {
                    switch c.id {
                    case .args: text = ghost.note
                    case .deadline: text = "resolved"
                    default: break
                    }
                    style = .dim
                } else if disconnected, c.id == .deadline {
                    (text, style) = ("disconnected", .alert)
                }
                PanelFrame.cell(canvas, row: y, x: inner.col + 2, c, text, style: isSelected ? base : style,
                                marking: isSelected || c.id == .deadline ? nil : f)
            }
            ListRegions.row(&map, .pendingRow(row.key), inner: inner, listRow: r)
        }
    }

    /// "deny in 42s", more urgent colours as the end nears.
    static func deadline(_ p: PendingApproval, now: Double) -> (String, Style) {
        let left = p.expiresAt - now
        let style: Style = left < 10 ? .alert : left < 30 ? .warning : .held
        return (Format.deadline(p, now: now), style)
    }
}
