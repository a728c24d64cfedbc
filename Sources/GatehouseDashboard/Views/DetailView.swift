import GatehouseCore

/// Everything about one call (pretty-printed arguments, the decision trace, the upstream's
/// answer, the approver) or one tool, scrollable, over the main area.
enum DetailView {
    /// One logical line: a heading, a labelled field, or a line of a block (JSON, trace).
    struct Line: Hashable {
        enum Kind: Hashable { case heading, field(String), block }
        var kind: Kind
        var text: String
        var style: Style
    }

    static let labelWidth = 11

    static func lines(_ state: DashboardState, context: ViewContext, glyphs g: Glyphs) -> (title: String, lines: [Line]) {
        guard let d = state.detail else { return ("", []) }
        switch d.target {
        case .call(let key):
            guard let e = state.detailCall else { return ("Call \(key.id)", [Line(kind: .block, text: "This call is no longer known.", style: .dim)]) }
            return ("Call \(key.id) · \(e.record.tool) on \(state.gatewayName(key.gateway))",
                    callLines(e, pending: state.pending.item(key), note: state.resolutions.note(for: key), context: context, glyphs: g,
                              readOnly: state.options.readOnly))
        case .tool(let key):
            guard let t = state.gateways[key.gateway]?.tools.first(where: { $0.name == key.name }) else {
                return ("Tool \(key.name)", [Line(kind: .block, text: "This tool is no longer listed.", style: .dim)])
            }
            return ("Tool \(t.name) on \(state.gatewayName(key.gateway))", toolLines(t))
        }
    }

    static func callLines(_ e: CallEntry, pending: PendingItem?, note: String?, context: ViewContext, glyphs g: Glyphs,
                          readOnly: Bool = false) -> [Line] {
        let r = e.record
        var out: [Line] = []
        func field(_ label: String, _ text: String, _ style: Style = .normal) {
            out.append(Line(kind: .field(label), text: text, style: style))
        }
        var status = e.status.glyph(g) + " " + e.status.label
        if let p = pending { status += " · " + Format.deadline(p.approval, now: context.now) }
        field("status", status, e.status.style)
        if e.status == .held, pending != nil, !readOnly { field("", "a approves · A approves for a while · d denies", .keyHint) }
        field("decision", "\(r.decision) by \(r.rule) → \(r.outcome.rawValue)")
        if let reason = r.reason { field("reason", reason, .warning) }
        if let a = r.approver {
            field("approver", a + (r.approvalScope.map { " (\($0))" } ?? ""), .approved)
        } else if let note, e.status != .held {
            field("resolved", note)
        }
        field("received", Format.clock(r.receivedAt, zone: context.zone))
        field("agent", "grant \(r.grant) · session \(r.session)")
        if let l = r.latencyMs { field("latency", Format.latency(l)) }
        if !r.counters.isEmpty { field("counters", r.counters.joined(separator: ", ")) }
        field("args hash", r.argsHash, .dim)
        out.append(Line(kind: .heading, text: "Arguments", style: .header))
        for l in JSONWriter.pretty(r.arguments).split(separator: "\n", omittingEmptySubsequences: false) {
            out.append(Line(kind: .block, text: String(l), style: .normal))
        }
        out.append(Line(kind: .heading, text: "Decision trace", style: .header))
        if r.trace.isEmpty { out.append(Line(kind: .block, text: "(none recorded)", style: .dim)) }
        for (i, t) in r.trace.enumerated() { out.append(Line(kind: .block, text: "\(i + 1). \(t)", style: .normal)) }
        if let preview = r.resultPreview {
            let isError = r.resultIsError == true || r.outcome == .error
            out.append(Line(kind: .heading, text: isError ? "Upstream error" : "Upstream result", style: .header))
            for l in preview.split(separator: "\n", omittingEmptySubsequences: false) {
                out.append(Line(kind: .block, text: String(l), style: isError ? .errored : .normal))
            }
        } else if r.outcome == .forwarded {
            out.append(Line(kind: .heading, text: "Upstream result", style: .header))
            out.append(Line(kind: .block, text: "(waiting for the upstream's answer)", style: .dim))
        }
        return out
    }

