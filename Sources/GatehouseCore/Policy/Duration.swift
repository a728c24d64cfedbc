import Foundation

/// Parses the durations policies use: `90` (seconds), `"90s"`, `"2m"`, `"1h30m"`, `"1d"`, and window names.
public enum DurationText {
    public static let units: [(suffix: Character, seconds: Double)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]

    /// Seconds for a text like `2m` or `1h30m`; nil when it is not one.
    /// Numbers are plain decimals (`90`, `1.5`): no signs, exponents or hex, which `Double("0x10")` would take.
    public static func seconds(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let v = decimal(Substring(t)) { return v }
        var total = 0.0
        var start = t.startIndex
        var sawUnit = false
        for i in t.indices {
            let c = t[i]
            if c.isASCII, c.isNumber || c == "." { continue }
            guard let unit = units.first(where: { $0.suffix == c }) else { return nil }
            guard let v = decimal(t[start..<i]) else { return nil }
            total += v * unit.seconds
            start = t.index(after: i)
            sawUnit = true
        }
        guard start == t.endIndex, sawUnit, total.isFinite else { return nil }
        return total
    }

    /// `90` or `1.5`, nothing else.
    private static func decimal(_ s: Substring) -> Double? {
        guard !s.isEmpty, s.first != ".", s.last != ".", s.filter({ $0 == "." }).count <= 1,
              s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return nil }
        guard let v = Double(s), v.isFinite else { return nil }
        return v
    }

    /// `120` → "2m", `5400` → "1h30m", `90.5` → "1m30.5s": the shortest exact spelling.
    public static func format(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0s" }
        // Beyond this an Int conversion would trap; nobody reads such a duration as units anyway.
        guard seconds < 1e15 else { return "\(seconds)s" }
        let whole = seconds.rounded(.down)
        let fraction = seconds - whole
        var s = Int(whole)
        var out = ""
        for (suffix, size) in [("d", 86400), ("h", 3600), ("m", 60)] where s >= size {
            out += "\(s / size)\(suffix)"
            s %= size
        }
        if fraction >= 1e-9 {
            // Round away binary noise (0.1 + 0.2) so the text matches what was written.
            let secs = ((Double(s) + fraction) * 1e6).rounded() / 1e6
            out += "\(secs)s"
        } else if s > 0 || out.isEmpty {
            out += "\(s)s"
        }
        return out
    }
}
