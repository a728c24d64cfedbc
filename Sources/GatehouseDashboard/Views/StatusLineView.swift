/// The line above the hints: the filter being typed, or the outcome of the last command
/// (success, or the gateway's refusal), or what just happened; dimmed once it is old.
enum StatusLineView {
    static func style(_ m: StatusMessage, now: Double) -> Style {
        if now - m.at > StatusMessage.freshSeconds { return .dim }
        switch m.kind {
        case .info: return .normal
        case .success: return .allowed
        case .warning: return .warning
        case .error: return .alert
        }
    }

    static func draw(_ state: DashboardState, on canvas: Canvas, row: Int, context: ViewContext) {
        canvas.clearLine(row)
        let width = canvas.size.cols
        if case .filter(let panel, let editor, _)? = state.modal {
            let label = "filter \(panel.title.lowercased()): /"
            let x = canvas.put(row: row, col: 1, text: label, style: .prompt)
            editor.draw(on: canvas, row: row, col: x, width: max(1, width - x - 1))
            return
        }
        var right = ""
        if !state.inFlight.isEmpty {
            right = "\(state.inFlight.count) awaiting an answer"
        }
        let rightWidth = right.isEmpty ? 0 : TerminalText.width(right) + 2
        if let m = state.status {
            let text = TerminalText.truncate(m.text, toWidth: max(0, width - 2 - rightWidth), ellipsis: canvas.glyphs.ellipsis)
            canvas.put(row: row, col: 1, text: text, style: style(m, now: context.now))
        }
        if !right.isEmpty { canvas.put(row: row, col: width - rightWidth + 1, text: right, style: .dim) }
    }
}
