/// How many colours the terminal can show, as far as the dashboard will use them.
public enum ColorDepth: Int, Comparable, CaseIterable, Sendable, CustomStringConvertible {
    /// Attributes only: NO_COLOR, TERM=dumb, or a terminal without colour.
    case noColor = 0
    case ansi8 = 8
    case ansi16 = 16
    case palette256 = 256
    /// 24-bit colour, drawn exactly.
    case trueColor = 16_777_216

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .noColor: "no colour"
        case .ansi8: "8 colours"
        case .ansi16: "16 colours"
        case .palette256: "256 colours"
        case .trueColor: "24-bit colour"
        }
    }
}
