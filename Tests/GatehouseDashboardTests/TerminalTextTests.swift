import Testing
@testable import GatehouseDashboard

@Suite("Terminal text: width, sanitising, fitting")
struct TerminalTextTests {
    @Test func asciiIsOneColumnEach() {
        #expect(TerminalText.width("read_file") == 9)
        #expect(TerminalText.width("") == 0)
    }

    @Test func cjkAndEmojiAreTwoColumns() {
        #expect(TerminalText.width("中文") == 4)
        #expect(TerminalText.width("😀") == 2)
        #expect(TerminalText.width("a中b") == 4)
    }

    @Test func combiningMarksStayWithTheirBase() {
        let cells = TerminalText.cells("e\u{0301}x")  // e + combining acute, as two scalars
        #expect(cells.count == 2)
        #expect(cells[0].text.unicodeScalars.count == 2)
        #expect(cells[0].width == 1)
        #expect(TerminalText.width("e\u{0301}") == 1)
    }

    @Test func controlCharactersCannotReachTheTerminal() {
        // An agent-supplied argument trying to clear the screen and retitle the terminal.
        let hostile = "ok\u{1B}[2J\u{1B}]0;pwned\u{07}\r\n\u{9B}31m"
        let cells = TerminalText.cells(hostile)
        #expect(!cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) } })
        #expect(cells.allSatisfy { $0.width == 1 })
        #expect(cells.filter { $0.text == TerminalText.replacement }.count == 5)  // ESC, ESC, BEL, CRLF, CSI
    }

    @Test func tabBecomesOneSpace() {
        #expect(TerminalText.cells("a\tb").map(\.text) == ["a", " ", "b"])
    }

    @Test func bidiOverridesAndZeroWidthCharactersAreMadeVisible() {
        // "Trojan Source": RLO makes "evil_tool" read differently; ZWSP hides inside a name.
        let cells = TerminalText.cells("read\u{202E}elif\u{200B}x")
        #expect(cells.map(\.text).filter { $0 == TerminalText.replacement }.count == 2)
        #expect(TerminalText.width("read\u{202E}elif\u{200B}x") == 11)
    }

    @Test func flagsBecomeTheirLetters() {
        #expect(TerminalText.cells("🇩🇪").map(\.text).joined() == "DE")
    }

    @Test func zwjSequenceKeepsOnlyItsFirstSpacingCharacter() {
        let family = "👨\u{200D}👩\u{200D}👧"
        let cells = TerminalText.cells(family)
        #expect(cells.count == 1)
        #expect(cells[0].width == 2)
        #expect(cells[0].text.unicodeScalars.first == "👨".unicodeScalars.first)
    }

    @Test func asciiOnlyKeepsWidths() {
        let cells = TerminalText.cells("a中✓", asciiOnly: true)
        #expect(cells.map(\.text) == ["a", "?", "?", "?"])
        #expect(cells.map(\.width) == [1, 1, 1, 1])
    }

    @Test func truncateByDisplayWidth() {
        #expect(TerminalText.truncate("read_file", toWidth: 20) == "read_file")
        #expect(TerminalText.truncate("read_file", toWidth: 6) == "read_…")
        #expect(TerminalText.truncate("read_file", toWidth: 6, ellipsis: "~") == "read_~")
        // A wide character that does not fit is not split; the gap is padded.
        let cut = TerminalText.truncate("ab中文字", toWidth: 6)
        #expect(TerminalText.width(cut) == 6)
        #expect(cut == "ab中 …")
        #expect(TerminalText.truncate("anything", toWidth: 0) == "")
    }

    @Test func fitPadsAndAligns() {
        #expect(TerminalText.fit("ab", toWidth: 5) == "ab   ")
        #expect(TerminalText.fit("ab", toWidth: 5, alignment: .right) == "   ab")
        #expect(TerminalText.fit("ab", toWidth: 5, alignment: .center) == " ab  ")
        #expect(TerminalText.fit("中文", toWidth: 5, alignment: .right) == " 中文")
        #expect(TerminalText.width(TerminalText.fit("中文字幕です", toWidth: 7)) == 7)
    }

    @Test func clipNeverSpillsPastEitherEdge() {
        let cells = TerminalText.cells("中文")
        // Starting one column left of the edge: the first character's right half shows as a space.
        let left = TerminalText.clip(cells, from: -1, limit: 10)
        #expect(left.map(\.col) == [0, 1])
        #expect(left.map(\.cell.text) == [" ", "文"])
        // Ending one column past the right edge.
        let right = TerminalText.clip(cells, from: 7, limit: 10)
        #expect(right.map(\.col) == [7, 9])
        #expect(right.map(\.cell.text) == ["中", " "])
        #expect(right.allSatisfy { $0.col + $0.cell.width <= 10 })
    }
}
