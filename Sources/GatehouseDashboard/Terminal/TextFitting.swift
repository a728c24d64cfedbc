/// Fitting text into columns by display width (not by Character count), for table cells,
/// titles and hint lines.
extension TerminalText {
    public enum Alignment: Sendable { case left, right, center }

    /// `text` cut to at most `width` columns; when cut, it ends in `ellipsis`
    /// (pass `glyphs.ellipsis`). Never splits a wide character.
    public static func truncate(_ text: String, toWidth width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        let cells = cells(text)
        let total = cells.reduce(0) { $0 + $1.width }
        if total <= width { return cells.map(\.text).joined() }
        let ellipsisWidth = Self.width(ellipsis)
        let room = width - ellipsisWidth
        guard room >= 0 else { return takePrefix(cells, width: width) }
        return takePrefix(cells, width: room) + ellipsis
    }

    /// `text` truncated if needed and padded with spaces to exactly `width` columns.
    public static func fit(_ text: String, toWidth width: Int, alignment: Alignment = .left,
                           ellipsis: String = "…") -> String {
        let cut = truncate(text, toWidth: width, ellipsis: ellipsis)
        let gap = max(0, width - Self.width(cut))
        switch alignment {
        case .left: return cut + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + cut
        case .center:
            let left = gap / 2
            return String(repeating: " ", count: left) + cut + String(repeating: " ", count: gap - left)
        }
    }

    private static func takePrefix(_ cells: [TextCell], width: Int) -> String {
        var out = "", used = 0
        for c in cells {
            if used + c.width > width { break }
            out += c.text
            used += c.width
        }
        // Only called when the text overflows, so a gap here is the half of a wide character
        // that did not fit: pad it so the result is exactly `width` columns.
        return out + String(repeating: " ", count: width - used)
    }
}
