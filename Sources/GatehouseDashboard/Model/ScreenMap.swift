/// What the last frame put where, reported by the views so that the model can page by
/// the real panel heights and turn mouse clicks into rows without knowing the layout.
public struct ScreenMap: Hashable, Sendable {
    public enum Target: Hashable, Sendable {
        case panel(Panel)
        case streamRow(CallKey)
        case pendingRow(CallKey)
        case toolRow(ToolKey)
        case counterRow(CounterRef)
    }

    public struct Region: Hashable, Sendable {
        public var rect: Rect
        public var target: Target
        /// For a list row: its row within the panel's viewport.
        public var listRow: Int?
        public init(_ rect: Rect, _ target: Target, listRow: Int? = nil) {
            self.rect = rect
            self.target = target
            self.listRow = listRow
        }
    }

    /// Rows first, then panels: `target(row:col:)` returns the first hit.
    public var regions: [Region] = []
    /// Visible list rows per panel (page size; where the cursor can sit).
    public var pageRows: [Panel: Int] = [:]
    public var detailRows = 10
    public var detailMaxScroll = 0
    public var helpMaxScroll = 0

    public init() {}

    public func rows(_ panel: Panel) -> Int { max(1, pageRows[panel] ?? 10) }

    public func region(row: Int, col: Int) -> Region? {
        regions.first { $0.rect.contains(row: row, col: col) }
    }
}
