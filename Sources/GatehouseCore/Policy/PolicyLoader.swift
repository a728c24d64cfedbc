/// Turns policy text (JSON or YAML, same schema) into a `Policy`, or into every error it has.
///
/// Strict by design: an unknown key is an error, never ignored, because a misspelt
/// `deny_if` that was silently dropped would turn a deny into an allow.
public enum PolicyLoader {
    public enum Format: String, Sendable {
        case json, yaml
    }

    public struct Result: Sendable {
        public var policy: Policy?
        public var diagnostics: [Diagnostic]
        public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
        public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    }

    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var diagnostics: [Diagnostic]
        public var description: String { diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n") }
    }

    /// The format a file name implies; JSON unless it ends in .yaml or .yml.
    public static func format(forFile name: String) -> Format {
        let lower = name.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") ? .yaml : .json
    }

    public static func load(_ text: String, file: String? = nil, format: Format? = nil) -> Result {
        let fmt = format ?? file.map(Self.format(forFile:)) ?? .json
        let value: JSONValue
        let map: SourceMap
        switch fmt {
        case .json:
            do {
                (value, map) = try JSONParser.parseWithMap(
                    Array(text.utf8), options: .init(allowComments: true, recordLocations: true))
            } catch {
                let hint = text.trimmingCharacters(in: .whitespacesAndNewlines).first.map { $0 != "{" && $0 != "[" } == true
                    ? " (is this YAML? name the file .yaml)" : ""
                return Result(policy: nil, diagnostics: [
                    Diagnostic(.error, "invalid JSON: \(error.message)\(hint)", path: .root, file: file, location: error.location)
                ])
            }
        case .yaml:
            do {
                (value, map) = try YAMLReader.parse(text)
            } catch {
                return Result(policy: nil, diagnostics: [
                    Diagnostic(.error, "invalid YAML: \(error.message)", path: .root, file: file, location: error.location)
                ])
            }
        }
        var v = Validator(file: file, map: map)
        let policy = v.policy(value)
        let errors = v.diagnostics.contains { $0.severity == .error }
        return Result(policy: errors ? nil : policy, diagnostics: inDocumentOrder(v.diagnostics))
    }

    /// Sorts by position so a reader can fix a file top to bottom; ties keep the order found.
    static func inDocumentOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let x = a.element.location.map { ($0.line, $0.column) } ?? (Int.max, Int.max)
            let y = b.element.location.map { ($0.line, $0.column) } ?? (Int.max, Int.max)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    /// Loads a file's bytes: text that is not UTF-8 is reported, not silently repaired.
    public static func load(bytes: some Collection<UInt8>, file: String? = nil, format: Format? = nil) -> Result {
        let array = Array(bytes)
        guard let text = String(validating: array, as: UTF8.self) else {
            var line = 1, column = 1
            // Point at the first byte that does not decode.
            var decoder = UTF8()
            var it = array.makeIterator()
            decode: while true {
                switch decoder.decode(&it) {
                case .scalarValue(let u):
                    if u == "\n" { line += 1; column = 1 } else { column += 1 }
                case .emptyInput, .error:
                    break decode
                }
            }
            return Result(policy: nil, diagnostics: [
                Diagnostic(.error, "the file is not valid UTF-8", path: .root, file: file,
                           location: SourceLocation(line: line, column: column), expected: "UTF-8 text")
            ])
        }
        return load(text, file: file, format: format)
    }

    /// Loads or throws every error at once.
    public static func policy(_ text: String, file: String? = nil, format: Format? = nil) throws(LoadError) -> Policy {
        let r = load(text, file: file, format: format)
        guard let p = r.policy else { throw LoadError(diagnostics: r.diagnostics) }
        return p
    }

    /// The keys each object may have; the docs test reads these so the reference cannot drift.
    public enum Keys {
        public static let top = ["version", "default", "hide", "approval", "all_tools", "tools", "description", "$schema"]
        public static let tool = ["action", "reason", "require", "deny_if", "limits", "rate_limit", "approval", "description"]
        public static let allTools = ["limits", "require", "deny_if"]
        public static let limit = ["counter", "window", "max", "scope", "increment_from"]
        public static let rateLimit = ["max", "window", "scope"]
        public static let condition = ["path", "op", "value"]
        public static let approval = ["timeout", "on_timeout"]
    }
}

import Foundation

