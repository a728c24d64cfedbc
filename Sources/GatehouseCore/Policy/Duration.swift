import Foundation

/// Parses the durations policies use: `90` (seconds), `"90s"`, `"2m"`, `"1h30m"`, `"1d"`, and window names.
public enum DurationText {
    public static let units: [(suffix: Character, seconds: Double)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]

    /// Seconds for a text like `2m` or `1h30m`; nil when it is not one.
    public static func seconds(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let v = Double(t), v.isFinite { return v }
        var total = 0.0
        var number = ""
        var sawUnit = false
        for c in t {
            if c.isNumber || c == "." {
                number.append(c)
            } else if let unit = units.first(where: { $0.suffix == c }) {
                guard let v = Double(number), v.isFinite else { return nil }
                total += v * unit.seconds
                number = ""
                sawUnit = true
            } else {
                return nil
            }
        }
        guard number.isEmpty, sawUnit else { return nil }
        return total
    }

    /// `120` → "2m", `5400` → "1h30m": the shortest exact spelling.
    public static func format(_ seconds: Double) -> String {
        var s = Int(seconds.rounded())
        if s <= 0 { return "0s" }
        var out = ""
        for (suffix, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where s >= size {
            out += "\(s / size)\(suffix)"
            s %= size
        }
        return out
    }
}

