/// Viewport arithmetic shared by the model (moves, pages) and the views (drawing).
public enum ListWindow {
    /// The first row to draw so that `selected` appears on screen row `row` where possible,
    /// without blank rows at the bottom while there are rows above to show.
    public static func top(count: Int, selected: Int?, row: Int, rows: Int) -> Int {
        guard rows > 0, count > rows, let selected else { return 0 }
        let r = min(max(0, row), rows - 1, selected)
        return min(selected - r, count - rows)
    }
}
