/// The top line: the product, each gateway with its connection and policy, calls per
/// second, how many calls wait, who is operating, read-only, and the time.
enum HeaderView {
    struct Part {
        var text: String
        var style: Style
    }

    static func draw(_ state: DashboardState, on canvas: Canvas, context: ViewContext) {
        let g = canvas.glyphs
        let width = canvas.size.cols
        canvas.clearLine(0, style: .statusBar)

        // Right side, most important first; the tail is dropped when space is short.
        var right: [Part] = []
        let held = state.pending.count
        if held > 0 { right.append(Part(text: "\(g.held) \(held) waiting", style: .held)) }
        if state.options.readOnly { right.append(Part(text: "READ-ONLY", style: .warning)) }
        right.append(Part(text: Format.rate(state.rate(at: context.now)) + " calls/s", style: .statusBar))
        right.append(Part(text: Format.clock(context.now, zone: context.zone), style: .statusBar))
        if let op = state.gatewayList.lazy.compactMap({ $0.hello?.operatorName }).first {
            right.append(Part(text: "you: \(op)", style: .statusBar))
        }
        var rightWidth = right.reduce(0) { $0 + TerminalText.width($1.text) + 2 }
        while rightWidth > width / 2, right.count > 1 {
            rightWidth -= TerminalText.width(right.removeLast().text) + 2
        }

        var col = canvas.put(row: 0, col: 0, text: " Gatehouse ", style: .title)
        let leftLimit = width - rightWidth
        let gateways = state.gatewayList
        if gateways.isEmpty {
            canvas.put(row: 0, col: col, text: TerminalText.truncate(" no gateway attached", toWidth: max(0, leftLimit - col)),
                       style: .dim)
        }
        // Full descriptions when they fit, otherwise names only.
        let full = gateways.map { describe($0, glyphs: g, detailed: true) }
        let fits = full.reduce(col) { $0 + $1.reduce(0) { $0 + TerminalText.width($1.text) } + 2 } <= leftLimit
        for gw in gateways {
            let parts = describe(gw, glyphs: g, detailed: fits)
            let w = parts.reduce(0) { $0 + TerminalText.width($1.text) }
            if col + 2 + w > leftLimit {
                canvas.put(row: 0, col: col, text: " " + g.ellipsis, style: .statusBar)
                break
            }
            col = canvas.put(row: 0, col: col, text: "  ", style: .statusBar)
            for p in parts { col = canvas.put(row: 0, col: col, text: p.text, style: p.style) }
        }

        var x = width - rightWidth + 2
        for p in right {
            x = canvas.put(row: 0, col: x, text: p.text, style: p.style) + 2
        }
    }

    static func describe(_ gw: GatewayState, glyphs g: Glyphs, detailed: Bool) -> [Part] {
        var parts: [Part]
        switch gw.connection {
        case .connected:
            let mark = gw.killSwitch.engaged ? Part(text: g.killSwitch + " ", style: .killSwitch) : Part(text: g.live + " ", style: .allowed)
            parts = [mark, Part(text: gw.name, style: .title)]
        case .connecting, .subscribing:
            parts = [Part(text: g.idle + " ", style: .warning), Part(text: gw.name, style: .statusBar)]
        case .disconnected:
            parts = [Part(text: g.idle + " ", style: .alert), Part(text: gw.name, style: .alert)]
        }
        guard detailed else { return parts }
        switch gw.connection {
        case .connected:
            if let p = gw.policy {
                parts.append(Part(text: " default \(p.defaultAction) · policy v\(p.version)", style: .statusBar))
            }
        case .connecting, .subscribing:
            parts.append(Part(text: " connecting", style: .warning))
        case .disconnected:
            parts.append(Part(text: " disconnected", style: .alert))
        }
        return parts
    }
}
