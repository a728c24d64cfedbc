import Testing
@testable import GatehouseCore

/// What a policy author reads when a policy is wrong: position, path, message, suggestion, expectation.
@Suite("Diagnostics")
struct DiagnosticTests {
    @Test func misspeltKeyHasItsExactPositionAndASuggestion() throws {
        let text = """
            {
              "version": "1",
              "tools": {
                "Foo": {
                  "limts": [{"counter": "c", "window": "minute", "max": 5}]
                }
              }
            }
            """
        let d = try singleError(text)
        #expect(d.path == JSONPath([.key("tools"), .key("Foo"), .key("limts")]))
        #expect(d.location == Loc(line: 5, column: 7), "points at the key, not its value")
        #expect(d.suggestion == "limits")
        #expect(d.expected == "one of: action, reason, require, deny_if, limits, rate_limit, approval, description")
        #expect(d.description == #"test.json:5:7: error: tools.Foo.limts: unknown key "limts" in a tool rule (did you mean "limits"?); expected one of: action, reason, require, deny_if, limits, rate_limit, approval, description"#)
    }

    @Test func misspeltOperator() throws {
        let text = """
            {"version": "1", "tools": {"t": {"require": [
              {"path": "args.n", "op": "gtee", "value": 1}
            ]}}}
            """
        let d = try singleError(text)
        #expect(d.path.description == "tools.t.require[0].op")
        #expect(d.location == Loc(line: 2, column: 28))
        #expect(d.message == #""gtee" is not a valid operator"#)
        #expect(d.suggestion == "gte")
        #expect(d.expected == "one of: eq, neq, in, not_in, lt, lte, gt, gte, regex, contains, exists")
    }

