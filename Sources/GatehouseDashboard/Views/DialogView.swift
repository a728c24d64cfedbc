/// Centred dialogs: yes/no questions, the deny-reason prompt and the kill-switch
/// confirmation where the gateway's name must be typed.
enum DialogView {
    struct Text {
        var text: String
        var style: Style
        /// Cut to the dialog's width instead of wrapping (list lines).
        var oneLine = false
    }

    static func draw(_ modal: Modal, state: DashboardState, on canvas: Canvas) {
        switch modal {
        case .help, .filter:
            break  // drawn elsewhere
        case .scopeMenu(_, let menu): menu.draw(on: canvas)
        case .overrideMenu(_, let menu): menu.draw(on: canvas)
        case .gatewayMenu(let menu): menu.draw(on: canvas)
        case .confirm(let q): confirm(q, on: canvas)
        case .denyReason(let t, let editor):
            let lines = [
                Text(text: "The call stays refused; the agent reads the reason.", style: .normal),
                Text(text: "Reason (optional):", style: .dim),
            ]
            let (inner, _) = box(on: canvas, title: "Deny \(t.label) on \(t.gatewayName)", lines: lines, extra: 2,
                                 style: .borderFocused)
            editor.draw(on: canvas, row: inner.row + lines.count, col: inner.col + 1, width: inner.cols - 2)
            footer(on: canvas, inner: inner, "Enter denies · Esc cancels")
        case .killSwitch(let id, let change, let confirmation):
            let name = state.gatewayName(id)
            let engage = change == .engage
            var lines = [
                Text(text: engage ? "Every new call and every held call on \(name) will be denied until released."
                                  : "Calls on \(name) will be decided by the policy again.", style: .normal),
                Text(text: "Type \(confirmation.phrase) and press Enter:", style: .normal),
            ]
            if confirmation.mismatch { lines.append(Text(text: "That is not \(confirmation.phrase).", style: .alert)) }
            let title = engage ? "\(canvas.glyphs.killSwitch) ENGAGE THE KILL SWITCH on \(name)" : "Release the kill switch on \(name)"
            let (inner, _) = box(on: canvas, title: title, lines: lines, extra: 2, style: engage ? .killSwitch : .borderFocused)
            confirmation.editor.draw(on: canvas, row: inner.row + lines.count, col: inner.col + 1, width: inner.cols - 2)
            footer(on: canvas, inner: inner, confirmation.matches ? "Enter confirms · Esc cancels" : "Esc cancels")
        }
    }

    static func confirm(_ q: Question, on canvas: Canvas) {
        var lines: [Text] = []
        let title: String
        var yes = "y yes"
        switch q {
        case .approveAll(let ts), .denyAll(let ts):
            let approve = if case .approveAll = q { true } else { false }
            let gateways = Array(Set(ts.map(\.gatewayName))).sorted().joined(separator: ", ")
            title = approve ? "Approve all \(ts.count) held calls?" : "Deny all \(ts.count) held calls?"
            lines.append(Text(text: "On \(gateways):", style: .normal))
            let several = Set(ts.map(\.gatewayName)).count > 1
            for t in ts.prefix(8) {
                lines.append(Text(text: "  \(t.label)\(several ? " on \(t.gatewayName)" : "")  \(t.preview)", style: .held, oneLine: true))
            }
            if ts.count > 8 { lines.append(Text(text: "  and \(ts.count - 8) more", style: .dim)) }
            lines.append(Text(text: "Calls arriving from now on are not included.", style: .dim))
            yes = approve ? "y approve them all" : "y deny them all"
        case .approveAlways(let t):
            title = "Always allow \(t.tool)?"
            lines.append(Text(text: "Approves \(t.label) and sets a lasting override on \(t.gatewayName):", style: .normal))
            lines.append(Text(text: "every later \(t.tool) call goes through without asking, until cleared (o).", style: .warning))
            yes = "y always allow"
        case .overrideAllow(let t):
            title = "Allow \(t.key.name) without asking?"
            lines.append(Text(text: "\(t.key.name) is a \(t.risk?.rawValue ?? "risky") tool.", style: .warning))
            lines.append(Text(text: "Every call on \(t.gatewayName) goes through until the override is cleared.", style: .normal))
            yes = "y allow"
        }
        let (inner, _) = box(on: canvas, title: title, lines: lines, extra: 1, style: .borderFocused)
        footer(on: canvas, inner: inner, "\(yes) · n no")
    }

    /// A centred box with `lines`, `extra` more rows below them (editor, footer); returns
    /// its interior and frame.
    @discardableResult
    static func box(on canvas: Canvas, title: String, lines: [Text], extra: Int, style: Style) -> (Rect, Rect) {
        let maxWidth = max(20, min(canvas.size.cols - 4, 80))
        let wanted = max(lines.map { TerminalText.width($0.text) }.max() ?? 0, TerminalText.width(title) + 4, 40) + 4
        // (List lines may be long: they are cut, and do not widen the dialog past 80.)
        let width = min(maxWidth, wanted)
        let wrapped = lines.flatMap { l in
            l.oneLine ? [Text(text: TerminalText.truncate(l.text, toWidth: width - 4, ellipsis: canvas.glyphs.ellipsis), style: l.style)]
                      : DetailView.chunks(l.text, width: width - 4).map { Text(text: $0, style: l.style) }
        }
        let frame = canvas.bounds.centered(Size(rows: wrapped.count + extra + 2, cols: width))
        let inner = canvas.drawBox(frame, title: title, style: style, titleStyle: style == .killSwitch ? .killSwitch : .title)
        for (i, l) in wrapped.enumerated() where i < inner.rows {
            canvas.put(row: inner.row + i, col: inner.col + 1, text: l.text, style: l.style)
        }
        // Shifted by the rows wrapping added, so callers can place things `lines.count` below.
        let shift = wrapped.count - lines.count
        return (Rect(row: inner.row + shift, col: inner.col, rows: inner.rows - shift, cols: inner.cols), frame)
    }

    static func footer(on canvas: Canvas, inner: Rect, _ text: String) {
        canvas.put(row: inner.bottom - 1, col: inner.col + 1, text: TerminalText.truncate(text, toWidth: inner.cols - 2), style: .keyHint)
    }
}