/// Walks the parsed document once, collecting every problem rather than stopping at the first.
struct Validator {
    let file: String?
    let map: SourceMap
    var diagnostics: [Diagnostic] = []
    /// The policy-wide approval settings; a tool's `approval` inherits the fields it leaves out.
    var defaultApproval = ApprovalSettings.standard
    /// Every counter declaration in document order, with where it was written, for `checkCounters`.
    var counterDeclarations: [(limit: Limit, path: JSONPath, owner: String)] = []

    init(file: String?, map: SourceMap) {
        self.file = file
        self.map = map
    }

    mutating func error(_ message: String, at path: JSONPath, key: Bool = false, expected: String? = nil, suggestion: String? = nil) {
        diagnostics.append(Diagnostic(.error, message, path: path, file: file,
                                      location: map.location(of: path, preferKey: key), expected: expected, suggestion: suggestion))
    }

    mutating func warning(_ message: String, at path: JSONPath) {
        diagnostics.append(Diagnostic(.warning, message, path: path, file: file, location: map.location(of: path)))
    }

    /// Reports unknown keys with a suggestion; returns the object when `value` is one.
    mutating func object(_ value: JSONValue, at path: JSONPath, allowed: [String], what: String) -> JSONObject? {
        guard case .object(let o) = value else {
            error("\(what) must be an object, not \(value.typeName)", at: path)
            return nil
        }
        for key in o.keys where !allowed.contains(key) {
            error("unknown key \"\(key)\" in \(what)", at: path.appending(key), key: true,
                  expected: "one of: " + allowed.filter { $0 != "$schema" }.joined(separator: ", "),
                  suggestion: Suggestion.closest(to: key, in: allowed))
        }
        return o
    }

    mutating func string(_ value: JSONValue, at path: JSONPath, what: String) -> String? {
        guard case .string(let s) = value else {
            error("\(what) must be a string, not \(value.typeName)", at: path)
            return nil
        }
        return s
    }

