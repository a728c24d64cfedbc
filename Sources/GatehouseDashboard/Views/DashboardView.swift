/// Draws the whole dashboard for a state on any canvas (the terminal, or a
/// `RecordingScreen` in tests) and reports the geometry it used as a `ScreenMap`.
public enum DashboardView {
    @discardableResult
    public static func draw(_ state: DashboardState, on canvas: Canvas, context: ViewContext) -> ScreenMap {
        var map = ScreenMap()
        let alerts = AlertsView.alerts(state, context: context, glyphs: canvas.glyphs)
        let layout = DashboardLayout.compute(size: canvas.size, state: state, alertCount: alerts.count)
        canvas.clear()
        if layout.tooSmall {
            drawTooSmall(state, on: canvas, alerts: alerts)
            return map
        }
        HeaderView.draw(state, on: canvas, context: context)
        AlertsView.draw(alerts, on: canvas, in: layout.alerts)
        let inDetail = state.detail != nil
        if let rect = layout.pending {
            PendingView.draw(state, on: canvas, rect: rect, focused: state.focus == .pending && !inDetail, context: context, map: &map)
        }
        if inDetail {
            DetailView.draw(state, on: canvas, rect: layout.main, context: context, map: &map)
        } else {
            drawPanel(layout.mainPanel, state, on: canvas, rect: layout.main, context: context, map: &map)
        }
        if let t = layout.tools { ToolsView.draw(state, on: canvas, rect: t, focused: state.focus == .tools, map: &map) }
        if let c = layout.counters {
            CountersView.draw(state, on: canvas, rect: c, focused: state.focus == .counters, context: context, map: &map)
        }
        StatusLineView.draw(state, on: canvas, row: layout.status.row, context: context)
        HintLine.draw(state, on: canvas, row: layout.hints.row)
        if let modal = state.modal {
            if case .help(let helpContext, let scroll) = modal {
                let rendered = HelpOverlay.draw(on: canvas, keyMap: state.options.keyMap, context: helpContext,
                                                readOnly: state.options.readOnly, scroll: scroll)
                map.helpMaxScroll = rendered.maxScroll
            } else {
                DialogView.draw(modal, state: state, on: canvas)
            }
        }
        return map
    }

    static func drawPanel(_ panel: Panel, _ state: DashboardState, on canvas: Canvas, rect: Rect, context: ViewContext,
                          map: inout ScreenMap) {
        switch panel {
        case .stream, .pending:
            StreamView.draw(state, on: canvas, rect: rect, focused: state.focus == .stream, context: context, map: &map)
        case .tools:
            ToolsView.draw(state, on: canvas, rect: rect, focused: true, map: &map)
        case .counters:
            CountersView.draw(state, on: canvas, rect: rect, focused: true, context: context, map: &map)
        }
    }

    /// Below the minimum size: say so, and still shout about an engaged kill switch.
    static func drawTooSmall(_ state: DashboardState, on canvas: Canvas, alerts: [AlertsView.Alert]) {
        let s = canvas.size
        let need = DashboardLayout.minimum
        let lines = ["Terminal too small", "\(s.cols)x\(s.rows), need \(need.cols)x\(need.rows)", "q quits"]
        let top = max(0, (s.rows - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            let text = TerminalText.truncate(l, toWidth: s.cols)
            canvas.put(row: top + i, col: max(0, (s.cols - TerminalText.width(text)) / 2), text: text,
                       style: i == 0 ? .warning : .dim)
        }
        if let kill = alerts.first(where: { $0.style == .killSwitch }) {
            canvas.clearLine(0, style: .killSwitch)
            canvas.put(row: 0, col: 0, text: kill.text, style: .killSwitch)
        }
    }
}
