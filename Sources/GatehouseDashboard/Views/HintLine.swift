/// The bottom line: the keys that do something where the cursor is, from the key map.
/// Decision keys show only when there is something to decide (a held call selected, calls
/// waiting), and the pause key says "resume" while paused.
enum HintLine {
    static func hints(_ state: DashboardState, glyphs: Glyphs) -> [KeyHint] {
        let all = state.options.keyMap.hints(for: state.keyContext, readOnly: state.options.readOnly, glyphs: glyphs)
        guard state.modal == nil else { return all }
        return all.compactMap { h in
            var h = h
            switch h.action {
            case .approve, .approveWithScope, .deny: if !state.selectionIsHeld { return nil }
            case .approveAll, .denyAll: if state.pending.isEmpty { return nil }
            case .overrideTool: if !state.selectionHasTool { return nil }
            case .togglePause: if state.isPaused { h.label = "resume" }
            case .back: if state.detail == nil, state.filter(state.focus).isEmpty { return nil }
            default: break
            }
            return h
        }
    }

    static func draw(_ state: DashboardState, on canvas: Canvas, row: Int) {
        HintBar.draw(hints(state, glyphs: canvas.glyphs), on: canvas, row: row)
    }
}
