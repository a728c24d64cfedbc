import Testing
@testable import GatehouseDashboard

@Suite("Glyphs")
struct GlyphsTests {
    static func all(_ g: Glyphs) -> [String] {
        [g.allowed, g.denied, g.held, g.approved, g.rateLimited, g.timedOut, g.cancelled, g.errored,
         g.warning, g.killSwitch, g.live, g.idle, g.pointer, g.arrowUp, g.arrowDown, g.arrowLeft,
         g.arrowRight, g.ellipsis, g.horizontal, g.vertical, g.topLeft, g.topRight, g.bottomLeft,
         g.bottomRight, g.teeLeft, g.teeRight] + g.eighths
    }

    @Test(arguments: [Glyphs.unicode, Glyphs.ascii])
    func everyGlyphIsOneColumn(_ g: Glyphs) {
        for s in Self.all(g) { #expect(TerminalText.width(s) == 1, "\(s)") }
        #expect(g.eighths.count == 9)
    }

    @Test func asciiSetIsPureASCII() {
        for s in Self.all(.ascii) { #expect(s.allSatisfy { $0.isASCII }, "\(s)") }
    }

    @Test(arguments: [Glyphs.unicode, Glyphs.ascii])
    func outcomesAreDistinguishableWithoutColour(_ g: Glyphs) {
        let outcomes = [g.allowed, g.denied, g.held, g.approved, g.rateLimited, g.timedOut, g.cancelled, g.errored]
        #expect(Set(outcomes).count == outcomes.count)
    }

    @Test func selectionByLocale() {
        #expect(Glyphs.forTerminal(utf8: true) == .unicode)
        #expect(Glyphs.forTerminal(utf8: false) == .ascii)
    }

    @Test func barsAreExactlyTheirWidth() {
        let g = Glyphs.unicode
        #expect(g.bar(fraction: 0, width: 4) == "    ")
        #expect(g.bar(fraction: 1, width: 4) == "████")
        #expect(g.bar(fraction: 0.5, width: 4) == "██  ")
        #expect(g.bar(fraction: 0.625, width: 4) == "██▌ ")  // 20 of 32 eighths
        #expect(g.bar(fraction: 0.5625, width: 4) == "██▎ ")  // 18 of 32
        #expect(g.bar(fraction: 7, width: 3) == "███")
        #expect(g.bar(fraction: .nan, width: 3) == "   ")
        for f in stride(from: 0.0, through: 1.0, by: 0.01) {
            #expect(TerminalText.width(g.bar(fraction: f, width: 10)) == 10)
            #expect(TerminalText.width(Glyphs.ascii.bar(fraction: f, width: 7)) == 7)
        }
    }
}
