import CNcurses

/// Maps what `wget_wch` returns to `Key`. Kept apart from `CursesScreen` as a pure
/// function so the mapping is unit-tested without a terminal.
enum CursesKeyDecoder {
    /// - Parameters:
    ///   - code: the value `wget_wch` stored.
    ///   - isKeyCode: true when `wget_wch` returned KEY_CODE_YES (a curses key code),
    ///     false for a character.
    /// - Returns: nil for codes the dashboard has no use for.
    static func decode(_ code: UInt32, isKeyCode: Bool) -> Key? {
        isKeyCode ? decodeKeyCode(Int32(bitPattern: code)) : decodeCharacter(code)
    }

    static func decodeCharacter(_ code: UInt32) -> Key? {
        switch code {
        case 0x0D, 0x0A: return .enter            // nonl(): Enter arrives as CR
        case 0x1B: return .escape
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace        // DEL from most terminals, ^H from some
        case 0x00: return .ctrl("@")
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(UInt8(0x40 + code))))
        case 0x1C...0x1F: return .ctrl(Character(Unicode.Scalar(UInt8(0x40 + code))))
        case 0x80..<0xA0: return nil              // C1 controls are never typed keys
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .char(Character(scalar))
        }
    }

    static func decodeKeyCode(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1, KEY_LL: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case gh_key_f(1)...gh_key_f(24): return .function(Int(code - gh_key_f(0)))
        default: return nil
        }
    }

    /// Decodes the body of an xterm SGR mouse report (mode 1006), the part after
    /// `ESC [ <`: `Cb;Cx;Cy` then `M` (press) or `m` (release). Only presses and wheel
    /// steps become keys; releases, drags and motion are dropped. Coordinates are 1-based
    /// on the wire and 0-based in `Key.mouse`.
    static func decodeSGRMouse(_ body: String) -> Key? {
        guard let final = body.last, final == "M" || final == "m" else { return nil }
        let fields = body.dropLast().split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        guard fields.count == 3, let code = fields[0], let x = fields[1], let y = fields[2], x >= 1, y >= 1 else {
            return nil
        }
        guard final == "M", code & 32 == 0 else { return nil }  // release, or motion/drag
        let button: MouseButton
        switch (code & 64 != 0, code & 3) {   // 4/8/16 are Shift/Meta/Ctrl: ignored
        case (true, 0): button = .wheelUp
        case (true, 1): button = .wheelDown
        case (false, 0): button = .left
        case (false, 1): button = .middle
        case (false, 2): button = .right
        default: return nil
        }
        return .mouse(row: y - 1, col: x - 1, button: button)
    }

    /// Terminal modes for button reports (1000) in SGR encoding (1006); SGR has no 223-column
    /// limit and says which button was released.
    static let mouseOn = "\u{1B}[?1000h\u{1B}[?1006h"
    static let mouseOff = "\u{1B}[?1006l\u{1B}[?1000l"
}
