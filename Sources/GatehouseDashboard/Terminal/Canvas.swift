/// What a view draws on: a grid of cells addressed from (0, 0) at the top left.
///
/// Drawing is clipped: text may start left of column 0 or run past the right edge and
/// only the visible cells are drawn; rows outside `0..<size.rows` draw nothing. Text is
/// measured in terminal columns (see `TerminalText`), never in Characters.
///
/// Canvases are not thread-safe; like the terminal behind them they belong to the UI thread.
public protocol Canvas: AnyObject {
    var size: Size { get }

    /// The symbols this canvas can display (Unicode or the ASCII fallback).
    var glyphs: Glyphs { get }

    /// Draws `text` from (`row`, `col`) in `style`, clipped to the canvas.
    /// - Returns: the column just after the text as if it had not been clipped, so runs of
    ///   differently styled text can be chained: `col = canvas.put(..., col: col, ...)`.
    @discardableResult
    func put(row: Int, col: Int, text: String, style: Style) -> Int

    /// Fills `rect` (clipped) with `character` in `style`.
    func fill(_ rect: Rect, with character: Character, style: Style)

    /// Shows the text cursor at (`row`, `col`) when this frame ends (a prompt's caret).
    /// Without a call during a frame, the cursor stays hidden.
    func placeCursor(row: Int, col: Int)
}

extension Canvas {
    public var bounds: Rect { Rect(size) }

    /// Blanks `rect` in `style` (the style's background shows).
    public func fill(_ rect: Rect, style: Style = .normal) {
        fill(rect, with: " ", style: style)
    }

    /// Blanks one whole row, e.g. before drawing a status or selected line edge to edge.
    public func clearLine(_ row: Int, style: Style = .normal) {
        fill(Rect(row: row, col: 0, rows: 1, cols: size.cols), with: " ", style: style)
    }

    public func clear(style: Style = .normal) {
        fill(bounds, with: " ", style: style)
    }

    /// A canvas for the part of this one inside `rect`: coordinates are relative to
    /// `rect`, and drawing is clipped to it (and to this canvas).
    public func region(_ rect: Rect) -> Canvas {
        CanvasRegion(parent: self, rect: rect)
    }

    /// `fill` for canvases without a faster one: one `put` per row.
    func fillByRows(_ rect: Rect, with character: Character, style: Style) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let cw = max(1, TerminalText.width(character))
        var line = String(repeating: String(character), count: area.cols / cw)
        if area.cols % cw != 0 { line += " " }
        for r in area.row..<area.bottom {
            put(row: r, col: area.col, text: line, style: style)
        }
    }
}
