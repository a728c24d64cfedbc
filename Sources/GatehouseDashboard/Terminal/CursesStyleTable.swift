import CNcurses

/// The curses side of a `TerminalPalette`: a colour pair and attribute word per role.
/// Pairs are allocated one per distinct (foreground, background), starting at 1; pair 0
/// stays the terminal's defaults.
struct CursesStyleTable {
    struct Entry {
        var attributes: attr_t
        var pair: Int16
    }

    private(set) var entries: [Style: Entry] = [:]

    /// Builds the table and initialises the pairs; call on the curses thread with colours started.
    init(palette: TerminalPalette, colorsAvailable: Bool) {
        var pairs: [Pair: Int16] = [Pair(fg: -1, bg: -1): 0]
        let maxPairs = Int(gh_color_pairs())
        for style in Style.allCases {
            let r = palette[style]
            var pair: Int16 = 0
            if colorsAvailable {
                let key = Pair(fg: Int32(r.foreground), bg: Int32(r.background))
                if let existing = pairs[key] {
                    pair = existing
                } else if pairs.count < min(maxPairs, Int(Int16.max)) {
                    pair = Int16(pairs.count)
                    if init_extended_pair(Int32(pair), key.fg, key.bg) == OK {
                        pairs[key] = pair
                    } else {
                        pair = 0  // colour out of range for this terminal: keep the attributes
                    }
                }
            }
            entries[style] = Entry(attributes: Self.attributes(r.attributes), pair: pair)
        }
    }

    subscript(style: Style) -> Entry { entries[style] ?? Entry(attributes: gh_attr_normal(), pair: 0) }

    static func attributes(_ a: TextAttributes) -> attr_t {
        var out = gh_attr_normal()
        if a.contains(.bold) { out |= gh_attr_bold() }
        if a.contains(.underline) { out |= gh_attr_underline() }
        if a.contains(.reverse) { out |= gh_attr_reverse() }
        if a.contains(.dim) { out |= gh_attr_dim() }
        if a.contains(.italic) { out |= gh_attr_italic() }
        return out
    }

    private struct Pair: Hashable {
        var fg: Int32
        var bg: Int32
    }
}
