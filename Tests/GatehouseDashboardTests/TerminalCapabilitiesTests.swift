import Testing
@testable import GatehouseDashboard

@Suite("Terminal capabilities")
struct TerminalCapabilitiesTests {
    func detect(_ env: [String: String], colors: Int = 256, direct: Bool = false,
                codeset: String = "UTF-8") -> TerminalCapabilities {
        TerminalCapabilities.detect(environment: env, terminfoColors: colors, terminfoDirectColor: direct, codeset: codeset)
    }

    @Test func depthFollowsTerminfo() {
        #expect(detect([:], colors: 256).colorDepth == .palette256)
        #expect(detect([:], colors: 88).colorDepth == .ansi16)
        #expect(detect([:], colors: 16).colorDepth == .ansi16)
        #expect(detect([:], colors: 8).colorDepth == .ansi8)
        #expect(detect([:], colors: -1).colorDepth == .noColor)
        #expect(detect([:], colors: 0x1000000).colorDepth == .trueColor)
        #expect(detect([:], colors: 256, direct: true).colorDepth == .trueColor)
    }

    @Test func noColorWinsWhenNonEmpty() {
        #expect(detect(["NO_COLOR": "1"]).colorDepth == .noColor)
        #expect(detect(["NO_COLOR": "anything", "COLORTERM": "truecolor"], colors: 0x1000000).colorDepth == .noColor)
        #expect(detect(["NO_COLOR": ""]).colorDepth == .palette256)  // empty means unset
    }

    @Test func dumbTerminalHasNoColour() {
        #expect(detect(["TERM": "dumb"], colors: 8).colorDepth == .noColor)
    }

    @Test func colortermIsHonouredOnlyAsFarAsTerminfoCanDraw() {
        let viaDirect = detect(["COLORTERM": "truecolor"], colors: 256, direct: true)
        #expect(viaDirect.colorDepth == .trueColor)
        #expect(!viaDirect.trueColorUnavailable)
        let via256 = detect(["COLORTERM": "24bit"], colors: 256)
        #expect(via256.colorDepth == .palette256)
        #expect(via256.trueColorUnavailable)
        #expect(!detect([:], colors: 256).trueColorUnavailable)
    }

    @Test func utf8FromCodeset() {
        #expect(detect([:], codeset: "UTF-8").utf8)
        #expect(detect([:], codeset: "utf8").utf8)
        #expect(!detect([:], codeset: "ANSI_X3.4-1968").utf8)
        #expect(!detect([:], codeset: "ISO-8859-1").utf8)
        #expect(detect([:], codeset: "UTF-8").glyphs == .unicode)
        #expect(detect([:], codeset: "ANSI_X3.4-1968").glyphs == .ascii)
    }
}
