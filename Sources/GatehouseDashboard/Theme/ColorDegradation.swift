/// Mapping colours down to what a terminal has. Pure functions, so they are tested directly.
///
/// - To 256 colours: the nearest palette entry by "redmean" weighted RGB distance: cheap,
///   and much closer to how far apart colours look than plain Euclidean RGB.
/// - To 16 or 8 colours: hue first. The ANSI set is so sparse that the nearest colour by
///   distance to a light red or light green is often grey, and a status colour that
///   turns grey has lost its meaning. So a colour with little chroma becomes the nearest
///   grey, and any other the ANSI colour of its hue family (red, yellow, green, cyan,
///   blue, magenta), normal or bright by distance.
public enum ColorDegradation {
    /// xterm's default RGB for the 16 ANSI colours; terminals differ a little, which is
    /// fine for choosing the nearest one.
    public static let ansiRGB: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    private static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of xterm-256 index `i` (0-15 per `ansiRGB`, a 6x6x6 cube, a grey ramp).
    public static func rgb(ofIndex i: Int) -> RGB {
        switch i {
        case ..<0: return ansiRGB[0]
        case 0..<16: return ansiRGB[i]
        case 16..<232:
            let n = i - 16
            return RGB(cubeLevels[n / 36], cubeLevels[(n / 6) % 6], cubeLevels[n % 6])
        default:
            let v = UInt8(8 + 10 * (min(i, 255) - 232))
            return RGB(v, v, v)
        }
    }

    /// Redmean distance, squared (only compared, never shown).
    public static func distance(_ a: RGB, _ b: RGB) -> Int {
        let rMean = (Int(a.r) + Int(b.r)) / 2
        let dr = Int(a.r) - Int(b.r), dg = Int(a.g) - Int(b.g), db = Int(a.b) - Int(b.b)
        // Parenthesised with care: in Swift `>>` binds tighter than `*`.
        return (((512 + rMean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rMean) * db * db) >> 8)
    }

    /// Nearest xterm-256 index. Only 16-255 are candidates: those are the same on every
    /// 256-colour terminal, while 0-15 follow the user's palette.
    public static func nearestXterm256(_ c: RGB) -> Int {
        nearest(c, among: 16...255)
    }

    /// The ANSI colour (0-15) for `c`: the normal or bright colour of its hue, whichever
    /// is nearer; a grey goes to the nearest of black, grey, white and bright white.
    public static func nearestANSI16(_ c: RGB) -> Int {
        guard let hue = hueColor(c) else { return nearest(c, among: [0, 8, 7, 15]) }
        return nearest(c, among: [hue, hue + 8])
    }

    /// The basic ANSI colour (0-7) for `c`: the colour of its hue; greys become black or white.
    public static func nearestANSI8(_ c: RGB) -> Int {
        hueColor(c) ?? nearest(c, among: [0, 7])
    }

    /// ANSI 1-6 for the hue family of `c`, or nil for a grey (too little chroma, or too
    /// dark for any hue to show). Families are not equal slices of the HSV circle: cyan
    /// looks narrow and blue wide, and orange should split between red and yellow so that
    /// vermillion stays red and amber stays yellow.
    static func hueColor(_ c: RGB) -> Int? {
        let r = Int(c.r), g = Int(c.g), b = Int(c.b)
        let hi = max(r, g, b), lo = min(r, g, b), chroma = hi - lo
        guard chroma >= 48, hi >= 0x40 else { return nil }
        var hue: Double
        if hi == r {
            hue = 60 * Double(g - b) / Double(chroma)
        } else if hi == g {
            hue = 60 * (2 + Double(b - r) / Double(chroma))
        } else {
            hue = 60 * (4 + Double(r - g) / Double(chroma))
        }
        if hue < 0 { hue += 360 }
        switch hue {
        case 35..<75: return 3     // yellow
        case 75..<165: return 2    // green
        case 165..<195: return 6   // cyan
        case 195..<270: return 4   // blue
        case 270..<345: return 5   // magenta
        default: return 1          // red
        }
    }

    private static func nearest(_ c: RGB, among range: some Sequence<Int>) -> Int {
        var best = -1, bestDistance = Int.max
        for i in range {
            let d = distance(c, rgb(ofIndex: i))
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }
}
