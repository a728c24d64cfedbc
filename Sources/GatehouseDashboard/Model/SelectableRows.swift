/// A list the cursor moves through: rows by index, found again by key.
protocol SelectableRows {
    associatedtype RowKey: Hashable
    var rowCount: Int { get }
    func rowKey(at index: Int) -> RowKey
    func rowIndex(of key: RowKey) -> Int?
}

extension Array: SelectableRows where Element: Hashable {
    var rowCount: Int { count }
    func rowKey(at index: Int) -> Element { self[index] }
    func rowIndex(of key: Element) -> Int? { firstIndex(of: key) }
}

/// The stream's visible calls as rows.
struct StreamRows: SelectableRows {
    let log: CallLog
    var rowCount: Int { log.visibleCount }
    func rowKey(at index: Int) -> CallKey { log.visible(at: index).key }
    func rowIndex(of key: CallKey) -> Int? { log.visibleIndex(of: key) }
}

extension ListCursor {
    /// The cursor moved by `delta` rows (clamped) by the operator, on a viewport of `page` rows.
    func moved<R: SelectableRows>(in rows: R, by delta: Int, page: Int) -> ListCursor where R.RowKey == Key {
        guard rows.rowCount > 0 else { return ListCursor() }
        let current = key.flatMap(rows.rowIndex) ?? min(lastIndex, rows.rowCount - 1)
        let target = Swift.min(Swift.max(0, current + delta), rows.rowCount - 1)
        var c = self
        c.key = rows.rowKey(at: target)
        c.lastIndex = target
        c.row = Swift.min(Swift.max(0, row + (target - current)), Swift.max(0, page - 1))
        c.autoSelectedAt = nil
        return c
    }

    /// The operator picked a row directly (a mouse click).
    func picked<R: SelectableRows>(_ k: Key, in rows: R, screenRow: Int) -> ListCursor where R.RowKey == Key {
        guard let i = rows.rowIndex(of: k) else { return self }
        var c = self
        c.key = k
        c.lastIndex = i
        c.row = screenRow
        c.autoSelectedAt = nil
        return c
    }

    /// The cursor after the rows changed: kept on its key when the row is still there,
    /// otherwise put on the row now at its old index (marked as moved by the dashboard).
    func normalized<R: SelectableRows>(in rows: R, now: Double) -> ListCursor where R.RowKey == Key {
        var c = self
        guard rows.rowCount > 0 else {
            c.key = nil
            c.lastIndex = 0
            return c
        }
        if let k = key, let i = rows.rowIndex(of: k) {
            c.lastIndex = i
            return c
        }
        let i = Swift.min(lastIndex, rows.rowCount - 1)
        c.key = rows.rowKey(at: i)
        c.lastIndex = i
        c.autoSelectedAt = now
        return c
    }
}
