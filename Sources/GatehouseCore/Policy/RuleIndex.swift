/// Finds a tool's rule without trying every key: a hash lookup for exact names, then the globs
/// in precedence order, so the first that matches is the winner. Same answer as trying every rule
/// and keeping the most specific (see `ToolPattern`), at a fraction of the cost with 1,000 keys.
struct RuleIndex: Sendable {
    /// Exact name → index of the first rule with that key.
    private var exact: [String: Int] = [:]
    /// Globs, most specific first; ties keep the order written.
    private var globs: [CompiledGlob] = []

    init(_ rules: [ToolRule]) {
        var globRules: [(Int, ToolPattern)] = []
        for (i, r) in rules.enumerated() {
            if r.pattern.isGlob {
                globRules.append((i, r.pattern))
            } else if exact[r.pattern.text] == nil {
                exact[r.pattern.text] = i
            }
        }
        // Stable: sorting by (more literals, fewer stars, earlier) is the precedence order itself.
        globRules.sort { a, b in
            if a.1.literalCount != b.1.literalCount { return a.1.literalCount > b.1.literalCount }
            if a.1.starCount != b.1.starCount { return a.1.starCount < b.1.starCount }
            return a.0 < b.0
        }
        globs = globRules.map { CompiledGlob($0.1, rule: $0.0) }
    }

    /// The index of the rule that governs `tool`, if any.
    func ruleIndex(for tool: String) -> Int? {
        if let i = exact[tool] { return i }
        if globs.isEmpty { return nil }
        let bytes = Array(tool.utf8)
        let simple = CompiledGlob.isSimple(bytes)
        for g in globs where g.matches(tool, bytes: bytes, nameIsSimple: simple) { return g.rule }
        return nil
    }
}

/// A glob prepared for fast matching of plain ASCII tool names.
///
/// For printable ASCII every byte is one `Character`, so matching bytes gives exactly the answer
/// `ToolPattern.matches` gives on characters; anything else (Unicode, control characters, where
/// "\r\n" is one character) takes the character path.
/// A class so that walking 1,000 of them costs one reference count each, not one per array.
final class CompiledGlob: Sendable {
    let pattern: ToolPattern
    /// The rule this key belongs to.
    let rule: Int
    private let bytes: [UInt8]
    private let simple: Bool
    /// Literal bytes before the first wildcard and after the last: cheap early rejections.
    private let prefix: [UInt8]
    private let suffix: [UInt8]
    private let minLength: Int

    init(_ pattern: ToolPattern, rule: Int) {
        self.pattern = pattern
        self.rule = rule
        bytes = Array(pattern.text.utf8)
        simple = Self.isSimple(bytes)
        let isWild: (UInt8) -> Bool = { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
        prefix = Array(bytes.prefix { !isWild($0) })
        suffix = bytes.contains(where: isWild) ? Array(bytes.reversed().prefix { !isWild($0) }.reversed()) : []
        minLength = bytes.filter { $0 != UInt8(ascii: "*") }.count
    }

    static func isSimple(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }

    func matches(_ name: String, bytes s: [UInt8], nameIsSimple: Bool) -> Bool {
        guard simple, nameIsSimple else { return pattern.matches(name) }
        if s.count < minLength { return false }
        if !prefix.isEmpty, !s.starts(with: prefix) { return false }
        if !suffix.isEmpty, !s.reversed().starts(with: suffix.reversed()) { return false }
        // Iterative glob with single-star backtracking, as ToolPattern does on characters.
        let p = bytes
        var pi = 0, si = 0, starP = -1, starS = -1
        while si < s.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == s[si] {
                pi += 1; si += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                starP = pi; starS = si; pi += 1
            } else if starP >= 0 {
                pi = starP + 1; starS += 1; si = starS
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
