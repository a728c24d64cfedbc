/// The exact value of a number written in JSON's grammar, for comparisons a `Double` would round.
///
/// Why: `9007199254740993` and `9007199254740992` are the same `Double`, so an allow-list of
/// account ids or a `gt 1000` threshold checked through `Double` could pass a value the upstream
/// reads differently. Comparing decimal digits keeps the gateway's view and the upstream's the same.
struct ExactDecimal: Hashable, Comparable, Sendable {
    /// False for zero, so `-0` equals `0`.
    let negative: Bool
    /// Significant digits (0...9) without leading or trailing zeros; empty for zero.
    let digits: [UInt8]
    /// The value is `0.d₁d₂d₃… × 10^exponent`.
    let exponent: Int

    /// Exponents beyond this are clamped; no policy compares numbers that large or small.
    private static let exponentLimit = 1_000_000_000

    /// Parses strict JSON number text (`-12.5e3`); nil for anything else (`+1`, `.5`, `0x10`, `1_000`).
    init?(_ text: some StringProtocol) {
        var it = text.utf8.makeIterator()
        var c = it.next()
        var negative = false
        if c == UInt8(ascii: "-") { negative = true; c = it.next() }
        var all: [UInt8] = []
        var intCount = 0
        // Integer part: 0, or a non-zero digit followed by digits.
        guard let first = c, Self.isDigit(first) else { return nil }
        if first == UInt8(ascii: "0") {
            all.append(0); intCount = 1; c = it.next()
            if let d = c, Self.isDigit(d) { return nil }
        } else {
            while let d = c, Self.isDigit(d) { all.append(d - 48); intCount += 1; c = it.next() }
        }
        if c == UInt8(ascii: ".") {
            c = it.next()
            guard let d = c, Self.isDigit(d) else { return nil }
            while let d = c, Self.isDigit(d) { all.append(d - 48); c = it.next() }
        }
        var exp = 0
        if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            c = it.next()
            var expNegative = false
            if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { expNegative = c == UInt8(ascii: "-"); c = it.next() }
            guard let d = c, Self.isDigit(d) else { return nil }
            while let d = c, Self.isDigit(d) {
                exp = Swift.min(Self.exponentLimit, exp * 10 + Int(d - 48))
                c = it.next()
            }
            if expNegative { exp = -exp }
        }
        guard c == nil else { return nil }
        // Normalise: drop leading zeros (moving the point) and trailing zeros.
        var start = 0
        while start < all.count, all[start] == 0 { start += 1 }
        var end = all.count
        while end > start, all[end - 1] == 0 { end -= 1 }
        if start == end {
            self.negative = false
            self.digits = []
            self.exponent = 0
        } else {
            self.negative = negative
            self.digits = Array(all[start..<end])
            self.exponent = intCount - start + exp
        }
    }

    var isZero: Bool { digits.isEmpty }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        if a.negative != b.negative { return a.negative }
        let magnitude = compareMagnitude(a, b)
        return a.negative ? magnitude > 0 : magnitude < 0
    }

    /// -1, 0 or 1 as |a| is less than, equal to or greater than |b|.
    private static func compareMagnitude(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.isZero || b.isZero { return a.isZero ? (b.isZero ? 0 : -1) : 1 }
        if a.exponent != b.exponent { return a.exponent < b.exponent ? -1 : 1 }
        for (x, y) in zip(a.digits, b.digits) where x != y { return x < y ? -1 : 1 }
        return a.digits.count == b.digits.count ? 0 : (a.digits.count < b.digits.count ? -1 : 1)
    }
}
