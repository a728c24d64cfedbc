/// Full-width alert lines under the header: an engaged kill switch (impossible to miss),
/// a lost gateway, a stopped upstream, a rejected policy file.
enum AlertsView {
    struct Alert: Hashable {
        var text: String
        var style: Style
    }

    static func alerts(_ state: DashboardState, context: ViewContext, glyphs g: Glyphs) -> [Alert] {
        var out: [Alert] = []
        for gw in state.gatewayList where gw.killSwitch.engaged {
            var text = "\(g.killSwitch) KILL SWITCH ENGAGED on \(gw.name)"
            if let by = gw.killSwitch.by { text += " by \(by)" }
            if let at = gw.killSwitch.at { text += " at \(Format.clock(at, zone: context.zone))" }
            text += ": every call is denied"
            if !state.options.readOnly { text += "  ·  K releases" }
            if let r = gw.killSwitch.reason, !r.isEmpty { text += "  ·  \(r)" }
            out.append(Alert(text: text, style: .killSwitch))
        }
        for gw in state.gatewayList {
            if case .disconnected(let reason, _, let retryAt) = gw.connection {
                var text = "\(g.idle) \(gw.name) disconnected: \(reason)"
                if let retryAt { text += "; retrying in \(Format.countdown(retryAt - context.now))" }
                out.append(Alert(text: text, style: .alert))
            } else if gw.connection.isConnected, !gw.upstreamRunning {
                out.append(Alert(text: "\(g.errored) \(gw.name): the upstream server is not running"
                                 + (gw.upstreamMessage.map { ": \($0)" } ?? ""), style: .alert))
            }
            if let errors = gw.policyRejection {
                out.append(Alert(text: "\(g.warning) \(gw.name): the policy file is invalid, the old policy stays in force: "
                                 + (errors.first ?? ""), style: .warning))
            }
        }
        return out
    }

    static func draw(_ alerts: [Alert], on canvas: Canvas, in rect: Rect) {
        let shown = alerts.prefix(rect.rows)
        for (i, a) in shown.enumerated() {
            var text = a.text
            if i == rect.rows - 1, alerts.count > rect.rows { text += "  (+\(alerts.count - rect.rows) more)" }
            canvas.clearLine(rect.row + i, style: a.style)
            canvas.put(row: rect.row + i, col: 1, text: TerminalText.truncate(text, toWidth: rect.cols - 2), style: a.style)
        }
    }
}
