import Testing
@testable import GatehouseDashboard

@Suite("RecordingScreen: clipping, wide characters, regions")
struct RecordingScreenTests {
    @Test func putDrawsTextAndStyle() {
        let s = RecordingScreen(rows: 3, cols: 10)
        let end = s.put(row: 1, col: 2, text: "deny", style: .denied)
        #expect(end == 6)
        #expect(s.rowText(1) == "  deny    ")
        #expect(s.styleAt(row: 1, col: 2) == .denied)
        #expect(s.styleAt(row: 1, col: 6) == .normal)
    }

    @Test func chainingRunsOfStyles() {
        let s = RecordingScreen(rows: 1, cols: 20)
        var col = s.put(row: 0, col: 0, text: "?", style: .keyHint)
        col = s.put(row: 0, col: col, text: " help", style: .keyHintLabel)
        #expect(col == 6)
        #expect(s.styles(row: 0, width: 6) == [.keyHint, .keyHintLabel])
    }

    @Test func clipsAtEveryEdge() {
        let s = RecordingScreen(rows: 2, cols: 5)
        s.put(row: 0, col: 3, text: "abcdef", style: .normal)
        s.put(row: 1, col: -2, text: "xyz", style: .normal)
        s.put(row: 2, col: 0, text: "below", style: .normal)
        s.put(row: -1, col: 0, text: "above", style: .normal)
        #expect(s.rowText(0) == "   ab")
        #expect(s.rowText(1) == "z    ")
        #expect(s.put(row: 0, col: 3, text: "abcdef", style: .normal) == 9)  // logical end, unclipped
    }

    @Test func wideCharacterAtTheRightEdgeBecomesASpace() {
        let s = RecordingScreen(rows: 1, cols: 5)
        s.put(row: 0, col: 0, text: "ab中文", style: .normal)
        #expect(s.rowText(0) == "ab中 ")
        #expect(TerminalText.width(s.rowText(0)) == 5)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        let s = RecordingScreen(rows: 1, cols: 6)
        s.put(row: 0, col: 0, text: "中文", style: .normal)
        s.put(row: 0, col: 1, text: "x", style: .dim)   // right half of 中
        #expect(s.rowText(0) == " x文  ")
        s.put(row: 0, col: 2, text: "y", style: .dim)   // left half of 文
        #expect(s.rowText(0) == " xy   ")
        #expect(TerminalText.width(s.rowText(0)) == 6)
    }

    @Test func fillAndClearLine() {
        let s = RecordingScreen(rows: 3, cols: 4)
        s.fill(Rect(row: 0, col: 1, rows: 2, cols: 9), with: "#", style: .border)
        #expect(s.dump() == " ###\n ###\n")
        s.clearLine(1, style: .selected)
        #expect(s.rowText(1) == "    ")
        #expect(s.styles(row: 1) == [.selected])
        // A wide fill character on an odd width leaves a space rather than half a glyph.
        s.fill(Rect(row: 2, col: 0, rows: 1, cols: 3), with: "中", style: .normal)
        #expect(s.rowText(2) == "中  ")  // 3 filled columns + the untouched 4th
    }

    @Test func beginFrameClearsAndEndFrameCounts() {
        let s = RecordingScreen(rows: 2, cols: 4)
        s.put(row: 0, col: 0, text: "old", style: .denied)
        s.beginFrame()
        #expect(s.dump() == "\n")
        s.placeCursor(row: 1, col: 2)
        s.endFrame()
        #expect(s.frameCount == 1)
        #expect(s.cursor?.row == 1 && s.cursor?.col == 2)
        s.beginFrame(); s.endFrame()
        #expect(s.cursor == nil)  // hidden unless placed again
    }

    @Test func regionTranslatesAndClips() {
        let s = RecordingScreen(rows: 4, cols: 12)
        let panel = s.region(Rect(row: 1, col: 2, rows: 2, cols: 5))
        #expect(panel.size == Size(rows: 2, cols: 5))
        panel.put(row: 0, col: 0, text: "abcdefgh", style: .normal)
        panel.put(row: 1, col: -1, text: "中文字", style: .normal)
        panel.put(row: 2, col: 0, text: "outside", style: .normal)
        #expect(s.rowText(1) == "  abcde     ")
        #expect(s.rowText(2) == "   文字     ")  // 中 lost its left half to the edge
        #expect(s.rowText(3) == String(repeating: " ", count: 12))
        panel.fill(Rect(row: -5, col: 3, rows: 50, cols: 50), with: "|", style: .border)
        #expect(s.rowText(0) == String(repeating: " ", count: 12))
        #expect(s.rowText(1) == "  abc||     ")
        panel.placeCursor(row: 1, col: 4)
        panel.placeCursor(row: 1, col: 5)  // outside: ignored
        s.endFrame()
        #expect(s.cursor?.row == 2 && s.cursor?.col == 6)
    }

    @Test func nestedRegionsAndRegionsHangingOffTheScreen() {
        let s = RecordingScreen(rows: 3, cols: 8)
        let outer = s.region(Rect(row: 0, col: 4, rows: 10, cols: 10))
        #expect(outer.size == Size(rows: 3, cols: 4))
        let inner = outer.region(Rect(row: 1, col: 1, rows: 1, cols: 2))
        inner.put(row: 0, col: 0, text: "xyz", style: .normal)
        #expect(s.rowText(1) == "     xy ")
    }

    @Test func nonUTF8ScreenShowsQuestionMarksAtTheRightWidth() {
        let s = RecordingScreen(rows: 1, cols: 8, utf8: false)
        s.put(row: 0, col: 0, text: "a中✓b", style: .normal)
        #expect(s.rowText(0) == "a???b   ")
        #expect(s.glyphs == .ascii)
    }

    @Test func findReportsDisplayColumns() {
        let s = RecordingScreen(rows: 2, cols: 10)
        s.put(row: 1, col: 0, text: "中x target", style: .normal)
        #expect(s.find("target")! == (1, 4))
        #expect(s.find("absent") == nil)
    }
}
