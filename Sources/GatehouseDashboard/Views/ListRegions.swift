/// Records the rows a list panel drew, for clicks and paging.
struct ListRegions {
    static func panel(_ map: inout ScreenMap, _ panel: Panel, rect: Rect, inner: Rect) {
        map.regions.append(ScreenMap.Region(rect, .panel(panel)))
        map.pageRows[panel] = max(1, inner.rows)
    }

    static func row(_ map: inout ScreenMap, _ target: ScreenMap.Target, inner: Rect, listRow: Int) {
        map.regions.insert(ScreenMap.Region(Rect(row: inner.row + listRow, col: inner.col, rows: 1, cols: inner.cols), target,
                                            listRow: listRow), at: 0)
    }
}