    mutating func enumValue<E: RawRepresentable & CaseIterable>(_ value: JSONValue, at path: JSONPath, what: String, as: E.Type) -> E?
    where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        guard case .string(let s) = value else {
            error("\(what) must be a string, not \(value.typeName)", at: path, expected: "one of: " + names.joined(separator: ", "))
            return nil
        }
        guard let e = E(rawValue: s) else {
            error("\"\(s)\" is not a valid \(what)", at: path, expected: "one of: " + names.joined(separator: ", "),
                  suggestion: Suggestion.closest(to: s, in: names))
            return nil
        }
        return e
    }

    // MARK: - Top level

    mutating func policy(_ value: JSONValue) -> Policy? {
        guard let o = object(value, at: .root, allowed: PolicyLoader.Keys.top, what: "the policy") else { return nil }
        let root = JSONPath.root

        var version = "1"
        if let v = o["version"] {
            switch v {
            case .string("1"): break
            case .number(let n) where n.literal == "1": break  // YAML's `version: 1`
            default: error("unsupported version \(v)", at: root.appending("version"), expected: "\"1\"")
            }
            version = "1"
        } else {
            error("missing \"version\"", at: root, expected: "\"version\": \"1\"")
        }

        var defaultAction = PolicyAction.deny
        if let d = o["default"] {
            defaultAction = enumValue(d, at: root.appending("default"), what: "default", as: PolicyAction.self) ?? .deny
        }

        var hide: [ToolPattern] = []
        if let h = o["hide"] {
            let p = root.appending("hide")
            if case .array(let items) = h {
                for (i, item) in items.enumerated() {
                    if let s = string(item, at: p.appending(i), what: "a hide entry") {
                        if s.isEmpty { error("a hide entry must not be empty", at: p.appending(i)) } else { hide.append(ToolPattern(s)) }
                    }
                }
            } else if case .string(let s) = h {
                error("hide must be a list of tool names", at: p, expected: "[\"\(s)\"]")
            } else {
                error("hide must be a list of tool names, not \(h.typeName)", at: p)
            }
        }

        var approval = ApprovalSettings.standard
        if let a = o["approval"], let parsed = approvalSettings(a, at: root.appending("approval"), base: .standard) {
            approval = parsed
        }
        defaultApproval = approval

        var allTools = ToolRule(pattern: ToolPattern("*"))
        if let a = o["all_tools"] {
            let p = root.appending("all_tools")
            if let ao = object(a, at: p, allowed: PolicyLoader.Keys.allTools, what: "all_tools") {
                allTools.limits = limits(ao["limits"], at: p.appending("limits"), owner: "all_tools")
                allTools.require = conditions(ao["require"], at: p.appending("require"))
                allTools.denyIf = conditions(ao["deny_if"], at: p.appending("deny_if"))
            }
        }

        var tools: [ToolRule] = []
        if let t = o["tools"] {
            let p = root.appending("tools")
            if case .object(let to) = t {
                for (name, ruleValue) in to {
                    if let rule = toolRule(name: name, ruleValue, at: p.appending(name)) { tools.append(rule) }
                }
            } else {
                error("tools must be an object keyed by tool name, not \(t.typeName)", at: p)
            }
        }

        var description: String?
        if let d = o["description"] { description = string(d, at: root.appending("description"), what: "description") }

        let policy = Policy(version: version, defaultAction: defaultAction, hide: hide, approval: approval,
                            allTools: allTools, tools: tools, description: description)
        checkCounters()
        return policy
    }

    // MARK: - Tool rules

    mutating func toolRule(name: String, _ value: JSONValue, at path: JSONPath) -> ToolRule? {
        if name.isEmpty { error("a tool name must not be empty", at: path, key: true) }
        if name.contains(where: { $0.isWhitespace }) {
            warning("tool name \"\(name)\" contains white space; MCP tool names normally do not", at: path)
        }
        if case .null = value {
            // YAML's `read_file:` with nothing after it; say how to list a tool.
            error("a tool rule must be an object, not null", at: path, expected: "{} (an empty rule allows the tool)")
            return nil
        }
        guard let o = object(value, at: path, allowed: PolicyLoader.Keys.tool, what: "a tool rule") else { return nil }
        var rule = ToolRule(pattern: ToolPattern(name))
        if let a = o["action"] { rule.action = enumValue(a, at: path.appending("action"), what: "action", as: PolicyAction.self) }
        if let r = o["reason"] { rule.reason = string(r, at: path.appending("reason"), what: "reason") }
        if let d = o["description"] { rule.description = string(d, at: path.appending("description"), what: "description") }
        rule.require = conditions(o["require"], at: path.appending("require"))
        rule.denyIf = conditions(o["deny_if"], at: path.appending("deny_if"))
        rule.limits = limits(o["limits"], at: path.appending("limits"), owner: rule.name)
        if let rl = o["rate_limit"], let l = rateLimit(rl, tool: name, at: path.appending("rate_limit")) {
            rule.limits.append(l)
            counterDeclarations.append((l, path.appending("rate_limit"), rule.name))
        }
        if let a = o["approval"] {
            rule.approval = approvalSettings(a, at: path.appending("approval"), base: defaultApproval)
        }
        if rule.action == .deny, !rule.limits.isEmpty {
            warning("limits on a denied tool never apply", at: path.appending(o["limits"] != nil ? "limits" : "rate_limit"))
        }
        if rule.approval != nil, rule.action != .requireApproval {
            warning("approval settings apply only when the call is held (action: require_approval, or a runtime override)",
                    at: path.appending("approval"))
        }
        return rule
    }

    // MARK: - Conditions

    mutating func conditions(_ value: JSONValue?, at path: JSONPath) -> [Condition] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            error("must be a list of conditions, not \(value.typeName)", at: path,
                  expected: "[{\"path\": \"args.x\", \"op\": \"eq\", \"value\": 1}]")
            return []
        }
        return items.enumerated().compactMap { condition($1, at: path.appending($0)) }
    }

    mutating func condition(_ value: JSONValue, at path: JSONPath) -> Condition? {
        guard let o = object(value, at: path, allowed: PolicyLoader.Keys.condition, what: "a condition") else { return nil }
        // Check every part before giving up, so one pass reports all of a condition's mistakes.
        var valuePath: ValuePath?
        if let pathValue = o["path"] {
            valuePath = self.valuePath(pathValue, at: path.appending("path"))
        } else {
            error("a condition needs \"path\"", at: path, expected: "e.g. \"args.amount\"")
        }
        var op: Condition.Op?
        if let opValue = o["op"] {
            op = self.op(opValue, at: path.appending("op"))
        } else {
            error("a condition needs \"op\"", at: path, expected: "one of: " + Condition.Op.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let op else { return nil }
        let vp = path.appending("value")
        let operand = o["value"]
        var ok = true
        switch op {
        case .exists:
            if let operand, operand.boolValue == nil {
                error("exists takes true or false, not \(operand.typeName)", at: vp, expected: "true or false")
                ok = false
            }
        case .in, .notIn:
            if case .array? = operand {} else {
                error("\(op.rawValue) needs a list of values", at: operand == nil ? path : vp, expected: "e.g. [\"BTCUSDT\", \"ETHUSDT\"]")
                ok = false
            }
        case .lt, .lte, .gt, .gte:
            if case .number? = operand {} else {
                let hint = operand.flatMap(Condition.numeric).map { "\(JSONNumber($0)) (a number, without quotes)" }
                error("\(op.rawValue) needs a number" + (operand.map { ", not \($0.typeName)" } ?? ""),
                      at: operand == nil ? path : vp, expected: hint ?? "a number")
                ok = false
            }
        case .regex:
            if case .string(let pattern)? = operand {
                if (try? CompiledPattern(pattern)) == nil {
                    error("the regular expression \"\(pattern)\" does not compile", at: vp,
                          expected: "an ICU regular expression, e.g. \"^[A-Z]+USDT$\"")
                    ok = false
                }
            } else {
                error("regex needs a pattern string" + (operand.map { ", not \($0.typeName)" } ?? ""), at: operand == nil ? path : vp)
                ok = false
            }
        case .contains:
            if operand == nil {
                error("contains needs a \"value\"", at: path)
                ok = false
            } else if case .string("")? = operand {
                error("contains with an empty string always holds", at: vp, expected: "a non-empty string")
                ok = false
            }
        case .eq, .neq:
            if operand == nil {
                error("\(op.rawValue) needs a \"value\"", at: path)
                ok = false
            }
        }
        guard ok, let valuePath else { return nil }
        return try? Condition(path: valuePath, op: op, value: operand ?? .bool(true))
    }

    /// Operators people write instead of ours, mapped for "did you mean".
    static let opAliases: [String: Condition.Op] = [
        "==": .eq, "=": .eq, "!=": .neq, "<>": .neq, "<": .lt, "<=": .lte, ">": .gt, ">=": .gte,
        "equals": .eq, "equal": .eq, "ne": .neq, "not_eq": .neq, "notin": .notIn, "nin": .notIn,
        "matches": .regex, "match": .regex, "includes": .contains, "has": .contains,
        "le": .lte, "ge": .gte, "present": .exists,
    ]

    mutating func op(_ value: JSONValue, at path: JSONPath) -> Condition.Op? {
        let names = Condition.Op.allCases.map(\.rawValue)
        if case .string(let s) = value, Condition.Op(rawValue: s) == nil, let alias = Self.opAliases[s.lowercased()] {
            error("\"\(s)\" is not a valid operator", at: path, expected: "one of: " + names.joined(separator: ", "),
                  suggestion: alias.rawValue)
            return nil
        }
        return enumValue(value, at: path, what: "operator", as: Condition.Op.self)
    }

    mutating func valuePath(_ value: JSONValue, at path: JSONPath) -> ValuePath? {
        guard let text = string(value, at: path, what: "path") else { return nil }
        do {
            return try ValuePath(parsing: text)
        } catch {
            let roots = ValuePath.Root.allCases.map(\.rawValue)
            switch error {
            case .empty: self.error("path must not be empty", at: path, expected: "e.g. \"args.amount\"")
            case .unknownRoot(let r):
                var suggestion = Suggestion.closest(to: r, in: roots)
                if suggestion == nil, r == "arguments" || r == "params" { suggestion = "args" }
                // Suggest the whole corrected path: "arg.amount" → "args.amount".
                let corrected = suggestion.map { text.hasPrefix(r) ? $0 + text.dropFirst(r.count) : $0 }
                self.error("path \"\(text)\" must start with one of: \(roots.joined(separator: ", "))", at: path,
                           expected: "e.g. \"args.\(text)\"", suggestion: corrected)
            case .malformed(let m): self.error("malformed path: \(m)", at: path)
            case .rootHasNoFields(let r): self.error("\"\(r)\" is a plain string; only args has fields", at: path)
            }
            return nil
        }
    }

    // MARK: - Limits

    mutating func limits(_ value: JSONValue?, at path: JSONPath, owner: String) -> [Limit] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            error("limits must be a list, not \(value.typeName)", at: path,
                  expected: "[{\"counter\": \"...\", \"window\": \"minute\", \"max\": 30}]")
            return []
        }
        return items.enumerated().compactMap { i, item in
            guard let l = limit(item, at: path.appending(i)) else { return nil }
            counterDeclarations.append((l, path.appending(i), owner))
            return l
        }
    }

    mutating func limit(_ value: JSONValue, at path: JSONPath) -> Limit? {
        guard let o = object(value, at: path, allowed: PolicyLoader.Keys.limit, what: "a limit") else { return nil }
        var ok = true
        var counter = ""
        if let c = o["counter"] {
            if let s = string(c, at: path.appending("counter"), what: "counter") {
                if s.isEmpty { error("counter must not be empty", at: path.appending("counter")); ok = false }
                counter = s
            } else { ok = false }
        } else {
            error("a limit needs \"counter\" (a name; limits naming the same counter share one budget)", at: path)
            ok = false
        }
        let window = o["window"].flatMap { windowSeconds($0, at: path.appending("window")) }
        if o["window"] == nil { error("a limit needs \"window\"", at: path, expected: "second, minute, hour, day, or a number of seconds") }
        let max = o["max"].flatMap { maxValue($0, at: path.appending("max")) }
        if o["max"] == nil { error("a limit needs \"max\"", at: path, expected: "a positive whole number") }
        var scope = CounterScope.grant
        if let s = o["scope"] {
            if let parsed = enumValue(s, at: path.appending("scope"), what: "scope", as: CounterScope.self) { scope = parsed } else { ok = false }
        }
        var incrementFrom: ValuePath?
        if let inc = o["increment_from"] {
            incrementFrom = valuePath(inc, at: path.appending("increment_from"))
            if let p = incrementFrom, p.root != .args {
                error("increment_from must name an argument (args.…)", at: path.appending("increment_from"))
                ok = false
            }
            if incrementFrom == nil { ok = false }
        }
        guard ok, let window, let max else { return nil }
        return Limit(counter: counter, window: window, max: max, scope: scope, incrementFrom: incrementFrom)
    }

    mutating func rateLimit(_ value: JSONValue, tool: String, at path: JSONPath) -> Limit? {
        // The counter belongs to the rule, so a glob's tools share one budget.
        let counter = "rate_limit:\(tool)"
        switch value {
        case .string(let s):
            let parts = s.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let max = Int(parts[0]) else {
                error("rate_limit \"\(s)\" is not of the form \"N/window\"", at: path, expected: "e.g. \"5/hour\" or \"30/minute\"")
                return nil
            }
            guard max > 0 else {
                error("rate_limit max must be positive, not \(max) (to block a tool, use \"action\": \"deny\")", at: path)
                return nil
            }
            guard let window = windowSeconds(.string(parts[1]), at: path) else { return nil }
            return Limit(counter: counter, window: window, max: max, scope: .session)
        case .object:
            guard let o = object(value, at: path, allowed: PolicyLoader.Keys.rateLimit, what: "rate_limit") else { return nil }
            let max = o["max"].flatMap { maxValue($0, at: path.appending("max")) }
            if o["max"] == nil { error("rate_limit needs \"max\"", at: path) }
            let window = o["window"].flatMap { windowSeconds($0, at: path.appending("window")) }
            if o["window"] == nil { error("rate_limit needs \"window\"", at: path) }
            var scope = CounterScope.session
            if let s = o["scope"] {
                guard let parsed = enumValue(s, at: path.appending("scope"), what: "scope", as: CounterScope.self) else { return nil }
                scope = parsed
            }
            guard let max, let window else { return nil }
            return Limit(counter: counter, window: window, max: max, scope: scope)
        default:
            error("rate_limit must be \"N/window\" or {\"max\": N, \"window\": W}, not \(value.typeName)", at: path)
            return nil
        }
    }

    mutating func windowSeconds(_ value: JSONValue, at path: JSONPath) -> Double? {
        let names = Limit.windowNames.map(\.name)
        let expected = "second, minute, hour, day, or a number of seconds"
        switch value {
        case .number(let n):
            guard n.doubleValue > 0, n.doubleValue.isFinite else {
                error("window must be positive, not \(n)", at: path, expected: expected)
                return nil
            }
            return checkedWindow(n.doubleValue, at: path)
        case .string(let s):
            if let w = Limit.windowNames.first(where: { $0.name == s }) { return w.seconds }
            if let secs = DurationText.seconds(s), secs > 0 { return checkedWindow(secs, at: path) }
            var suggestion = Suggestion.closest(to: s, in: names)
            if suggestion == nil, s.hasSuffix("s"), names.contains(String(s.dropLast())) { suggestion = String(s.dropLast()) }
            error("\"\(s)\" is not a window", at: path, expected: expected, suggestion: suggestion)
            return nil
        default:
            error("window must be a name or a number of seconds, not \(value.typeName)", at: path, expected: expected)
            return nil
        }
    }

    /// A store keeps every charge for a whole window, so windows are bounded to keep that finite.
    mutating func checkedWindow(_ seconds: Double, at path: JSONPath) -> Double? {
        guard seconds <= Limit.maxWindow else {
            error("window \(DurationText.format(seconds)) is longer than \(DurationText.format(Limit.maxWindow))", at: path,
                  expected: "at most 366 days (31622400 seconds)")
            return nil
        }
        return seconds
    }

    mutating func maxValue(_ value: JSONValue, at path: JSONPath) -> Int? {
        switch value {
        case .number(let n):
            guard let i = n.intValue, Double(i) == n.doubleValue else {
                let whole = n.doubleValue.isFinite && n.doubleValue == n.doubleValue.rounded()
                error(whole ? "max \(n) is too large" : "max must be a whole number, not \(n)", at: path,
                      expected: whole ? "a positive whole number below 9000000000000000" : "a positive whole number")
                return nil
            }
            guard i > 0 else {
                error("max must be positive, not \(i) (to block a tool, use \"action\": \"deny\")", at: path)
                return nil
            }
            return i
        case .string(let s):
            error("max must be a number, not a string", at: path, expected: Int(s).map { "\($0) without quotes" } ?? "a positive whole number")
            return nil
        default:
            error("max must be a positive whole number, not \(value.typeName)", at: path)
            return nil
        }
    }

    // MARK: - Approval

    mutating func approvalSettings(_ value: JSONValue, at path: JSONPath, base: ApprovalSettings?) -> ApprovalSettings? {
        guard let o = object(value, at: path, allowed: PolicyLoader.Keys.approval, what: "approval") else { return nil }
        var result = base ?? .standard
        if let t = o["timeout"] {
            let tp = path.appending("timeout")
            switch t {
            case .number(let n) where n.doubleValue > 0:
                result.timeout = n.doubleValue
            case .string(let s):
                if let secs = DurationText.seconds(s), secs > 0 { result.timeout = secs } else {
                    error("\"\(s)\" is not a duration", at: tp, expected: "e.g. \"90s\", \"2m\", \"1h\" or a number of seconds")
                    return nil
                }
            default:
                error("timeout must be a positive duration, not \(t)", at: tp, expected: "e.g. \"2m\" or 120")
                return nil
            }
            if result.timeout > 86400 {
                error("timeout is longer than a day; a held call would outlive any client", at: tp)
                return nil
            }
        }
        if let ot = o["on_timeout"] {
            guard let v = enumValue(ot, at: path.appending("on_timeout"), what: "on_timeout", as: ApprovalSettings.OnTimeout.self) else {
                return nil
            }
            result.onTimeout = v
        }
        return result
    }

    // MARK: - Whole-policy checks

    /// One counter, one budget: every declaration must agree on window, max and scope.
    mutating func checkCounters() {
        var first: [String: (limit: Limit, owner: String)] = [:]
        for d in counterDeclarations {
            guard let f = first[d.limit.counter] else {
                first[d.limit.counter] = (d.limit, d.owner)
                continue
            }
            let (a, b) = (f.limit, d.limit)
            if a.window != b.window || a.max != b.max || a.scope != b.scope {
                error("counter \"\(b.counter)\" is declared differently in \(f.owner) (window \(Limit.describe(window: a.window)), max \(a.max), scope \(a.scope.rawValue)) and here (window \(Limit.describe(window: b.window)), max \(b.max), scope \(b.scope.rawValue)); a counter is one budget, so its declarations must agree",
                      at: d.path, expected: "window \(Limit.describe(window: a.window)), max \(a.max), scope \(a.scope.rawValue), or another counter name")
            }
        }
    }
}
