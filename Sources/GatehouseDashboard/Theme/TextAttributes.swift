/// Character attributes a theme may set; they survive every colour degradation, which is
/// what keeps NO_COLOR and monochrome terminals usable.
public struct TextAttributes: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let underline = TextAttributes(rawValue: 1 << 1)
    public static let reverse = TextAttributes(rawValue: 1 << 2)
    public static let dim = TextAttributes(rawValue: 1 << 3)
    public static let italic = TextAttributes(rawValue: 1 << 4)

    /// Names as written in theme files, in a fixed order.
    public static let named: [(name: String, value: TextAttributes)] = [
        ("bold", .bold), ("underline", .underline), ("reverse", .reverse), ("dim", .dim), ("italic", .italic),
    ]

    public init?(name: String) {
        guard let hit = Self.named.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = hit.value
    }

    public var description: String {
        Self.named.filter { contains($0.value) }.map(\.name).joined(separator: ", ")
    }
}
