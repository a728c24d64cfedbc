/// Mapping colours down to what a terminal has. Pure functions, so they are tested directly.
///
/// Distance is the "redmean" weighted RGB distance: cheap, and much closer to how far
/// apart colours look than plain Euclidean RGB (green differences count most, and the
/// red/blue weights shift with how red the pair is).
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
        return ((512 + rMean) * dr * dr >> 8) + 4 * dg * dg + ((767 - rMean) * db * db >> 8)
    }

    /// Nearest xterm-256 index. Only 16-255 are candidates: those are the same on every
    /// 256-colour terminal, while 0-15 follow the user's palette.
    public static func nearestXterm256(_ c: RGB) -> Int {
        nearest(c, among: 16...255)
    }

    /// Nearest of the 16 ANSI colours (0-15).
    public static func nearestANSI16(_ c: RGB) -> Int {
        nearest(c, among: 0...15)
    }

    /// Nearest of the 8 basic ANSI colours (0-7).
    public static func nearestANSI8(_ c: RGB) -> Int {
        nearest(c, among: 0...7)
    }

    private static func nearest(_ c: RGB, among range: ClosedRange<Int>) -> Int {
        var best = range.lowerBound, bestDistance = Int.max
        for i in range {
            let d = distance(c, rgb(ofIndex: i))
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }
}