    @Test(arguments: [(">=", "gte"), ("==", "eq"), ("!=", "neq"), ("<", "lt"), ("equals", "eq"), ("not in", "not_in"), ("matches", "regex"), ("EQ", "eq")])
    func operatorsFromOtherLanguagesSuggestOurs(_ written: String, _ suggested: String) throws {
        let d = try singleError(conditionPolicy(#"{"path": "args.n", "op": "\#(written)", "value": 1}"#))
        #expect(d.suggestion == suggested)
    }

    @Test func misspeltWindowAndScope() throws {
        let text = """
            {"version": "1", "tools": {"t": {"limits": [
              {"counter": "c", "window": "minutes", "max": 5, "scope": "sesion"}
            ]}}}
            """
        let errors = loadErrors(text)
        #expect(errors.count == 2)
        #expect(errors[0].path.description == "tools.t.limits[0].window")
        #expect(errors[0].location == Loc(line: 2, column: 30))
        #expect(errors[0].suggestion == "minute")
        #expect(errors[1].path.description == "tools.t.limits[0].scope")
        #expect(errors[1].location == Loc(line: 2, column: 60))
        #expect(errors[1].suggestion == "session")
        #expect(errors[1].description == #"test.json:2:60: error: tools.t.limits[0].scope: "sesion" is not a valid scope (did you mean "session"?); expected one of: grant, session, global"#)
    }

    @Test func misspeltPathRootSuggestsTheWholePath() throws {
        let d = try singleError(conditionPolicy(#"{"path": "arguments.amount", "op": "gt", "value": 1}"#))
        #expect(d.suggestion == "args.amount")
        #expect(d.message == #"path "arguments.amount" must start with one of: args, tool, grant, session"#)
        let bare = try singleError(conditionPolicy(#"{"path": "amount", "op": "gt", "value": 1}"#))
        #expect(bare.suggestion == nil)
        #expect(bare.expected == #"e.g. "args.amount""#)
    }

    @Test func everyErrorIsCollectedInDocumentOrder() throws {
        let text = """
            {
              "version": "2",
              "default": "maybe",
              "hide": "admin",
              "tools": {
                "a": {"acton": "deny"},
                "b": {"limits": [{"counter": "c", "window": "fortnight", "max": 0}]},
                "c": {"require": [{"path": "amount", "op": "gtee", "value": "x"}]}
              },
              "extra": true
            }
            """
        let errors = loadErrors(text)
        #expect(errors.map(\.path.description) == [
            "version", "default", "hide",
            "tools.a.acton",
            "tools.b.limits[0].window", "tools.b.limits[0].max",
            "tools.c.require[0].path", "tools.c.require[0].op",
            "extra",
        ])
        #expect(errors.map { $0.location?.line ?? 0 } == [2, 3, 4, 6, 7, 7, 8, 8, 10])
        #expect(errors.allSatisfy { $0.location != nil && $0.file == "test.json" })
    }

    @Test func aPolicyWithErrorsNeverLoads() throws {
        let text = #"{"version": "1", "tools": {"ok": {}, "bad": {"action": "nope"}}}"#
        let r = PolicyLoader.load(text)
        #expect(r.policy == nil)
        #expect(r.errors.count == 1)
        #expect(throws: PolicyLoader.LoadError.self) { try PolicyLoader.policy(text) }
        do {
            _ = try PolicyLoader.policy(text, file: "p.json")
        } catch {
            #expect(error.description == #"p.json:1:56: error: tools.bad.action: "nope" is not a valid action; expected one of: allow, deny, require_approval"#)
        }
    }

    @Test func warningsAloneDoNotStopAPolicy() throws {
        let r = PolicyLoader.load(#"{"version": "1", "tools": {"x": {"approval": {"timeout": 5}}}}"#, file: "w.json")
        #expect(r.policy != nil)
        #expect(r.warnings.count == 1)
        #expect(r.warnings[0].description.hasPrefix("w.json:1:46: warning: tools.x.approval: approval settings apply only when"))
    }

    @Test func invalidJSONIsOneErrorAtItsPosition() throws {
        let d = try singleError("{\n  \"version\": \"1\",\n  \"tools\": {,}\n}")
        #expect(d.message == "invalid JSON: unexpected ',': expected a key in double quotes")
        #expect(d.location == Loc(line: 3, column: 13))
        #expect(d.path == .root)
    }

    @Test func yamlInAJSONFileGetsAHint() throws {
        let d = try singleError("version: \"1\"\ndefault: deny\n")
        #expect(d.message.hasSuffix("(is this YAML? name the file .yaml)"))
    }

    @Test func bytesThatAreNotUTF8AreReportedWhereTheyAre() throws {
        let bytes = Array("{\n  \"version\": \"1\",\n  \"description\": \"caf".utf8) + [0xE9] + Array("\"\n}".utf8)
        let r = PolicyLoader.load(bytes: bytes, file: "latin1.json")
        #expect(r.policy == nil)
        #expect(r.errors.first?.description == "latin1.json:3:22: error: the file is not valid UTF-8; expected UTF-8 text")
        #expect(PolicyLoader.load(bytes: Array(#"{"version": "1"}"#.utf8)).policy != nil)
    }

    @Test func descriptionWithoutFileLocationOrPath() {
        let d = Diagnostic(.error, "boom", path: .root)
        #expect(d.description == "<policy>: error: boom")
    }

    @Test func jsonFormHasEveryField() {
        let d = Diagnostic(.warning, "m", path: JSONPath([.key("tools"), .key("a b")]), file: "f.json",
                           location: Loc(line: 3, column: 4), expected: "e", suggestion: "s")
        #expect(d.json == ["severity": "warning", "message": "m", "path": #"tools["a b"]"#, "file": "f.json",
                           "line": 3, "column": 4, "expected": "e", "suggestion": "s"])
        let bare = Diagnostic(.error, "m", path: .root)
        #expect(bare.json == ["severity": "error", "message": "m", "path": "", "file": nil, "line": nil, "column": nil,
                              "expected": nil, "suggestion": nil])
    }
}
