import Testing
@testable import GatehouseDashboard

@Suite("Theme fitted to a terminal")
struct TerminalPaletteTests {
    func theme(_ explicit: [Style: StyleSpec]) -> Theme { Theme(name: "t", explicit: explicit) }

    @Test func trueColourIsExact() {
        let t = theme([.denied: StyleSpec(foreground: .rgb(RGB(0xff, 0x5f, 0x5f)), background: .ansi(3)),
                       .held: StyleSpec(foreground: .ansi(9)), .dim: StyleSpec(foreground: .indexed(244))])
        let p = TerminalPalette(theme: t, depth: .trueColor)
        #expect(p[.denied].foreground == 0xff5f5f)
        #expect(p[.denied].background == 3)               // basic ANSI stays an ANSI number
        #expect(p[.held].foreground == 0xff0000)          // bright ANSI becomes its xterm RGB
        #expect(p[.dim].foreground == 0x808080)
        #expect(p[.normal] == .plain)
    }

    @Test func palette256UsesNearestIndex() {
        let t = theme([.selected: StyleSpec(foreground: .rgb(RGB(255, 255, 255)), background: .rgb(RGB(0, 0x5f, 0x87)))])
        let p = TerminalPalette(theme: t, depth: .palette256)
        #expect(p[.selected].foreground == 231)
        #expect(p[.selected].background == 24)
    }

    @Test func sixteenColoursGoByHue() {
        let t = theme([.allowed: StyleSpec(foreground: .rgb(RGB(0x5f, 0xd7, 0x5f))),
                       .denied: StyleSpec(foreground: .rgb(RGB(0xff, 0x5f, 0x5f)), attributes: .bold)])
        let p = TerminalPalette(theme: t, depth: .ansi16)
        #expect(p[.allowed].foreground == 2)
        #expect(p[.denied].foreground == 9)
        #expect(p[.denied].attributes == .bold)
    }

    @Test func eightColoursFoldBrightIntoBold() {
        let t = theme([.held: StyleSpec(foreground: .ansi(11)), .match: StyleSpec(background: .ansi(11)),
                       .denied: StyleSpec(foreground: .rgb(RGB(0xff, 0x5f, 0x5f)))])
        let p = TerminalPalette(theme: t, depth: .ansi8)
        #expect(p[.held] == ResolvedStyle(foreground: 3, background: -1, attributes: .bold))
        #expect(p[.match].background == 3)
        #expect(p[.denied] == ResolvedStyle(foreground: 1, background: -1, attributes: []))
    }

    @Test func backgroundThatWouldVanishBecomesReverse() {
        // #262626 is "almost black": at 16 colours it is black, which may be exactly the
        // terminal's own background. Reverse video is the safe way to keep it visible.
        let t = theme([.selectedInactive: StyleSpec(foreground: .rgb(RGB(0xd0, 0xd0, 0xd0)), background: .rgb(RGB(0x26, 0x26, 0x26)))])
        let p16 = TerminalPalette(theme: t, depth: .ansi16)
        #expect(p16[.selectedInactive] == ResolvedStyle(foreground: -1, background: -1, attributes: .reverse))
        // At 256 colours the dark grey exists, so it is used.
        #expect(TerminalPalette(theme: t, depth: .palette256)[.selectedInactive].background == 235)
    }

    @Test func backgroundEqualToNormalsAfterDegradingBecomesReverse() {
        let t = theme([.normal: StyleSpec(foreground: .ansi(15), background: .ansi(4)),
                       .selected: StyleSpec(background: .rgb(RGB(0, 0, 0xd7)), attributes: .bold)])
        let p = TerminalPalette(theme: t, depth: .ansi16)
        #expect(p[.selected] == ResolvedStyle(foreground: 15, background: 4, attributes: [.bold, .reverse]))
    }

    @Test func foregroundThatWouldVanishBecomesTheTerminals() {
        let t = theme([.border: StyleSpec(foreground: .rgb(RGB(0x3a, 0x3a, 0x3a))),     // black at 16
                       .title: StyleSpec(foreground: .rgb(RGB(0xf8, 0xf8, 0xf8))),      // bright white
                       .prompt: StyleSpec(foreground: .ansi(0)),                        // named: kept
                       .match: StyleSpec(foreground: .rgb(RGB(0xff, 0xd7, 0x00)), background: .ansi(3))])
        let p = TerminalPalette(theme: t, depth: .ansi16)
        #expect(p[.border].foreground == -1)
        #expect(p[.title].foreground == -1)
        #expect(p[.prompt].foreground == 0)
        #expect(p[.match].foreground == -1)  // yellow on yellow
    }

    @Test func noColourKeepsAttributesAndMarksBackgrounds() {
        let t = theme([.selected: StyleSpec(foreground: .ansi(15), background: .ansi(4), attributes: .bold),
                       .denied: StyleSpec(foreground: .ansi(9), attributes: .underline),
                       .held: StyleSpec(foreground: .ansi(11)),                          // colour only
                       .allowed: StyleSpec()])
        let p = TerminalPalette(theme: t, depth: .noColor)
        #expect(p[.selected] == ResolvedStyle(foreground: -1, background: -1, attributes: [.bold, .reverse]))
        #expect(p[.denied] == ResolvedStyle(foreground: -1, background: -1, attributes: .underline))
        // Told apart by colour alone: borrows the monochrome theme's look.
        #expect(p[.held].attributes == Theme.monochrome[.held].attributes)
        #expect(!p[.held].attributes.isEmpty)
        #expect(p[.allowed] == .plain)
    }

    @Test func everyRoleResolvesAtEveryDepth() {
        for depth in ColorDepth.allCases {
            let p = TerminalPalette(theme: .default, depth: depth)
            for style in Style.allCases {
                let r = p[style]
                if depth == .noColor { #expect(r.foreground == -1 && r.background == -1) }
                if depth == .ansi8 { #expect(r.foreground < 8 && r.background < 8) }
                if depth == .ansi16 { #expect(r.foreground < 16 && r.background < 16) }
                if depth == .palette256 { #expect(r.foreground < 256 && r.background < 256) }
            }
        }
    }
}
