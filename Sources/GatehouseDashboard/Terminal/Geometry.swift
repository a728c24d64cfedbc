/// A size in terminal cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var rows: Int
    public var cols: Int

    public init(rows: Int, cols: Int) {
        self.rows = max(0, rows)
        self.cols = max(0, cols)
    }

    public var description: String { "\(cols)x\(rows)" }
}

/// A rectangle of cells; `row`/`col` are the top-left corner. Empty when either extent is zero.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var row: Int
    public var col: Int
    public var rows: Int
    public var cols: Int

    public init(row: Int, col: Int, rows: Int, cols: Int) {
        self.row = row
        self.col = col
        self.rows = max(0, rows)
        self.cols = max(0, cols)
    }

    public init(_ size: Size) {
        self.init(row: 0, col: 0, rows: size.rows, cols: size.cols)
    }

    public var size: Size { Size(rows: rows, cols: cols) }
    public var isEmpty: Bool { rows == 0 || cols == 0 }
    public var bottom: Int { row + rows }   // one past the last row
    public var right: Int { col + cols }    // one past the last column

    public func contains(row r: Int, col c: Int) -> Bool {
        r >= row && r < bottom && c >= col && c < right
    }

    public func intersection(_ other: Rect) -> Rect {
        let top = max(row, other.row), left = max(col, other.col)
        let b = min(bottom, other.bottom), r = min(right, other.right)
        return Rect(row: top, col: left, rows: b - top, cols: r - left)
    }

    /// Shrinks every side by `by` cells (a frame's interior, a margin).
    public func inset(by n: Int) -> Rect {
        Rect(row: row + n, col: col + n, rows: rows - 2 * n, cols: cols - 2 * n)
    }

    /// A rectangle of at most `size`, centred in this one.
    public func centered(_ size: Size) -> Rect {
        let h = min(size.rows, rows), w = min(size.cols, cols)
        return Rect(row: row + (rows - h) / 2, col: col + (cols - w) / 2, rows: h, cols: w)
    }

    public var description: String { "(\(row),\(col) \(cols)x\(rows))" }
}
