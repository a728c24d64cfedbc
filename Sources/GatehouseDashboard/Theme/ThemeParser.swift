/// A theme file as written: its header and the roles it sets itself.
public struct ThemeDocument: Equatable, Sendable {
    public var name: String?
    public var description: String?
    public var inherit: String?
    public var entries: [Style: StyleSpec] = [:]
}

/// Parses the theme format (documented in docs/themes.md):
///
///     # comment
///     name = default
///     description = Dark theme ...
///     inherit = other            # optional
///     selected = white on #005f87, bold
///     border = bright-black
///     match = on yellow, underline
///
/// A `#` followed by a space (or ending the line) starts a comment; `#` followed by hex
/// digits is a colour. Keys and colour names are case-insensitive.
public enum ThemeParser {
    public static let headerKeys = ["name", "description", "inherit"]

    public static func parse(_ text: String, file: String) throws(ThemeError) -> ThemeDocument {
        var doc = ThemeDocument()
        var problems: [ThemeError.Diagnostic] = []
        var seen: [String: Int] = [:]
        func problem(_ line: Int, _ message: String) {
            problems.append(.init(file: file, line: line, message: message))
        }

        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = stripComment(String(rawLine)).trimmingWhitespace()
            if line.isEmpty { continue }
            guard let eq = line.firstIndex(of: "=") else {
                problem(lineNumber, "expected 'key = value', found '\(line)'")
                continue
            }
            let key = line[..<eq].trimmingWhitespace().lowercased()
            let value = line[line.index(after: eq)...].trimmingWhitespace()
            if key.isEmpty {
                problem(lineNumber, "missing key before '='")
                continue
            }
            if let first = seen[key] {
                problem(lineNumber, "'\(key)' is set twice (first on line \(first))")
                continue
            }
            seen[key] = lineNumber

            switch key {
            case "name":
                if value.isEmpty || value.contains("/") || value.contains(" ") {
                    problem(lineNumber, "a theme name must be one word without '/', found '\(value)'")
                }
                doc.name = value
            case "description":
                doc.description = value
            case "inherit":
                if value.isEmpty { problem(lineNumber, "'inherit' needs a theme name or path") }
                doc.inherit = value
            default:
                guard let style = Style(themeKey: key) else {
                    let candidates = Style.allCases.map(\.themeKey) + headerKeys
                    problem(lineNumber, "unknown role '\(key)'" + Suggestion.hint(for: key, in: candidates))
                    continue
                }
                switch parseSpec(value) {
                case .success(let spec): doc.entries[style] = spec
                case .failure(let error): problem(lineNumber, error.message)
                }
            }
        }
        if !problems.isEmpty { throw ThemeError(problems) }
        return doc
    }

    /// Parses the right-hand side of a role line: `[FG] [on BG] [, attribute]...`.
    public static func parseSpec(_ value: String) -> Result<StyleSpec, SpecError> {
        var spec = StyleSpec()
        let parts = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard !(parts.count == 1 && parts[0].isEmpty) else {
            return .failure(SpecError("missing style: give a colour, 'on' a background, or attributes"))
        }
        for (i, part) in parts.enumerated() {
            if part.isEmpty { return .failure(SpecError("empty item between commas")) }
            if let attribute = TextAttributes(name: part) {
                spec.attributes.insert(attribute)
                continue
            }
            // Only the first item may be colours, so "bold, red" is caught as a mistake.
            guard i == 0 else {
                return .failure(SpecError("unknown attribute '\(part)'"
                    + Suggestion.hint(for: part, in: TextAttributes.named.map(\.name))
                    + "; colours go first: 'FG on BG, attributes'"))
            }
            let words = part.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            var fgWord: String?, bgWord: String?
            switch words.count {
            case 1 where words[0].lowercased() != "on": fgWord = words[0]
            case 2 where words[0].lowercased() == "on": bgWord = words[1]
            case 3 where words[1].lowercased() == "on": fgWord = words[0]; bgWord = words[2]
            default:
                return .failure(SpecError("cannot read '\(part)': expected 'FG', 'FG on BG' or 'on BG'"))
            }
            if let w = fgWord {
                guard let c = ThemeColor(parsing: w) else { return .failure(colorError(w)) }
                spec.foreground = c
            }
            if let w = bgWord {
                guard let c = ThemeColor(parsing: w) else { return .failure(colorError(w)) }
                spec.background = c
            }
        }
        return .success(spec)
    }

    public struct SpecError: Error, Equatable {
        public var message: String
        init(_ message: String) { self.message = message }
    }

    private static func colorError(_ word: String) -> SpecError {
        if word.hasPrefix("#") {
            return SpecError("bad colour '\(word)': hex colours are '#rrggbb'")
        }
        if let n = Int(word) {
            return SpecError("colour index \(n) is out of range 0-255")
        }
        let candidates = ThemeColor.names + TextAttributes.named.map(\.name)
        return SpecError("unknown colour '\(word)'" + Suggestion.hint(for: word, in: candidates)
            + "; use a name, bright-NAME, 0-255, #rrggbb or default")
    }

    /// Drops a comment: `#` at the start of the line, or `#` after whitespace that is
    /// followed by whitespace or the end of the line.
    static func stripComment(_ line: String) -> String {
        let chars = Array(line)
        for i in chars.indices where chars[i] == "#" {
            let startsLine = chars[..<i].allSatisfy(\.isWhitespace)
            let afterSpace = i > 0 && chars[i - 1].isWhitespace
            let beforeSpace = i + 1 == chars.count || chars[i + 1].isWhitespace
            if startsLine || (afterSpace && beforeSpace) { return String(chars[..<i]) }
        }
        return line
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = self[...]
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
