/// A mouse button or wheel direction.
public enum MouseButton: Hashable, Sendable {
    case left, middle, right, wheelUp, wheelDown
}

/// One keypress (or terminal event) decoded from the terminal.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character, as typed (shift already applied: `A`, `?`).
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    /// Control plus a letter or one of `@ [ \ ] ^ _`, stored upper-case: `.ctrl("A")`.
    case ctrl(Character)
    case function(Int)
    /// The terminal changed size; the next frame picks the new size up.
    case resize
    /// A button press or wheel step at a cell of the screen.
    case mouse(row: Int, col: Int, button: MouseButton)

    /// How help and hint lines name the key: `?`, `Space`, `^A`, `PgUp`, `↑`.
    public func label(_ glyphs: Glyphs = .unicode) -> String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .up: glyphs.arrowUp
        case .down: glyphs.arrowDown
        case .left: glyphs.arrowLeft
        case .right: glyphs.arrowRight
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "Bksp"
        case .delete: "Del"
        case .ctrl(let c): "^\(c)"
        case .function(let n): "F\(n)"
        case .resize: "resize"
        case .mouse: "mouse"
        }
    }

    /// Spelled out for logs and test failures: `up`, `ctrl-A`, `char(q)`.
    public var description: String {
        switch self {
        case .char(let c): "char(\(c))"
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .ctrl(let c): "ctrl-\(c)"
        case .mouse(let r, let c, let b): "mouse(\(b) at \(r),\(c))"
        default: label(.ascii).lowercased()
        }
    }
}
