/// A 24-bit colour.
public struct RGB: Hashable, Sendable, CustomStringConvertible {
    public var r: UInt8, g: UInt8, b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r; self.g = g; self.b = b
    }

    /// Parses `#rrggbb` (the `#` is required, case-insensitive).
    public init?(hex: String) {
        guard hex.count == 7, hex.first == "#", let v = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        self.init(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
    }

    public var hex: String {
        func h(_ x: UInt8) -> String { let s = String(x, radix: 16); return s.count == 1 ? "0" + s : s }
        return "#" + h(r) + h(g) + h(b)
    }

    public var description: String { hex }
}

/// A colour as a theme names it, before it meets a terminal.
public enum ThemeColor: Hashable, Sendable, CustomStringConvertible {
    /// The terminal's own colour (or, for any role but `normal`, the `normal` role's).
    case `default`
    /// One of the 16 ANSI colours: 0-7 normal, 8-15 bright; their exact look is the
    /// terminal's palette, which is why they are a safe choice for any background.
    case ansi(Int)
    /// An xterm-256 palette index 16-255 (`0-15` given as numbers become `.ansi`).
    case indexed(Int)
    case rgb(RGB)

    public static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses `default`, an ANSI name, `bright-<name>`, `0`-`255` or `#rrggbb`.
    public init?(parsing word: String) {
        let w = word.lowercased()
        if w == "default" { self = .default; return }
        if let i = Self.ansiNames.firstIndex(of: w) { self = .ansi(i); return }
        if w.hasPrefix("bright-"), let i = Self.ansiNames.firstIndex(of: String(w.dropFirst(7))) {
            self = .ansi(i + 8); return
        }
        if w.first == "#" {
            guard let rgb = RGB(hex: w) else { return nil }
            self = .rgb(rgb); return
        }
        if let n = Int(w), (0...255).contains(n) {
            self = n < 16 ? .ansi(n) : .indexed(n); return
        }
        return nil
    }

    /// Every word `init(parsing:)` accepts apart from numbers and hex, for did-you-mean.
    public static var names: [String] {
        ["default"] + ansiNames + ansiNames.map { "bright-" + $0 }
    }

    public var description: String {
        switch self {
        case .default: "default"
        case .ansi(let i): i < 8 ? Self.ansiNames[i] : "bright-" + Self.ansiNames[i - 8]
        case .indexed(let i): String(i)
        case .rgb(let c): c.hex
        }
    }
}
