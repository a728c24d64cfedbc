import Testing
@testable import GatehouseDashboard

/// The worked example for view authors: a framed, titled panel with styled lines, drawn
/// into a RecordingScreen at two sizes. Long, wide and emoji text never leaves the frame.
@Suite("Example: a framed panel at 80x24 and 40x10")
struct BoxExampleTests {
    static let lines: [(String, Style)] = [
        ("✓ read_file   /etc/hosts", .allowed),
        ("✗ delete_repo gatehouse/main — denied by policy rule 12", .denied),
        ("⏸ transfer    €1,250.00 to ACME Ltd, awaiting approval from an operator", .held),
        ("中文工具名称 搜索 文件 数据库 查询 结果 很长很长很长很长的参数列表", .normal),
        ("emoji 😀🚀🔥 in arguments 😀🚀🔥😀🚀🔥😀🚀🔥😀🚀🔥😀🚀🔥😀🚀🔥😀🚀🔥", .dim),
    ]

    /// Draws the example and returns the frame's interior.
    static func drawExample(on screen: RecordingScreen) -> Rect {
        screen.beginFrame()
        let frame = Rect(row: 1, col: 2, rows: screen.size.rows - 2, cols: screen.size.cols - 4)
        let inner = screen.drawBox(frame, title: "Live stream — gateway prod-east (3 agents)")
        let body = screen.region(inner)
        for (i, (text, style)) in lines.enumerated() {
            body.put(row: i, col: 1, text: text, style: style)
        }
        screen.endFrame()
        return inner
    }

    @Test(arguments: [(24, 80), (10, 40)])
    func panelStaysInsideItsFrame(rows: Int, cols: Int) {
        let screen = RecordingScreen(rows: rows, cols: cols)
        let inner = Self.drawExample(on: screen)
        let g = screen.glyphs
        let left = inner.col - 1, right = inner.right

        // The frame is intact on every row, whatever the content did.
        #expect(screen.rowText(1).hasPrefix("  " + g.topLeft + g.horizontal + " Live stream"))
        for r in inner.row..<inner.bottom {
            let row = Array(screen.rowText(r))
            #expect(String(row[left]) == g.vertical, "row \(r): \(screen.rowText(r))")
            #expect(String(row[row.count - 1 - (cols - 1 - right)]) == g.vertical, "row \(r)")
            #expect(screen.styleAt(row: r, col: left) == .border)
            #expect(screen.styleAt(row: r, col: right) == .border)
            // Every row is exactly the screen's width: nothing overflowed.
            #expect(TerminalText.width(screen.rowText(r)) == cols)
        }
        #expect(screen.rowText(inner.bottom).contains(g.bottomRight))

        // Styled lines start where they were put and keep their style.
        #expect(screen.styleAt(row: inner.row, col: inner.col + 1) == .allowed)
        #expect(screen.styleAt(row: inner.row + 1, col: inner.col + 1) == .denied)
        #expect(screen.styleAt(row: inner.row + 2, col: inner.col + 1) == .held)
    }

    @Test func wideTextIsClippedCleanlyAt40Columns() {
        let screen = RecordingScreen(rows: 10, cols: 40)
        let inner = Self.drawExample(on: screen)
        let cjkRow = screen.rowText(inner.row + 3)
        let emojiRow = screen.rowText(inner.row + 4)
        // Interior is 34 columns, text starts 1 in: 33 columns of it are visible, so 询
        // (columns 33-34 of the text) cannot fit and its visible half is a space.
        #expect(cjkRow.contains("中文工具名称 搜索 文件 数据库 查 " + screen.glyphs.vertical))
        #expect(!cjkRow.contains("询"))
        #expect(emojiRow.contains("emoji 😀🚀🔥 in arguments"))
        for row in [cjkRow, emojiRow] {
            #expect(TerminalText.width(row) == 40)
            #expect(row.hasSuffix(screen.glyphs.vertical + "  "))
        }
    }

    @Test func titleIsShortenedToFit() {
        let screen = RecordingScreen(rows: 10, cols: 40)
        _ = Self.drawExample(on: screen)
        let top = screen.rowText(1)
        // 36-column frame: 30 columns for the title between "┌─ " and " ─┐".
        #expect(top.contains("┌─ Live stream — gateway prod-ea… ─┐"))
        #expect(top.hasSuffix(screen.glyphs.topRight + "  "))
    }

    @Test func asciiTerminalGetsAsciiFrame() {
        let screen = RecordingScreen(rows: 10, cols: 40, utf8: false)
        _ = Self.drawExample(on: screen)
        #expect(screen.rowText(1).hasPrefix("  +- Live stream"))
        #expect(screen.dump().allSatisfy { $0.isASCII })
    }

    @Test func tinyBoxesDoNotCrash() {
        let screen = RecordingScreen(rows: 3, cols: 3)
        #expect(screen.drawBox(Rect(row: 0, col: 0, rows: 1, cols: 3)).isEmpty)
        let inner = screen.drawBox(Rect(row: 0, col: 0, rows: 3, cols: 3), title: "title")
        #expect(inner == Rect(row: 1, col: 1, rows: 1, cols: 1))
        #expect(screen.dump() == "┌─┐\n│ │\n└─┘")
    }
}
