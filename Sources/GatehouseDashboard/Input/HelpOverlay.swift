/// The help overlay, generated from the key map so it always tells the truth: the keys of
/// the current context first, then the ones that work everywhere. Read-only mode leaves
/// the decision keys out and says so.
public enum HelpOverlay {
    public enum Line: Hashable, Sendable {
        case heading(String)
        case entry(keys: String, help: String)
        case blank
    }

    /// What was drawn, for the view that owns the scroll position.
    public struct Rendered: Hashable, Sendable {
        public var frame: Rect
        /// Largest useful `scroll`; 0 when everything fits.
        public var maxScroll: Int
    }

    /// The overlay's content for `context`, in reading order.
    public static func lines(keyMap: KeyMap, context: KeyContext, readOnly: Bool,
                             glyphs: Glyphs = .unicode) -> [Line] {
        let visible = keyMap.bindings.filter { !(readOnly && $0.isDecision) }
        var sections: [(String, [KeyBinding])] = []
        if context != .global {
            sections.append((context.title, visible.filter { $0.contexts.contains(context) }))
        }
        if context == .global {
            sections.append((KeyContext.global.title, visible.filter { $0.contexts.contains(.global) }))
        } else if context.includesGlobal {
            sections.append((KeyContext.global.title,
                             visible.filter { $0.contexts.contains(.global) && !$0.contexts.contains(context) }))
        }
        var out: [Line] = []
        for (title, bindings) in sections where !bindings.isEmpty {
            if !out.isEmpty { out.append(.blank) }
            out.append(.heading(title))
            out += bindings.map { .entry(keys: $0.keyLabel(glyphs), help: $0.help) }
        }
        return out
    }

    /// Draws the overlay centred on `canvas`. Uses two columns when one does not fit the
    /// height but two fit the width; otherwise scrolls by `scroll` lines.
    @discardableResult
    public static func draw(on canvas: Canvas, keyMap: KeyMap = .standard, context: KeyContext,
                            readOnly: Bool, scroll: Int = 0) -> Rendered {
        let g = canvas.glyphs
        let content = lines(keyMap: keyMap, context: context, readOnly: readOnly, glyphs: g)
        let keyWidth = content.reduce(0) { w, line in
            if case .entry(let k, _) = line { return max(w, TerminalText.width(k)) }
            return w
        }
        let helpWidth = content.reduce(0) { w, line in
            switch line {
            case .entry(_, let h): max(w, TerminalText.width(h))
            case .heading(let t): max(w, TerminalText.width(t) - keyWidth - 2)
            case .blank: w
            }
        }
        let columnWidth = keyWidth + 2 + helpWidth
        let gutter = 2
        let footer = readOnly ? "read-only: approve, deny, kill switch and overrides are off" : ""
        let area = canvas.bounds
        let chromeRows = 2 + (footer.isEmpty ? 0 : 1)   // frame, footer line
        let roomRows = max(0, area.rows - chromeRows)

        var columns: [[Line]] = [content]
        if content.count > roomRows, 2 * columnWidth + gutter + 4 <= area.cols {
            columns = split(content, maxRows: roomRows)
        }
        let bodyRows = columns.map(\.count).max() ?? 0
        let bodyWidth = columns.count * columnWidth + (columns.count - 1) * gutter
        let wanted = Size(rows: bodyRows + chromeRows,
                          cols: max(bodyWidth, TerminalText.width(footer)) + 4)
        let frame = area.centered(wanted)
        let inner = canvas.drawBox(frame, title: "Help: \(context.title)")
        let body = canvas.region(Rect(row: inner.row, col: inner.col + 1,
                                      rows: inner.rows - (footer.isEmpty ? 0 : 1), cols: inner.cols - 2))
        let maxScroll = max(0, bodyRows - body.size.rows)
        let offset = min(max(0, scroll), maxScroll)

        for (c, column) in columns.enumerated() {
            let x = c * (columnWidth + gutter)
            for (i, line) in column.dropFirst(offset).enumerated() where i < body.size.rows {
                switch line {
                case .heading(let t):
                    body.put(row: i, col: x, text: t, style: .header)
                case .entry(let keys, let help):
                    body.put(row: i, col: x, text: keys, style: .keyHint)
                    body.put(row: i, col: x + keyWidth + 2, text: help, style: .normal)
                case .blank:
                    break
                }
            }
        }
        if !footer.isEmpty {
            canvas.put(row: inner.bottom - 1, col: inner.col + 1,
                       text: TerminalText.truncate(footer, toWidth: inner.cols - 2, ellipsis: g.ellipsis), style: .warning)
        }
        if offset < maxScroll {
            canvas.put(row: frame.bottom - 1, col: frame.right - 4, text: g.arrowDown, style: .title)
        }
        if offset > 0 {
            canvas.put(row: frame.row, col: frame.right - 4, text: g.arrowUp, style: .title)
        }
        return Rendered(frame: frame, maxScroll: maxScroll)
    }

    /// Splits lines into two columns. Prefers a break between sections when both columns
    /// then fit in `maxRows`; otherwise halves the list, without stranding a heading at the
    /// bottom of the first column or starting the second with a blank.
    static func split(_ lines: [Line], maxRows: Int = .max) -> [[Line]] {
        let sectionBreaks = lines.indices.filter { lines[$0] == .blank }
        let middle = lines.count / 2
        if let best = sectionBreaks
            .filter({ $0 <= maxRows && lines.count - $0 - 1 <= maxRows })
            .min(by: { abs($0 - middle) < abs($1 - middle) }) {
            return [Array(lines[..<best]), Array(lines[(best + 1)...])]
        }
        var cut = (lines.count + 1) / 2
        if cut > 0, case .heading = lines[cut - 1] { cut -= 1 }
        var second = Array(lines[cut...])
        if second.first == .blank { second.removeFirst() }
        var first = Array(lines[..<cut])
        if first.last == .blank { first.removeLast() }
        return [first, second]
    }
}
