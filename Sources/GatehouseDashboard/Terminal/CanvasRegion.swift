/// A window into part of another canvas: translates coordinates and clips to its rect.
/// Panels get one each, so a long line in one panel can never paint over its neighbour.
final class CanvasRegion: Canvas {
    private let parent: Canvas
    private let rect: Rect  // in the parent's coordinates, may extend past it

    init(parent: Canvas, rect: Rect) {
        self.parent = parent
        self.rect = rect
    }

    /// The rect's size, less whatever hangs past the parent's bottom or right edge, so a
    /// view laying itself out by `size` does not plan for cells that cannot be seen.
    var size: Size {
        let p = parent.size
        return Size(rows: min(rect.rows, p.rows - rect.row), cols: min(rect.cols, p.cols - rect.col))
    }

    var glyphs: Glyphs { parent.glyphs }

    @discardableResult
    func put(row: Int, col: Int, text: String, style: Style) -> Int {
        let cells = TerminalText.cells(text)
        let end = col + cells.reduce(0) { $0 + $1.width }
        guard row >= 0, row < rect.rows else { return end }
        let placed = TerminalText.clip(cells, from: col, limit: rect.cols)
        guard let first = placed.first else { return end }
        // Handing already-sanitised cells back as a string is only lossless when no two of
        // them can merge into one grapheme again; ASCII never does, so batch that case.
        if placed.allSatisfy({ $0.cell.text.utf8.count == 1 }) {
            parent.put(row: rect.row + row, col: rect.col + first.col,
                       text: placed.map(\.cell.text).joined(), style: style)
        } else {
            for p in placed {
                parent.put(row: rect.row + row, col: rect.col + p.col, text: p.cell.text, style: style)
            }
        }
        return end
    }

    func fill(_ area: Rect, with character: Character, style: Style) {
        let local = area.intersection(Rect(row: 0, col: 0, rows: rect.rows, cols: rect.cols))
        guard !local.isEmpty else { return }
        parent.fill(Rect(row: rect.row + local.row, col: rect.col + local.col, rows: local.rows, cols: local.cols),
                    with: character, style: style)
    }

    func placeCursor(row: Int, col: Int) {
        guard row >= 0, row < rect.rows, col >= 0, col < rect.cols else { return }
        parent.placeCursor(row: rect.row + row, col: rect.col + col)
    }
}
