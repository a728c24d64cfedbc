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
        return Result(policy: errors ? nil : policy, diagnostics: v.diagnostics)
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
            case .number(let n) where n.intValue == 1: break  // YAML's `version: 1`
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

        var allTools = ToolRule(pattern: ToolPattern("*"))
        if let a = o["all_tools"] {
            let p = root.appending("all_tools")
            if let ao = object(a, at: p, allowed: PolicyLoader.Keys.allTools, what: "all_tools") {
                allTools.limits = limits(ao["limits"], at: p.appending("limits"))
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
        checkCounters(policy)
        return policy
    }

    // MARK: - Tool rules

    mutating func toolRule(name: String, _ value: JSONValue, at path: JSONPath) -> ToolRule? {
        if name.isEmpty { error("a tool name must not be empty", at: path, key: true) }
        if name.contains(where: { $0.isWhitespace }) {
            warning("tool name \"\(name)\" contains white space; MCP tool names normally do not", at: path)
        }
        guard let o = object(value, at: path, allowed: PolicyLoader.Keys.tool, what: "a tool rule") else { return nil }
        var rule = ToolRule(pattern: ToolPattern(name))
        if let a = o["action"] { rule.action = enumValue(a, at: path.appending("action"), what: "action", as: PolicyAction.self) }
        if let r = o["reason"] { rule.reason = string(r, at: path.appending("reason"), what: "reason") }
        if let d = o["description"] { rule.description = string(d, at: path.appending("description"), what: "description") }
        rule.require = conditions(o["require"], at: path.appending("require"))
        rule.denyIf = conditions(o["deny_if"], at: path.appending("deny_if"))
        rule.limits = limits(o["limits"], at: path.appending("limits"))
        if let rl = o["rate_limit"], let l = rateLimit(rl, tool: name, at: path.appending("rate_limit")) {
            rule.limits.append(l)
        }
        if let a = o["approval"] {
            rule.approval = approvalSettings(a, at: path.appending("approval"), base: nil)
        }
        if rule.action == .deny, !rule.limits.isEmpty {
            warning("limits on a denied tool never apply", at: path.appending("limits"))
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
        guard let pathValue = o["path"] else {
            error("a condition needs \"path\"", at: path, expected: "e.g. \"args.amount\"")
            return nil
        }
        guard let opValue = o["op"] else {
            error("a condition needs \"op\"", at: path, expected: "one of: " + Condition.Op.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        guard let valuePath = self.valuePath(pathValue, at: path.appending("path")) else { return nil }
        guard let op = enumValue(opValue, at: path.appending("op"), what: "operator", as: Condition.Op.self) else { return nil }
        let vp = path.appending("value")
        let operand = o["value"]
        switch op {
        case .exists:
            if let operand, operand.boolValue == nil {
                error("exists takes true or false, not \(operand.typeName)", at: vp)
                return nil
            }
        case .in, .notIn:
            guard case .array? = operand else {
                error("\(op.rawValue) needs a list of values", at: operand == nil ? path : vp, expected: "e.g. [\"BTCUSDT\", \"ETHUSDT\"]")
                return nil
            }
        case .lt, .lte, .gt, .gte:
            guard let operand, operand.doubleValue != nil else {
                error("\(op.rawValue) needs a number", at: operand == nil ? path : vp,
                      expected: operand.flatMap(Condition.numeric).map { "\(JSONNumber($0))" } ?? "a number")
                return nil
            }
        case .regex:
            guard case .string(let pattern)? = operand else {
                error("regex needs a pattern string", at: operand == nil ? path : vp)
                return nil
            }
            do {
                return try Condition(path: valuePath, op: op, value: .string(pattern))
            } catch {
                self.error("the regular expression \"\(pattern)\" does not compile: \(error.localizedDescription)", at: vp)
                return nil
            }
        case .eq, .neq, .contains:
            if operand == nil {
                error("\(op.rawValue) needs a \"value\"", at: path)
                return nil
            }
        }
        return try? Condition(path: valuePath, op: op, value: operand ?? .bool(true))
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
                self.error("path \"\(text)\" must start with one of: \(roots.joined(separator: ", "))", at: path,
                           expected: "e.g. \"args.\(text)\"",
                           suggestion: suggestion.map { s in
                               [s] .map { _ in text.hasPrefix(r) ? s + text.dropFirst(r.count) : s }[0]
                           })
            case .malformed(let m): self.error("malformed path: \(m)", at: path)
            case .rootHasNoFields(let r): self.error("\"\(r)\" is a plain string; only args has fields", at: path)
            }
            return nil
        }
    }

    // MARK: - Limits

    mutating func limits(_ value: JSONValue?, at path: JSONPath) -> [Limit] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            error("limits must be a list, not \(value.typeName)", at: path,
                  expected: "[{\"counter\": \"...\", \"window\": \"minute\", \"max\": 30}]")
            return []
        }
        return items.enumerated().compactMap { limit($1, at: path.appending($0)) }
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
            let parts = s.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let max = Int(parts[0]), max > 0 else {
                error("rate_limit \"\(s)\" is not of the form \"N/window\"", at: path, expected: "e.g. \"5/hour\" or \"30/minute\"")
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
                error("window must be positive", at: path, expected: expected)
                return nil
            }
            return n.doubleValue
        case .string(let s):
            if let w = Limit.windowNames.first(where: { $0.name == s }) { return w.seconds }
            if let secs = DurationText.seconds(s), secs > 0 { return secs }
            var suggestion = Suggestion.closest(to: s, in: names)
            if suggestion == nil, s.hasSuffix("s"), names.contains(String(s.dropLast())) { suggestion = String(s.dropLast()) }
            error("\"\(s)\" is not a window", at: path, expected: expected, suggestion: suggestion)
            return nil
        default:
            error("window must be a name or a number of seconds, not \(value.typeName)", at: path, expected: expected)
            return nil
        }
    }

    mutating func maxValue(_ value: JSONValue, at path: JSONPath) -> Int? {
        switch value {
        case .number(let n):
            guard let i = n.intValue, Double(i) == n.doubleValue else {
                error("max must be a whole number, not \(n)", at: path, expected: "a positive whole number")
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
    mutating func checkCounters(_ policy: Policy) {
        var first: [String: (Limit, String)] = [:]
        for rule in [policy.allTools] + policy.tools {
            let where_ = rule.pattern.text == "*" && rule.name == policy.allTools.name ? "all_tools" : rule.name
            for l in rule.limits {
                guard let (f, at) = first[l.counter] else {
                    first[l.counter] = (l, where_)
                    continue
                }
                if f.window != l.window || f.max != l.max || f.scope != l.scope {
                    let p = JSONPath.root.appending("tools").appending(rule.pattern.text).appending("limits")
                    error("counter \"\(l.counter)\" is declared differently in \(at) (window \(Limit.describe(window: f.window)), max \(f.max), scope \(f.scope.rawValue)) and here (window \(Limit.describe(window: l.window)), max \(l.max), scope \(l.scope.rawValue)); a counter is one budget, so its declarations must agree",
                          at: p)
                }
            }
        }
    }
}