    static func toolLines(_ t: ToolInfo) -> [Line] {
        var out: [Line] = []
        func field(_ label: String, _ text: String, _ style: Style = .normal) {
            out.append(Line(kind: .field(label), text: text, style: style))
        }
        field("state", t.state, ToolsView.stateStyle(t))
        field("risk", t.risk.rawValue, .risk(ToolsView.risk(t.risk)))
        field("action", t.action.replacingUnderscores())
        field("rule", t.rule)
        if t.hidden { field("hidden", "yes: the agent does not see this tool", .dim) }
        if let o = t.override {
            field("override", o.replacingUnderscores() + (t.overrideBy.map { " by \($0)" } ?? ""), .warning)
        }
        if !t.limits.isEmpty { field("limits", t.limits.joined(separator: ", ")) }
        var hints: [String] = []
        if let r = t.readOnlyHint { hints.append("readOnly \(r)") }
        if let d = t.destructiveHint { hints.append("destructive \(d)") }
        if !hints.isEmpty { field("hints", hints.joined(separator: ", "), .dim) }
        if let d = t.description, !d.isEmpty {
            out.append(Line(kind: .heading, text: "Description", style: .header))
            for l in d.split(separator: "\n", omittingEmptySubsequences: false) {
                out.append(Line(kind: .block, text: String(l), style: .normal))
            }
        }
        return out
    }

    /// Lines as they appear in `width` columns: long ones wrap, labels stay in their column.
    static func wrap(_ lines: [Line], width: Int) -> [(label: String?, text: String, indent: Int, style: Style)] {
        var out: [(String?, String, Int, Style)] = []
        for line in lines {
            switch line.kind {
            case .heading:
                out.append((nil, line.text, 0, line.style))
            case .field(let label):
                let room = max(1, width - labelWidth - 1)
                for (i, piece) in chunks(line.text, width: room).enumerated() {
                    out.append((i == 0 ? label : "", piece, labelWidth + 1, line.style))
                }
            case .block:
                for piece in chunks(line.text, width: max(1, width - 2)) { out.append((nil, piece, 2, line.style)) }
            }
        }
        return out
    }

    /// Splits text into pieces of at most `width` columns (never splitting a character).
    static func chunks(_ text: String, width: Int) -> [String] {
        guard TerminalText.width(text) > width else { return [text] }
        var out: [String] = []
        var current = "", used = 0
        for ch in text {
            let w = TerminalText.width(ch)
            if used + w > width, !current.isEmpty {
                out.append(current)
                current = ""
                used = 0
            }
            current.append(ch)
            used += w
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func draw(_ state: DashboardState, on canvas: Canvas, rect: Rect, context: ViewContext, map: inout ScreenMap) {
        let g = canvas.glyphs
        let (title, content) = lines(state, context: context, glyphs: g)
        let inner = canvas.drawBox(rect, title: title, style: .borderFocused)
        guard inner.rows > 0, inner.cols > 2 else { return }
        let wrapped = wrap(content, width: inner.cols - 1)
        let maxScroll = max(0, wrapped.count - inner.rows)
        let scroll = min(state.detail?.scroll ?? 0, maxScroll)
        map.detailRows = inner.rows
        map.detailMaxScroll = maxScroll
        map.regions.append(ScreenMap.Region(rect, .panel(state.focus)))
        let body = canvas.region(Rect(row: inner.row, col: inner.col + 1, rows: inner.rows, cols: inner.cols - 1))
        for (i, line) in wrapped.dropFirst(scroll).prefix(inner.rows).enumerated() {
            if let label = line.label {
                body.put(row: i, col: 0, text: label, style: .dim)
                body.put(row: i, col: line.indent, text: line.text, style: line.style)
            } else {
                body.put(row: i, col: line.indent, text: line.text, style: line.style)
            }
        }
        if scroll < maxScroll { canvas.put(row: rect.bottom - 1, col: rect.right - 4, text: g.arrowDown, style: .title) }
        if scroll > 0 { canvas.put(row: rect.row, col: rect.right - 4, text: g.arrowUp, style: .title) }
    }
}
