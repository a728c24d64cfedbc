import GatehouseCore

/// Each tool's effective state right now (what happens if the agent calls it), its risk
/// class, and any runtime override with who set it.
enum ToolsView {
    enum Column: Hashable, Sendable { case name, gateway, risk, state }

    /// "· override by bob": the state shown is an operator's, not the policy file's.
    static func overrideNote(_ t: ToolInfo) -> String? {
        t.override.map { _ in "· override" + (t.overrideBy.map { " by \($0)" } ?? "") }
    }

    static func stateStyle(_ t: ToolInfo) -> Style {
        switch t.state {
        case "allowed": .allowed
        case "denied": .denied
        case "hidden": .dim
        case "needs approval": .held
        case "rate-limited": .rateLimited
        default: .normal
        }
    }

    static func risk(_ r: RiskClass) -> Risk { Risk(rawValue: r.rawValue) ?? .write }

    static func draw(_ state: DashboardState, on canvas: Canvas, rect: Rect, focused: Bool, map: inout ScreenMap) {
        let rows = state.toolRows
        var title = "Tools · \(rows.count)"
        let f = state.filter(.tools)
        if !f.isEmpty { title += " · filter \"\(f.text)\"" }
        let frame = PanelFrame.draw(on: canvas, rect: rect, title: title, focused: focused, number: 3)
        let inner = frame.inner
        ListRegions.panel(&map, .tools, rect: rect, inner: inner)
        guard inner.rows > 0 else { return }
        guard !rows.isEmpty else {
            canvas.put(row: inner.row, col: inner.col + 2,
                       text: TerminalText.truncate(f.isEmpty ? "No tools listed yet." : "No tool matches.", toWidth: inner.cols - 3),
                       style: .dim)
            return
        }
        let selectedIndex = rows.firstIndex { $0.key == state.toolsCursor.key }
        let top = ListWindow.top(count: rows.count, selected: selectedIndex, row: state.toolsCursor.row, rows: inner.rows)
        let inView = Array(rows[top..<min(rows.count, top + inner.rows)])
        let name = ColumnSpec(Column.name, min: 10, preferred: ColumnLayout.contentWidth(inView.map(\.tool.name), cap: 32), grow: 1,
                              stretch: true)
        let gateway = ColumnSpec(Column.gateway, min: 6, preferred: ColumnLayout.contentWidth(inView.map(\.gateway.name), cap: 12), grow: 0)
        let risk = ColumnSpec(Column.risk, min: ColumnLayout.contentWidth(inView.map(\.tool.risk.rawValue), floor: 4, cap: 11))
        // The state, then any runtime override and who set it, in one column that takes the room left.
        let state_ = ColumnSpec(Column.state, min: 14, preferred: 40, grow: 2)
        let g = state.gatewayOrder.count > 1 ? [gateway] : []
        let cols = ColumnLayout.fit(variants: [
            [name] + g + [risk, state_],
            [name, risk, state_],
            [name, state_],
        ], width: inner.cols - 2)
        let glyphs = canvas.glyphs
        for (r, row) in inView.enumerated() {
            let (key, tool, gw) = row
            let isSelected = top + r == selectedIndex
            let y = inner.row + r
            let base = frame.rowStyle(selected: isSelected, base: .normal)
            canvas.fill(Rect(row: y, col: inner.col, rows: 1, cols: inner.cols), style: base)
            canvas.put(row: y, col: inner.col, text: isSelected ? glyphs.pointer : " ", style: base)
            for c in cols {
                let (text, style): (String, Style) = switch c.id {
                case .name: (tool.name, tool.hidden ? .dim : .normal)
                case .gateway: (gw.name, .dim)
                case .risk: (tool.risk.rawValue, .risk(Self.risk(tool.risk)))
                case .state: (tool.state, stateStyle(tool))
                }
                PanelFrame.cell(canvas, row: y, x: inner.col + 2, c, text, style: isSelected ? base : style,
                                marking: isSelected || c.id != .name ? nil : f)
                if c.id == .state, let note = overrideNote(tool), c.width > TerminalText.width(tool.state) + 2 {
                    let room = c.width - TerminalText.width(tool.state) - 1
                    canvas.put(row: y, col: inner.col + 2 + c.col + TerminalText.width(tool.state) + 1,
                               text: TerminalText.truncate(note, toWidth: room, ellipsis: glyphs.ellipsis),
                               style: isSelected ? base : .warning)
                }
            }
            ListRegions.row(&map, .toolRow(key), inner: inner, listRow: r)
        }
    }
}
