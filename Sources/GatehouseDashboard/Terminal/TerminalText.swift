/// One grapheme as it will sit on the terminal: the text to send and the cells it covers.
public struct TextCell: Hashable, Sendable {
    public var text: String
    public var width: Int  // 1 or 2
}

/// Turns arbitrary strings (tool names and arguments come from untrusted agents) into
/// terminal cells: measured with wcwidth, and stripped of anything that could move the
/// cursor, switch modes or reorder text.
///
/// Rules, shared by every `Canvas` so tests and the real terminal agree:
/// - a tab becomes one space; other C0/C1 controls, DEL, bidi overrides and anything
///   wcwidth calls unprintable or zero-width *on its own* become U+FFFD, so hidden
///   characters show up instead of disappearing;
/// - zero-width scalars following a printable base (accents, ZWJ, variation selectors)
///   stay attached to it, at most four, as a curses cell allows;
/// - further spacing scalars inside one grapheme (the rest of a ZWJ emoji sequence) are
///   dropped: ncurses, like wcwidth, gives a cell one spacing character;
/// - regional-indicator flags become their two letters ("🇩🇪" -> "DE"): terminals disagree
///   about their width and letters are unambiguous.
public enum TerminalText {
    public static let replacement = "\u{FFFD}"

    /// The cells `text` occupies. With `asciiOnly`, every non-ASCII cell is drawn as `?`
    /// (two when wide) so the widths the views computed still hold.
    public static func cells(_ text: some StringProtocol, asciiOnly: Bool = false) -> [TextCell] {
        var out: [TextCell] = []
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            appendCells(of: ch, to: &out)
        }
        if asciiOnly {
            // One "?" cell per column, so a wide character keeps its two columns.
            return out.flatMap { cell in
                cell.text.allSatisfy(\.isASCII) ? [cell] : Array(repeating: TextCell(text: "?", width: 1), count: cell.width)
            }
        }
        return out
    }

    /// Columns `text` covers on the terminal.
    public static func width(_ text: some StringProtocol) -> Int {
        var total = 0
        for ch in text {
            if let a = ch.asciiValue, a >= 0x20, a < 0x7F { total += 1; continue }
            var cells: [TextCell] = []
            appendCells(of: ch, to: &cells)
            for c in cells { total += c.width }
        }
        return total
    }

    /// Columns one character covers.
    public static func width(_ ch: Character) -> Int { width(String(ch)) }

    private static func appendCells(of ch: Character, to out: inout [TextCell]) {
        if let a = ch.asciiValue {
            // "\r\n" is one Character; both halves are controls anyway.
            if a >= 0x20 && a < 0x7F {
                out.append(TextCell(text: String(ch), width: 1))
            } else {
                out.append(TextCell(text: a == 0x09 ? " " : replacement, width: 1))
            }
            return
        }
        let scalars = ch.unicodeScalars
        guard let base = scalars.first else { return }
        if isRegionalIndicator(base) {
            for s in scalars where isRegionalIndicator(s) {
                let letter = Unicode.Scalar(UInt8(0x41 + (s.value - 0x1F1E6)))
                out.append(TextCell(text: String(Character(letter)), width: 1))
            }
            return
        }
        let w = DisplayWidth.of(base)
        if w <= 0 || isBidiControl(base) {
            out.append(TextCell(text: replacement, width: 1))
            return
        }
        var text = String(Character(base))
        var attached = 0
        for s in scalars.dropFirst() where attached < 4 {
            if DisplayWidth.of(s) == 0 && !isBidiControl(s) {
                text.unicodeScalars.append(s)
                attached += 1
            }
        }
        out.append(TextCell(text: text, width: min(w, 2)))
    }

    private static func isRegionalIndicator(_ s: Unicode.Scalar) -> Bool {
        (0x1F1E6...0x1F1FF).contains(s.value)
    }

    /// Explicit direction marks, embeddings, overrides and isolates: they can make a tool
    /// name read differently from what it is ("Trojan Source").
    private static func isBidiControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

/// A cell placed at a column after clipping.
struct PlacedCell: Equatable {
    var col: Int
    var cell: TextCell
}

extension TerminalText {
    /// Lays `cells` out from column `start` and keeps what falls inside `0..<limit`.
    /// A wide cell cut by either edge becomes a space in its visible half, so nothing
    /// ever spills past the edge and the neighbouring cells stay where they were.
    static func clip(_ cells: [TextCell], from start: Int, limit: Int) -> [PlacedCell] {
        var out: [PlacedCell] = []
        var col = start
        for cell in cells {
            if col >= limit { break }
            let end = col + cell.width
            if end <= 0 {
                // Entirely left of the edge (horizontally scrolled away).
            } else if col >= 0 && end <= limit {
                out.append(PlacedCell(col: col, cell: cell))
            } else {
                for c in max(col, 0)..<min(end, limit) {
                    out.append(PlacedCell(col: c, cell: TextCell(text: " ", width: 1)))
                }
            }
            col = end
        }
        return out
    }
}
