import Testing
@testable import GatehouseCore

/// A tool's own rule: action, reason, description, and what listing a tool means.
@Suite("Policy: tool rules")
struct ToolRuleTests {
    @Test func listingAToolWithNoActionAllowsIt() throws {
        let e = try makeEngine(#"{"version": "1", "default": "deny", "tools": {"read_file": {}}}"#)
        let d = e.decide(call("read_file"), now: 0)
        #expect(d.verdict.isAllow)
        #expect(d.rule == #"tools["read_file"]"#)
        #expect(e.decide(call("write_file"), now: 0).verdict.isDeny)
    }

    @Test func listingAllowsEvenWhenTheDefaultIsRequireApproval() throws {
        let e = try makeEngine(#"{"version": "1", "default": "require_approval", "tools": {"read_file": {}}}"#)
        #expect(e.decide(call("read_file"), now: 0).verdict.isAllow)
        #expect(e.decide(call("write_file"), now: 0).verdict.isHold)
    }

    @Test func actionDenyUsesTheReason() throws {
        let e = try makeEngine(#"""
            {"version": "1", "default": "allow", "tools": {
              "drop_table": {"action": "deny", "reason": "Schema changes go through review."},
              "truncate": {"action": "deny"}}}
            """#)
        let d = e.decide(call("drop_table"), now: 0)
        #expect(d.verdict == .deny(reason: "Schema changes go through review.", rule: #"tools["drop_table"]"#))
        #expect(e.decide(call("truncate"), now: 0).verdict.denyReason == #"Tool "truncate" is denied by policy."#)
        #expect(e.decide(call("select"), now: 0).verdict.isAllow)
    }

    @Test func actionAllowAndRequireApproval() throws {
        let e = try makeEngine(#"""
            {"version": "1", "default": "deny", "tools": {
              "a": {"action": "allow"}, "b": {"action": "require_approval", "description": "big"}}}
            """#)
        #expect(e.decide(call("a"), now: 0).verdict.isAllow)
        #expect(e.decide(call("b"), now: 0).verdict == .hold(.standard))
        #expect(e.policy.tools[1].description == "big")
    }

    @Test func actionMustBeKnown() throws {
        let e = try singleError(#"{"version": "1", "tools": {"a": {"action": "alllow"}}}"#)
        #expect(e.path.description == "tools.a.action")
        #expect(e.suggestion == "allow")
        #expect(try singleError(#"{"version": "1", "tools": {"a": {"action": true}}}"#).message == "action must be a string, not a boolean")
    }

    @Test func ruleMustBeAnObject() throws {
        let e = try singleError(#"{"version": "1", "tools": {"a": "allow"}}"#)
        #expect(e.message == "a tool rule must be an object, not a string")
        #expect(e.path.description == "tools.a")
        let empty = try singleError("version: '1'\ntools:\n  read_file:\n", format: .yaml)
        #expect(empty.message == "a tool rule must be an object, not null")
        #expect(empty.expected == "{} (an empty rule allows the tool)")
    }

    @Test func reasonAndDescriptionMustBeStrings() throws {
        let errors = loadErrors(#"{"version": "1", "tools": {"a": {"reason": 1, "description": []}}}"#)
        #expect(errors.map(\.path.description).sorted() == ["tools.a.description", "tools.a.reason"])
    }

    @Test func emptyToolNameIsAnError() throws {
        let e = try singleError(#"{"version": "1", "tools": {"": {}}}"#)
        #expect(e.message == "a tool name must not be empty")
    }

    @Test func warningsDoNotStopLoading() throws {
        let r = PolicyLoader.load(#"""
            {"version": "1", "tools": {
              "a b": {},
              "c": {"action": "deny", "rate_limit": "5/hour"},
              "d": {"approval": {"timeout": "1m"}}}}
            """#)
        #expect(r.policy != nil)
        #expect(r.errors.isEmpty)
        #expect(r.warnings.map(\.path.description) == [#"tools["a b"]"#, "tools.c.rate_limit", "tools.d.approval"])
        #expect(r.warnings[1].message == "limits on a denied tool never apply")
    }
}
