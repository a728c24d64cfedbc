/// Where each part of the dashboard goes for a terminal size. Degrades step by step:
/// below `sidebarMinCols` the tools and counters leave the side and take turns with the
/// stream in the main area; below `minimum` only a "too small" notice is drawn.
public struct DashboardLayout: Hashable, Sendable {
    public static let minimum = Size(rows: 10, cols: 40)
    /// Wide enough for a useful stream next to a tools/counters column.
    public static let sidebarMinCols = 110

    public var size: Size
    public var tooSmall: Bool
    public var header: Rect
    /// One row per alert (kill switch, lost gateway, stopped upstream, rejected policy).
    public var alerts: Rect
    public var pending: Rect?
    public var main: Rect
    /// What the main area shows (the stream unless a sidebar panel has taken it).
    public var mainPanel: Panel
    public var tools: Rect?
    public var counters: Rect?
    public var status: Rect
    public var hints: Rect

    public static func compute(size: Size, state: DashboardState, alertCount: Int) -> DashboardLayout {
        let empty = Rect(row: 0, col: 0, rows: 0, cols: 0)
        var l = DashboardLayout(size: size, tooSmall: false, header: empty, alerts: empty, pending: nil, main: empty,
                                mainPanel: .stream, tools: nil, counters: nil, status: empty, hints: empty)
        guard size.rows >= minimum.rows, size.cols >= minimum.cols else {
            l.tooSmall = true
            return l
        }
        let cols = size.cols
        l.header = Rect(row: 0, col: 0, rows: 1, cols: cols)
        // Alerts get at most a sixth of the screen; a kill switch always gets its line.
        let alertRows = min(alertCount, max(1, size.rows / 6))
        l.alerts = Rect(row: 1, col: 0, rows: alertRows, cols: cols)
        l.hints = Rect(row: size.rows - 1, col: 0, rows: 1, cols: cols)
        l.status = Rect(row: size.rows - 2, col: 0, rows: 1, cols: cols)
        var top = 1 + alertRows
        var bodyRows = size.rows - 2 - top

        let pendingCount = state.pendingRows.count
        if pendingCount > 0 || state.focus == .pending {
            // Up to a third of the body, at least one row of calls, and never all of it.
            let wanted = max(1, pendingCount) + 2
            let rows = min(wanted, max(3, bodyRows / 3), max(0, bodyRows - 4))
            if rows >= 3 {
                l.pending = Rect(row: top, col: 0, rows: rows, cols: cols)
                top += rows
                bodyRows -= rows
            }
        }

        let sidebar = cols >= sidebarMinCols && bodyRows >= 8
        if sidebar {
            let sideCols = min(60, max(52, cols * 2 / 5))
            l.main = Rect(row: top, col: 0, rows: bodyRows, cols: cols - sideCols)
            let toolsRows = max(3, bodyRows / 2)
            l.tools = Rect(row: top, col: cols - sideCols, rows: toolsRows, cols: sideCols)
            l.counters = Rect(row: top + toolsRows, col: cols - sideCols, rows: bodyRows - toolsRows, cols: sideCols)
            l.mainPanel = .stream
        } else {
            l.main = Rect(row: top, col: 0, rows: bodyRows, cols: cols)
            l.mainPanel = state.focus == .tools || state.focus == .counters ? state.focus : .stream
        }
        return l
    }
}
