/// An in-memory `Screen` for tests: a grid of cells that remembers text and semantic style,
/// with the same clipping and wide-character rules as the terminal. Layouts can be checked
/// at any size and with any glyph set, without a terminal.
public final class RecordingScreen: Screen {
    public struct Cell: Hashable, Sendable {
        /// The grapheme drawn here; empty for the right half of a wide character.
        public var text: String
        public var style: Style
        /// True for the right half of a wide character.
        public var isContinuation: Bool

        static let blank = Cell(text: " ", style: .normal, isContinuation: false)
    }

    public private(set) var size: Size
    public let glyphs: Glyphs
    public private(set) var cells: [[Cell]]
    /// Where the cursor was placed during the last frame; nil when hidden.
    public private(set) var cursor: (row: Int, col: Int)?
    /// Completed frames, for views that must redraw on an event.
    public private(set) var frameCount = 0
    private var pendingCursor: (row: Int, col: Int)?

    private let utf8: Bool

    /// `utf8: false` behaves like a terminal in a non-UTF-8 locale: ASCII glyphs, and
    /// non-ASCII text drawn as `?`.
    public init(rows: Int, cols: Int, utf8: Bool = true) {
        self.size = Size(rows: rows, cols: cols)
        self.utf8 = utf8
        self.glyphs = .forTerminal(utf8: utf8)
        self.cells = Array(repeating: Array(repeating: .blank, count: size.cols), count: size.rows)
    }

    /// Simulates the terminal being resized; contents are lost, as after KEY_RESIZE.
    public func resize(rows: Int, cols: Int) {
        size = Size(rows: rows, cols: cols)
        cells = Array(repeating: Array(repeating: .blank, count: size.cols), count: size.rows)
    }

    // MARK: Screen

    public func beginFrame() {
        pendingCursor = nil
        clear()
    }

    public func endFrame() {
        cursor = pendingCursor
        frameCount += 1
    }

    @discardableResult
    public func put(row: Int, col: Int, text: String, style: Style) -> Int {
        let laid = TerminalText.cells(text, asciiOnly: !utf8)
        let end = col + laid.reduce(0) { $0 + $1.width }
        guard row >= 0, row < size.rows else { return end }
        for p in TerminalText.clip(laid, from: col, limit: size.cols) {
            write(p.cell, row: row, col: p.col, style: style)
        }
        return end
    }

    public func fill(_ rect: Rect, with character: Character, style: Style) {
        fillByRows(rect, with: character, style: style)
    }

    public func placeCursor(row: Int, col: Int) {
        guard row >= 0, row < size.rows, col >= 0, col < size.cols else { return }
        pendingCursor = (row, col)
    }

    // MARK: Inspection

    /// Row `i` as displayed: each wide character once, exactly `size.cols` columns wide.
    public func rowText(_ i: Int) -> String {
        cells[i].filter { !$0.isContinuation }.map(\.text).joined()
    }

    /// The style of the cell at (`row`, `col`); the right half of a wide character
    /// reports its left half's style.
    public func styleAt(row: Int, col: Int) -> Style {
        cells[row][col].style
    }

    /// The whole screen as text, one line per row with trailing blanks trimmed.
    public func dump() -> String {
        (0..<size.rows).map { rowText($0).trimmingTrailingSpaces() }.joined(separator: "\n")
    }

    /// The first (row, col) where `text` starts, in display columns; nil if not on screen.
    public func find(_ text: String) -> (row: Int, col: Int)? {
        for r in 0..<size.rows {
            let line = Array(rowText(r))
            let needle = Array(text)
            guard !needle.isEmpty, needle.count <= line.count else { continue }
            for start in 0...(line.count - needle.count) where line[start..<start + needle.count].elementsEqual(needle) {
                return (r, TerminalText.width(String(line[..<start])))
            }
        }
        return nil
    }

    public func contains(_ text: String) -> Bool { find(text) != nil }

    /// The styles used along `row` from `col` for `width` columns (distinct, in order).
    public func styles(row: Int, col: Int = 0, width: Int? = nil) -> [Style] {
        let end = min(size.cols, col + (width ?? size.cols))
        var seen: [Style] = []
        for c in max(0, col)..<max(max(0, col), end) where seen.last != cells[row][c].style {
            seen.append(cells[row][c].style)
        }
        return seen
    }

    // MARK: Cell model

    private func write(_ cell: TextCell, row: Int, col: Int, style: Style) {
        breakWideCharacter(row: row, col: col)
        if cell.width == 2 { breakWideCharacter(row: row, col: col + 1) }
        cells[row][col] = Cell(text: cell.text, style: style, isContinuation: false)
        if cell.width == 2 {
            cells[row][col + 1] = Cell(text: "", style: style, isContinuation: true)
        }
    }

    /// Overwriting either half of a wide character destroys it, as on a real terminal:
    /// the other half becomes a blank.
    private func breakWideCharacter(row: Int, col: Int) {
        guard col >= 0, col < size.cols else { return }
        let old = cells[row][col]
        if old.isContinuation, col > 0 {
            cells[row][col - 1] = Cell(text: " ", style: cells[row][col - 1].style, isContinuation: false)
            cells[row][col] = Cell(text: " ", style: old.style, isContinuation: false)
        } else if col + 1 < size.cols, cells[row][col + 1].isContinuation {
            cells[row][col + 1] = Cell(text: " ", style: cells[row][col + 1].style, isContinuation: false)
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self[...]
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
