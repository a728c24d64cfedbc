/// A tool key from the policy: an exact name, or a glob with `*` (any run of characters) and `?` (one).
///
/// Precedence, most specific first: an exact name; then the glob with the most literal
/// (non-wildcard) characters; then the one with fewer `*`; then the one written first.
public struct ToolPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let isGlob: Bool
    private let chars: [Character]

    public init(_ text: String) {
        self.text = text
        self.chars = Array(text)
        self.isGlob = text.contains("*") || text.contains("?")
    }

    public var description: String { text }

    /// Count of characters that are not wildcards; the main specificity measure.
    public var literalCount: Int { chars.filter { $0 != "*" && $0 != "?" }.count }
    public var starCount: Int { chars.filter { $0 == "*" }.count }

    public func matches(_ name: String) -> Bool {
        if !isGlob { return name == text }
        return Self.glob(chars[...], Array(name)[...])
    }

    // Iterative glob with single-star backtracking: linear in practice, no recursion blow-up.
    private static func glob(_ p: ArraySlice<Character>, _ s: ArraySlice<Character>) -> Bool {
        var pi = p.startIndex, si = s.startIndex
        var starP = -1, starS = -1
        while si < s.endIndex {
            if pi < p.endIndex, p[pi] == "?" || p[pi] == s[si] {
                pi += 1; si += 1
            } else if pi < p.endIndex, p[pi] == "*" {
                starP = pi; starS = si; pi += 1
            } else if starP >= 0 {
                pi = starP + 1; starS += 1; si = starS
            } else {
                return false
            }
        }
        while pi < p.endIndex, p[pi] == "*" { pi += 1 }
        return pi == p.endIndex
    }

    /// True when `self` should win over `other` for a name both match (ties: neither).
    public func isMoreSpecific(than other: ToolPattern) -> Bool {
        if isGlob != other.isGlob { return !isGlob }
        if literalCount != other.literalCount { return literalCount > other.literalCount }
        return starCount < other.starCount
    }
}
