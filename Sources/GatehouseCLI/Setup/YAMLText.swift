import GatehouseCore

/// The little YAML `policy init` writes: scalars quoted only when a plain one would be misread,
/// and comments that stay on one line.
enum YAMLText {
    /// Words YAML 1.1 readers (libyaml, and so Yams) turn into booleans or null.
    static let reserved: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"]

    static func scalar(_ s: String) -> String {
        let plain = !s.isEmpty && !reserved.contains(s.lowercased())
            && s.first.map({ $0.isASCII && ($0.isLetter || $0 == "_") }) == true
            && s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") })
        if plain { return s }
        // A JSON string is a valid YAML double-quoted scalar.
        return JSONWriter.string(.string(s))
    }

    /// Text for a `#` comment: one line, control characters dropped, at most `max` characters.
    static func comment(_ s: String, max: Int = 100) -> String {
        let flat = s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        let clean = String(flat.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        return clean.count > max ? String(clean.prefix(max - 1)) + "…" : clean
    }
}
