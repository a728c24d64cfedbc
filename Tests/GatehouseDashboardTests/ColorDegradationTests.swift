import Testing
@testable import GatehouseDashboard

@Suite("Colour degradation")
struct ColorDegradationTests {
    @Test func xtermPaletteValues() {
        #expect(ColorDegradation.rgb(ofIndex: 16) == RGB(0, 0, 0))
        #expect(ColorDegradation.rgb(ofIndex: 196) == RGB(255, 0, 0))
        #expect(ColorDegradation.rgb(ofIndex: 231) == RGB(255, 255, 255))
        #expect(ColorDegradation.rgb(ofIndex: 67) == RGB(95, 135, 175))
        #expect(ColorDegradation.rgb(ofIndex: 232) == RGB(8, 8, 8))
        #expect(ColorDegradation.rgb(ofIndex: 255) == RGB(238, 238, 238))
    }

    @Test func exactCubeAndGreyColoursMapToThemselves() {
        for i in 16...255 {
            #expect(ColorDegradation.nearestXterm256(ColorDegradation.rgb(ofIndex: i)) == i, "index \(i)")
        }
    }

    @Test func nearest256() {
        #expect(ColorDegradation.nearestXterm256(RGB(0, 0x5f, 0x87)) == 24)
        #expect(ColorDegradation.nearestXterm256(RGB(0xff, 0x5f, 0x5f)) == 203)
        #expect(ColorDegradation.nearestXterm256(RGB(250, 2, 3)) == 196)
        // Mid greys land on the grey ramp, not on a cube corner.
        #expect(ColorDegradation.nearestXterm256(RGB(0x3a, 0x3a, 0x3a)) == 237)
        #expect(ColorDegradation.nearestXterm256(RGB(0x80, 0x80, 0x80)) == 244)
        // 0-15 are never chosen: they follow the user's palette.
        #expect(ColorDegradation.nearestXterm256(RGB(0, 0, 0)) == 16)
    }

    @Test func nearestSixteen() {
        #expect(ColorDegradation.nearestANSI16(RGB(0xff, 0x5f, 0x5f)) == 9)   // bright red
        #expect(ColorDegradation.nearestANSI16(RGB(0xaf, 0, 0)) == 1)         // red
        #expect(ColorDegradation.nearestANSI16(RGB(0x5f, 0xd7, 0x5f)) == 2)   // light green: still green
        #expect(ColorDegradation.nearestANSI16(RGB(0x00, 0x87, 0x00)) == 2)   // green
        #expect(ColorDegradation.nearestANSI16(RGB(0xff, 0xd7, 0x5f)) == 11)  // bright yellow
        #expect(ColorDegradation.nearestANSI16(RGB(0x8a, 0x8a, 0x8a)) == 8)   // grey
        #expect(ColorDegradation.nearestANSI16(RGB(0x10, 0x10, 0x10)) == 0)
        #expect(ColorDegradation.nearestANSI16(RGB(0xfa, 0xfa, 0xfa)) == 15)
        #expect(ColorDegradation.nearestANSI16(RGB(0xd0, 0xd0, 0xd0)) == 7)
        #expect(ColorDegradation.nearestANSI16(RGB(0x56, 0xb4, 0xe9)) == 12)  // Okabe-Ito sky blue: bright blue
        #expect(ColorDegradation.nearestANSI16(RGB(0xe6, 0x9f, 0x00)) == 3)   // Okabe-Ito orange
        #expect(ColorDegradation.nearestANSI16(RGB(0xd5, 0x5e, 0x00)) == 1)   // Okabe-Ito vermillion
        #expect(ColorDegradation.nearestANSI16(RGB(0x00, 0x72, 0xb2)) == 12)  // Okabe-Ito blue
        #expect(ColorDegradation.nearestANSI16(RGB(0x00, 0x00, 0xaf)) == 4)   // dark blue
        #expect(ColorDegradation.nearestANSI16(RGB(0xcc, 0x79, 0xa7)) == 5)   // reddish purple: magenta
        #expect(ColorDegradation.nearestANSI16(RGB(0x20, 0x00, 0x00)) == 0)   // too dark for a hue
    }

    @Test func statusColoursNeverTurnGrey() {
        // The reason 16/8 colours go by hue: light reds and greens are nearer grey by distance.
        for hex in ["#ff5f5f", "#5fd75f", "#ffd75f", "#87d7af", "#ff8787", "#d787d7"] {
            let c = RGB(hex: hex)!
            #expect(![0, 7, 8, 15].contains(ColorDegradation.nearestANSI16(c)), "\(hex)")
            #expect(![0, 7].contains(ColorDegradation.nearestANSI8(c)), "\(hex)")
        }
    }

    @Test func exactAnsiColoursMapToThemselves() {
        for i in 0..<16 {
            #expect(ColorDegradation.nearestANSI16(ColorDegradation.ansiRGB[i]) == i, "ANSI \(i)")
        }
    }

    @Test func nearestEight() {
        #expect(ColorDegradation.nearestANSI8(RGB(0xff, 0x5f, 0x5f)) == 1)
        #expect(ColorDegradation.nearestANSI8(RGB(0x5f, 0xd7, 0x5f)) == 2)
        #expect(ColorDegradation.nearestANSI8(RGB(0xe0, 0xe0, 0xe0)) == 7)
        for i in 0..<256 {
            #expect((0...7).contains(ColorDegradation.nearestANSI8(ColorDegradation.rgb(ofIndex: i))))
        }
    }

    @Test func distanceIsSymmetricAndZeroOnlyForEqualColours() {
        let a = RGB(10, 200, 30), b = RGB(200, 10, 30)
        #expect(ColorDegradation.distance(a, b) == ColorDegradation.distance(b, a))
        #expect(ColorDegradation.distance(a, a) == 0)
        #expect(ColorDegradation.distance(a, b) > 0)
        // Green differences weigh more than blue ones of the same size.
        #expect(ColorDegradation.distance(RGB(0, 0, 0), RGB(0, 100, 0)) > ColorDegradation.distance(RGB(0, 0, 0), RGB(0, 0, 100)))
    }
}
