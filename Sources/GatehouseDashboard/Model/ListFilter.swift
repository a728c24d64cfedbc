/// A filter as typed after `/`: words separated by spaces, each of which must appear
/// somewhere in a row (case-insensitive). `place btc` keeps rows that mention both.
public struct ListFilter: Hashable, Sendable {
    public let text: String
    public let terms: [String]

    public init(_ text: String = "") {
        self.text = text
        terms = text.lowercased().split(separator: " ").map(String.init)
    }

    public var isEmpty: Bool { terms.isEmpty }

    /// `haystack` must already be lower-case.
    public func matches(_ haystack: String) -> Bool {
        for t in terms where !haystack.contains(t) { return false }
        return true
    }

    public func matches(_ fields: String...) -> Bool {
        isEmpty || matches(fields.joined(separator: " ").lowercased())
    }
}
