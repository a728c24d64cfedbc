/// One column of a table: how narrow it may get, how wide it would like to be, and who
/// gets spare room first. Exactly one column of a set should stretch (take the rest).
public struct ColumnSpec<ID: Hashable & Sendable>: Sendable {
    public var id: ID
    public var minWidth: Int
    public var preferred: Int
    /// Lower grows to its preferred width first.
    public var grow: Int
    public var alignment: TerminalText.Alignment
    public var stretch: Bool

    public init(_ id: ID, min: Int, preferred: Int? = nil, grow: Int = 5, align: TerminalText.Alignment = .left,
                stretch: Bool = false) {
        self.id = id
        self.minWidth = min
        self.preferred = Swift.max(min, preferred ?? min)
        self.grow = grow
        self.alignment = align
        self.stretch = stretch
    }
}

public struct PlacedColumn<ID: Hashable & Sendable>: Sendable {
    public var id: ID
    public var col: Int
    public var width: Int
    public var alignment: TerminalText.Alignment
}

/// Fits tables to the width at hand. A table offers variants, richest first (all columns,
/// then without the agent column, ...); the first whose minimum widths fit is used, and
/// spare room goes to columns in `grow` order up to their preferred width, then to the
/// stretching column. So a narrower terminal loses whole columns in a chosen order
/// instead of cutting every column to ribbons.
public enum ColumnLayout {
    public static let gap = 1

    public static func fit<ID>(variants: [[ColumnSpec<ID>]], width: Int) -> [PlacedColumn<ID>] {
        for v in variants {
            if let placed = fit(v, width: width) { return placed }
        }
        // Nothing fits: the last variant at its minimums, clipped by the panel.
        let last = variants.last ?? []
        return fit(last, width: last.reduce(0) { $0 + $1.minWidth + gap }) ?? []
    }

    /// Nil when the columns' minimum widths do not fit.
    public static func fit<ID>(_ specs: [ColumnSpec<ID>], width: Int) -> [PlacedColumn<ID>]? {
        var widths = specs.map(\.minWidth)
        var spare = width - widths.reduce(0, +) - gap * max(0, specs.count - 1)
        guard spare >= 0 else { return nil }
        for i in specs.indices.sorted(by: { specs[$0].grow < specs[$1].grow }) where spare > 0 {
            let add = min(spare, specs[i].preferred - widths[i])
            widths[i] += add
            spare -= add
        }
        if spare > 0, let s = specs.firstIndex(where: \.stretch) { widths[s] += spare }
        var x = 0
        return specs.indices.map { i in
            defer { x += widths[i] + gap }
            return PlacedColumn(id: specs[i].id, col: x, width: widths[i], alignment: specs[i].alignment)
        }
    }

    /// The widest of `texts` in columns, at least `floor`, at most `cap`.
    public static func contentWidth(_ texts: some Sequence<String>, floor: Int = 0, cap: Int) -> Int {
        var w = floor
        for t in texts where w < cap { w = max(w, TerminalText.width(t)) }
        return min(w, cap)
    }
}
