import Testing
@testable import GatehouseCore

/// A corpus of broken policies. Each one must be refused with a clear, located error, never load,
/// and never crash the loader.
@Suite("Malformed policy corpus")
struct MalformedPolicyCorpusTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let format: PolicyLoader.Format
        /// The path one of the errors must name.
        let path: String
        /// Text one of the errors must contain.
        let fragment: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ format: PolicyLoader.Format = .json, path: String, _ fragment: String) {
            self.name = name
            self.text = text
            self.format = format
            self.path = path
            self.fragment = fragment
        }
    }

    static let v = #""version": "1""#
    static func tool(_ body: String) -> String { #"{\#(v), "tools": {"t": \#(body)}}"# }
    static func cond(_ body: String) -> String { tool(#"{"require": [\#(body)]}"#) }
    static func lim(_ body: String) -> String { tool(#"{"limits": [\#(body)]}"#) }

    static let cases: [Case] = [
        // Documents that are not policies at all.
        Case("empty file", "", path: "(top level)", "the document is empty"),
        Case("only a comment", "// nothing here", path: "(top level)", "the document is empty"),
        Case("array at top", "[]", path: "(top level)", "the policy must be an object, not an array"),
        Case("string at top", #""policy""#, path: "(top level)", "must be an object, not a string"),
        Case("truncated", #"{"version": "1", "tools": {"#, path: "(top level)", "unexpected end of input"),
        Case("single quotes", "{'version': '1'}", path: "(top level)", "expected a key in double quotes"),
        Case("unquoted key", "{version: \"1\"}", path: "(top level)", "expected a key in double quotes"),
        Case("duplicate key", #"{"version": "1", "version": "1"}"#, path: "(top level)", #"duplicate key "version""#),
        Case("duplicate tool", #"{\#(v), "tools": {"a": {}, "a": {}}}"#, path: "(top level)", #"duplicate key "a""#),
        Case("unterminated comment", #"{\#(v)} /* "#, path: "(top level)", "unterminated /* comment"),
        Case("trailing garbage", #"{\#(v)} x"#, path: "(top level)", "after the end of the JSON value"),
        Case("lone surrogate", #"{\#(v), "description": "\ud800"}"#, path: "(top level)", "lone surrogate"),
        Case("control character", "{\(v), \"description\": \"a\u{7}b\"}", path: "(top level)", "unescaped control character"),
        Case("too deep", String(repeating: "[", count: 300) + String(repeating: "]", count: 300), path: "(top level)", "nesting is deeper"),
        Case("YAML tab indent", "version: '1'\ntools:\n\tt: {}\n", .yaml, path: "(top level)", "invalid YAML"),
        Case("YAML duplicate", "version: '1'\nversion: '1'\n", .yaml, path: "(top level)", "duplicate key"),
        Case("YAML list at top", "- version\n", .yaml, path: "(top level)", "must be an object"),
        // Top level.
        Case("no version", #"{"default": "deny"}"#, path: "(top level)", #"missing "version""#),
        Case("version 2", #"{"version": "2"}"#, path: "version", "unsupported version"),
        Case("version null", #"{"version": null}"#, path: "version", "unsupported version null"),
        Case("default misspelt", #"{\#(v), "default": "dney"}"#, path: "default", #"did you mean "deny"?"#),
        Case("default number", #"{\#(v), "default": 0}"#, path: "default", "default must be a string, not a number"),
        Case("unknown top key", #"{\#(v), "rules": {}}"#, path: "rules", #"unknown key "rules" in the policy"#),
        Case("tools as list", #"{\#(v), "tools": []}"#, path: "tools", "tools must be an object"),
        Case("hide as string", #"{\#(v), "hide": "*"}"#, path: "hide", "hide must be a list"),
        Case("hide entry number", #"{\#(v), "hide": [1]}"#, path: "hide[0]", "a hide entry must be a string"),
        Case("hide entry empty", #"{\#(v), "hide": [""]}"#, path: "hide[0]", "must not be empty"),
        Case("description list", #"{\#(v), "description": []}"#, path: "description", "description must be a string"),
        Case("all_tools action", #"{\#(v), "all_tools": {"action": "deny"}}"#, path: "all_tools.action", #"unknown key "action" in all_tools"#),
        Case("all_tools list", #"{\#(v), "all_tools": []}"#, path: "all_tools", "all_tools must be an object"),
        // Tool rules.
        Case("rule is string", tool(#""allow""#), path: "tools.t", "a tool rule must be an object"),
        Case("rule is null", tool("null"), path: "tools.t", "a tool rule must be an object, not null"),
        Case("empty tool name", #"{\#(v), "tools": {"": {}}}"#, path: #"tools[""]"#, "a tool name must not be empty"),
        Case("unknown rule key", tool(#"{"limts": []}"#), path: "tools.t.limts", #"did you mean "limits"?"#),
        Case("deny-if spelling", tool(#"{"deny-if": []}"#), path: "tools.t.deny-if", #"did you mean "deny_if"?"#),
        Case("action misspelt", tool(#"{"action": "require-approval"}"#), path: "tools.t.action", #"did you mean "require_approval"?"#),
        Case("reason number", tool(#"{"reason": 5}"#), path: "tools.t.reason", "reason must be a string"),
        // Conditions.
        Case("require object", tool(#"{"require": {"path": "args.a"}}"#), path: "tools.t.require", "must be a list of conditions"),
        Case("condition string", cond(#""args.a > 5""#), path: "tools.t.require[0]", "a condition must be an object"),
        Case("condition no path", cond(#"{"op": "eq", "value": 1}"#), path: "tools.t.require[0]", #"a condition needs "path""#),
        Case("condition no op", cond(#"{"path": "args.a", "value": 1}"#), path: "tools.t.require[0]", #"a condition needs "op""#),
        Case("op misspelt", cond(#"{"path": "args.a", "op": "gtee", "value": 1}"#), path: "tools.t.require[0].op", #"did you mean "gte"?"#),
        Case("op symbol", cond(#"{"path": "args.a", "op": ">", "value": 1}"#), path: "tools.t.require[0].op", #"did you mean "gt"?"#),
        Case("path root", cond(#"{"path": "params.a", "op": "eq", "value": 1}"#), path: "tools.t.require[0].path", "must start with one of"),
        Case("path empty", cond(#"{"path": "", "op": "eq", "value": 1}"#), path: "tools.t.require[0].path", "path must not be empty"),
        Case("path malformed", cond(#"{"path": "args..a", "op": "eq", "value": 1}"#), path: "tools.t.require[0].path", "malformed path"),
        Case("path on tool", cond(#"{"path": "tool.name", "op": "eq", "value": 1}"#), path: "tools.t.require[0].path", "only args has fields"),
        Case("path number", cond(#"{"path": 5, "op": "eq", "value": 1}"#), path: "tools.t.require[0].path", "path must be a string"),
        Case("gt string", cond(#"{"path": "args.a", "op": "gt", "value": "100"}"#), path: "tools.t.require[0].value", "gt needs a number"),
        Case("lt missing value", cond(#"{"path": "args.a", "op": "lt"}"#), path: "tools.t.require[0]", "lt needs a number"),
        Case("in scalar", cond(#"{"path": "args.a", "op": "in", "value": "BTC"}"#), path: "tools.t.require[0].value", "in needs a list of values"),
        Case("not_in missing", cond(#"{"path": "args.a", "op": "not_in"}"#), path: "tools.t.require[0]", "not_in needs a list of values"),
        Case("regex broken", cond(#"{"path": "args.a", "op": "regex", "value": "(["}"#), path: "tools.t.require[0].value", "does not compile"),
        Case("regex number", cond(#"{"path": "args.a", "op": "regex", "value": 5}"#), path: "tools.t.require[0].value", "regex needs a pattern string"),
        Case("exists string", cond(#"{"path": "args.a", "op": "exists", "value": "yes"}"#), path: "tools.t.require[0].value", "exists takes true or false"),
        Case("eq no value", cond(#"{"path": "args.a", "op": "eq"}"#), path: "tools.t.require[0]", #"eq needs a "value""#),
        Case("contains empty", cond(#"{"path": "args.a", "op": "contains", "value": ""}"#), path: "tools.t.require[0].value", "always holds"),
        Case("condition extra key", cond(#"{"path": "args.a", "op": "eq", "value": 1, "vlaue": 2}"#), path: "tools.t.require[0].vlaue", #"did you mean "value"?"#),
        // Limits.
        Case("limits object", tool(#"{"limits": {}}"#), path: "tools.t.limits", "limits must be a list"),
        Case("limit no counter", lim(#"{"window": 60, "max": 1}"#), path: "tools.t.limits[0]", #"a limit needs "counter""#),
        Case("limit no window", lim(#"{"counter": "c", "max": 1}"#), path: "tools.t.limits[0]", #"a limit needs "window""#),
        Case("limit no max", lim(#"{"counter": "c", "window": 60}"#), path: "tools.t.limits[0]", #"a limit needs "max""#),
        Case("max zero", lim(#"{"counter": "c", "window": 60, "max": 0}"#), path: "tools.t.limits[0].max", "max must be positive"),
        Case("max fraction", lim(#"{"counter": "c", "window": 60, "max": 2.5}"#), path: "tools.t.limits[0].max", "whole number"),
        Case("max quoted", lim(#"{"counter": "c", "window": 60, "max": "5"}"#), path: "tools.t.limits[0].max", "5 without quotes"),
        Case("window minutes", lim(#"{"counter": "c", "window": "minutes", "max": 1}"#), path: "tools.t.limits[0].window", #"did you mean "minute"?"#),
        Case("window negative", lim(#"{"counter": "c", "window": -1, "max": 1}"#), path: "tools.t.limits[0].window", "window must be positive"),
        Case("window too long", lim(#"{"counter": "c", "window": "400d", "max": 1}"#), path: "tools.t.limits[0].window", "is longer than"),
        Case("scope misspelt", lim(#"{"counter": "c", "window": 60, "max": 1, "scope": "sesion"}"#), path: "tools.t.limits[0].scope", #"did you mean "session"?"#),
        Case("scope user", lim(#"{"counter": "c", "window": 60, "max": 1, "scope": "user"}"#), path: "tools.t.limits[0].scope", "one of: grant, session, global"),
        Case("increment_from grant", lim(#"{"counter": "c", "window": 60, "max": 1, "increment_from": "grant"}"#), path: "tools.t.limits[0].increment_from", "must name an argument"),
        Case("counter conflict", #"{\#(v), "tools": {"a": {"limits": [{"counter": "c", "window": 60, "max": 1}]}, "b": {"limits": [{"counter": "c", "window": 60, "max": 1, "scope": "global"}]}}}"#, path: "tools.b.limits[0]", "declared differently"),
        Case("rate_limit words", tool(#"{"rate_limit": "5 a minute"}"#), path: "tools.t.rate_limit", "is not of the form"),
        Case("rate_limit zero", tool(#"{"rate_limit": "0/minute"}"#), path: "tools.t.rate_limit", "must be positive"),
        Case("rate_limit list", tool(#"{"rate_limit": [5, 60]}"#), path: "tools.t.rate_limit", "rate_limit must be"),
        Case("rate_limit counter key", tool(#"{"rate_limit": {"max": 5, "window": 60, "counter": "x"}}"#), path: "tools.t.rate_limit.counter", "unknown key"),
        // Approval.
        Case("approval string", #"{\#(v), "approval": "2m"}"#, path: "approval", "approval must be an object"),
        Case("timeout words", #"{\#(v), "approval": {"timeout": "two minutes"}}"#, path: "approval.timeout", "is not a duration"),
        Case("timeout too long", tool(#"{"action": "require_approval", "approval": {"timeout": "25h"}}"#), path: "tools.t.approval.timeout", "longer than a day"),
        Case("on_timeout misspelt", #"{\#(v), "approval": {"on_timeout": "alow"}}"#, path: "approval.on_timeout", #"did you mean "allow"?"#),
        Case("on_timeout hold", #"{\#(v), "approval": {"on_timeout": "require_approval"}}"#, path: "approval.on_timeout", "one of: deny, allow"),
        // YAML versions of common mistakes.
        Case("YAML misspelt key", "version: '1'\ntools:\n  t:\n    limts: []\n", .yaml, path: "tools.t.limts", #"did you mean "limits"?"#),
        Case("YAML max string", "version: '1'\ntools:\n  t:\n    rate_limit: {max: ten, window: 60}\n", .yaml, path: "tools.t.rate_limit.max", "max must be a number"),
        Case("YAML bare op", "version: '1'\ntools:\n  t:\n    require:\n      - {path: args.a, op: =, value: 1}\n", .yaml, path: "tools.t.require[0].op", #"did you mean "eq"?"#),
    ]

    @Test func theCorpusIsLargeAndNamedUniquely() {
        #expect(Self.cases.count >= 50)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
    }

    @Test(arguments: cases)
    func isRefusedWithALocatedError(_ c: Case) throws {
        let r = PolicyLoader.load(c.text, file: "corpus.\(c.format.rawValue)", format: c.format)
        #expect(r.policy == nil, "must never load")
        #expect(!r.errors.isEmpty)
        for e in r.errors {
            #expect(e.location != nil && e.location!.line >= 1 && e.location!.column >= 1, "every error is located: \(e)")
            #expect(!e.message.isEmpty)
            #expect(e.description.hasPrefix("corpus.\(c.format.rawValue):"))
        }
        let described = r.errors.map(\.description)
        #expect(r.errors.contains { $0.path.description == c.path && $0.description.contains(c.fragment) },
                "expected an error at \(c.path) containing \(c.fragment); got \(described)")
        #expect(throws: PolicyLoader.LoadError.self) { try PolicyLoader.policy(c.text, format: c.format) }
    }
}
