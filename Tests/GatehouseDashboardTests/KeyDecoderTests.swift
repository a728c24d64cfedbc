import CNcurses
import Testing
@testable import GatehouseDashboard

@Suite("Curses key decoding")
struct KeyDecoderTests {
    func char(_ code: UInt32) -> Key? { CursesKeyDecoder.decode(code, isKeyCode: false) }
    func keyCode(_ code: Int32) -> Key? { CursesKeyDecoder.decode(UInt32(bitPattern: code), isKeyCode: true) }

    @Test func printableCharacters() {
        #expect(char(0x61) == .char("a"))
        #expect(char(0x41) == .char("A"))
        #expect(char(0x3F) == .char("?"))
        #expect(char(0x20) == .char(" "))
        #expect(char(0xE9) == .char("é"))
        #expect(char(0x4E2D) == .char("中"))
        #expect(char(0x1F600) == .char("😀"))
    }

    @Test func controlCharacters() {
        #expect(char(0x0D) == .enter)
        #expect(char(0x0A) == .enter)
        #expect(char(0x1B) == .escape)
        #expect(char(0x09) == .tab)
        #expect(char(0x7F) == .backspace)
        #expect(char(0x08) == .backspace)
        #expect(char(0x01) == .ctrl("A"))
        #expect(char(0x04) == .ctrl("D"))
        #expect(char(0x0C) == .ctrl("L"))
        #expect(char(0x00) == .ctrl("@"))
        #expect(char(0x1F) == .ctrl("_"))
        #expect(char(0x9B) == nil)        // C1 CSI is never a key
        #expect(char(0xD800) == nil)      // not a scalar
    }

    @Test func cursesKeyCodes() {
        #expect(keyCode(KEY_UP) == .up)
        #expect(keyCode(KEY_DOWN) == .down)
        #expect(keyCode(KEY_LEFT) == .left)
        #expect(keyCode(KEY_RIGHT) == .right)
        #expect(keyCode(KEY_PPAGE) == .pageUp)
        #expect(keyCode(KEY_NPAGE) == .pageDown)
        #expect(keyCode(KEY_HOME) == .home)
        #expect(keyCode(KEY_END) == .end)
        #expect(keyCode(KEY_ENTER) == .enter)
        #expect(keyCode(KEY_BACKSPACE) == .backspace)
        #expect(keyCode(KEY_DC) == .delete)
        #expect(keyCode(KEY_BTAB) == .backTab)
        #expect(keyCode(KEY_RESIZE) == .resize)
        #expect(keyCode(gh_key_f(1)) == .function(1))
        #expect(keyCode(gh_key_f(12)) == .function(12))
        #expect(keyCode(KEY_IC) == nil)
    }

    @Test func sgrMouseReports() {
        func m(_ body: String) -> Key? { CursesKeyDecoder.decodeSGRMouse(body) }
        #expect(m("0;11;6M") == .mouse(row: 5, col: 10, button: .left))
        #expect(m("1;1;1M") == .mouse(row: 0, col: 0, button: .middle))
        #expect(m("2;300;90M") == .mouse(row: 89, col: 299, button: .right))  // no 223-column limit
        #expect(m("64;3;2M") == .mouse(row: 1, col: 2, button: .wheelUp))
        #expect(m("65;3;2M") == .mouse(row: 1, col: 2, button: .wheelDown))
        #expect(m("16;4;4M") == .mouse(row: 3, col: 3, button: .left))       // with Ctrl held
        #expect(m("0;11;6m") == nil)   // release
        #expect(m("32;8;8M") == nil)   // drag
        #expect(m("35;9;9M") == nil)   // motion, no button
        #expect(m("3;1;1M") == nil)
        #expect(m("0;0;5M") == nil)    // coordinates are 1-based
        #expect(m("0;5M") == nil)
        #expect(m("x;1;1M") == nil)
        #expect(m("0;1;1") == nil)
    }

    @Test func labels() {
        #expect(Key.char(" ").label() == "Space")
        #expect(Key.ctrl("A").label() == "^A")
        #expect(Key.up.label(.unicode) == "↑")
        #expect(Key.up.label(.ascii) == "^")
        #expect(Key.backTab.label() == "S-Tab")
        #expect(Key.function(1).label() == "F1")
    }
}
