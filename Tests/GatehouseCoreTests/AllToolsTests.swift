import Testing
@testable import GatehouseCore

/// `all_tools`: limits and conditions that apply to every call, before the tool's own.
@Suite("Policy: all_tools")
struct AllToolsTests {
    static let policy = #"""
        {"version": "1", "default": "allow",
         "all_tools": {
           "limits": [{"counter": "everything", "window": "minute", "max": 3, "scope": "session"}],
           "require": [{"path": "grant", "op": "regex", "value": "^desk-"}],
           "deny_if": [{"path": "args.dry_run", "op": "eq", "value": false}]},
         "tools": {"a": {"limits": [{"counter": "a_only", "window": "minute", "max": 1}]}, "b": {}}}
        """#

    @Test func limitsCountEveryToolTogether() throws {
        let e = try makeEngine(Self.policy)
        #expect(e.decide(call("a", grant: "desk-1"), now: 0).verdict.isAllow)
        #expect(e.decide(call("b", grant: "desk-1"), now: 0).verdict.isAllow)
        #expect(e.decide(call("unlisted", grant: "desk-1"), now: 0).verdict.isAllow)
        let d = e.decide(call("b", grant: "desk-1"), now: 1)
        #expect(d.verdict.breach?.charge.key.counter == "everything")
    }

    @Test func toolLimitsApplyOnTop() throws {
        let e = try makeEngine(Self.policy)
        #expect(e.decide(call("a", grant: "desk-1"), now: 0).verdict.isAllow)
        let d = e.decide(call("a", grant: "desk-1"), now: 1)
        #expect(d.verdict.breach?.charge.key.counter == "a_only")
        // A refused call takes nothing from any counter: the shared budget still has 2 left.
        #expect(e.decide(call("b", grant: "desk-1"), now: 2).verdict.isAllow)
        #expect(e.decide(call("b", grant: "desk-1"), now: 2).verdict.isAllow)
        #expect(e.decide(call("b", grant: "desk-1"), now: 2).verdict.isRateLimited)
    }

    @Test func conditionsApplyToEveryToolAndNameAllTools() throws {
        let e = try makeEngine(Self.policy)
        let d = e.decide(call("b", grant: "intern"), now: 0)
        #expect(d.verdict == .deny(reason: #"Denied by policy: requires grant regex "^desk-" (all_tools require)."#, rule: "all_tools"))
        #expect(e.decide(call("b", ["dry_run": false], grant: "desk-1"), now: 0).verdict.denyRule == "all_tools")
        #expect(e.decide(call("b", ["dry_run": true], grant: "desk-1"), now: 0).verdict.isAllow)
    }

    @Test func allToolsTakesOnlyLimitsAndConditions() throws {
        let e = try singleError(#"{"version": "1", "all_tools": {"action": "deny"}}"#)
        #expect(e.message == #"unknown key "action" in all_tools"#)
        #expect(e.expected == "one of: limits, require, deny_if")
    }
}
