import Testing
@testable import GatehouseDashboard

@Suite("Help overlay")
struct HelpOverlayTests {
    static let contexts = KeyContext.allCases

    /// The overlay lists every binding that works in the context, key and help text both,
    /// at 80x24, with nothing cut off.
    @Test(arguments: contexts)
    func containsEveryBindingAt80x24(_ context: KeyContext) {
        let screen = RecordingScreen(rows: 24, cols: 80)
        let rendered = HelpOverlay.draw(on: screen, context: context, readOnly: false)
        #expect(rendered.maxScroll == 0, "help for \(context) does not fit 80x24")
        let dump = screen.dump()
        for b in KeyMap.standard.bindings(in: context, readOnly: false) {
            let line = b.keyLabel(screen.glyphs)
            #expect(screen.contains(b.help), "\(context): help for \(b.action) missing\n\(dump)")
            let found = screen.find(b.help)
            // The keys sit on the same row, left of the help text.
            if let found {
                #expect(screen.rowText(found.row).contains(line + " "), "\(context): keys '\(line)' for \(b.action)")
                #expect(screen.styleAt(row: found.row, col: found.col) == .normal)
            }
        }
        #expect(screen.contains("Help: \(context.title)"))
    }

    @Test(arguments: contexts)
    func readOnlyLeavesDecisionsOutAndSaysSo(_ context: KeyContext) {
        let screen = RecordingScreen(rows: 24, cols: 80)
        HelpOverlay.draw(on: screen, context: context, readOnly: true)
        for b in KeyMap.standard.bindings where b.isDecision {
            #expect(!screen.contains(b.help), "\(context): \(b.help)")
        }
        #expect(screen.contains("read-only"))
    }

    @Test func panelHelpHasItsOwnSectionThenGlobal() {
        let lines = HelpOverlay.lines(keyMap: .standard, context: .pending, readOnly: false)
        let headings = lines.compactMap { if case .heading(let t) = $0 { t } else { nil } }
        #expect(headings == ["Pending approvals", "Everywhere"])
        let modal = HelpOverlay.lines(keyMap: .standard, context: .filterPrompt, readOnly: false)
        #expect(modal.compactMap { if case .heading(let t) = $0 { t } else { nil } } == ["Filter"])
    }

    @Test func scrollsWhenTheScreenIsTooSmall() {
        let screen = RecordingScreen(rows: 10, cols: 40)
        let first = HelpOverlay.draw(on: screen, context: .stream, readOnly: false)
        #expect(first.maxScroll > 0)
        #expect(screen.contains(screen.glyphs.arrowDown))
        #expect(screen.contains("move up"))          // the context's own keys come first
        #expect(!screen.contains("redraw the screen"))
        let last = RecordingScreen(rows: 10, cols: 40)
        HelpOverlay.draw(on: last, context: .stream, readOnly: false, scroll: 10_000)  // clamped
        #expect(last.contains("redraw the screen"))
        #expect(!last.contains("move up"))
        #expect(last.contains(last.glyphs.arrowUp))
        for r in 0..<10 { #expect(TerminalText.width(last.rowText(r)) == 40) }
    }

    @Test func splitPrefersSectionBoundaries() {
        let lines: [HelpOverlay.Line] = [.heading("A"), .entry(keys: "a", help: "x"), .blank,
                                         .heading("B"), .entry(keys: "b", help: "y"), .entry(keys: "c", help: "z")]
        let cols = HelpOverlay.split(lines, maxRows: 4)
        #expect(cols[0] == [.heading("A"), .entry(keys: "a", help: "x")])
        #expect(cols[1] == [.heading("B"), .entry(keys: "b", help: "y"), .entry(keys: "c", help: "z")])
    }

    @Test func splitWithinASectionNeverStrandsAHeading() {
        let lines: [HelpOverlay.Line] = [.entry(keys: "a", help: "1"), .entry(keys: "b", help: "2"),
                                         .heading("B"), .entry(keys: "c", help: "3"), .entry(keys: "d", help: "4")]
        let cols = HelpOverlay.split(lines, maxRows: 3)
        #expect(cols[0] == [.entry(keys: "a", help: "1"), .entry(keys: "b", help: "2")])
        #expect(cols[1].first == .heading("B"))
    }
}
