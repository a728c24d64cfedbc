import Testing
@testable import GatehouseCore

/// `hide`: tools the agent must not see; called anyway, they are denied.
@Suite("Policy: hide")
struct HideTests {
    @Test func hiddenToolsAreDeniedAsUnavailable() throws {
        let e = try makeEngine(#"{"version": "1", "default": "allow", "hide": ["admin_reset", "debug_*"], "tools": {"admin_reset": {"action": "allow"}}}"#)
        let d = e.decide(call("admin_reset"), now: 0)
        #expect(d.verdict == .deny(reason: #"Tool "admin_reset" is not available."#, rule: "hide"), "hiding beats the tool's own allow")
        #expect(e.decide(call("debug_dump"), now: 0).verdict.denyRule == "hide")
        #expect(e.decide(call("list_users"), now: 0).verdict.isAllow)
        #expect(e.policy.isHidden("debug_x"))
        #expect(!e.policy.isHidden("admin_reset_all"))
    }

    @Test func starHidesEverything() throws {
        let e = try makeEngine(#"{"version": "1", "default": "allow", "hide": ["*"], "tools": {"read": {}}}"#)
        for tool in ["read", "write", ""] {
            #expect(e.decide(call(tool), now: 0).verdict.denyRule == "hide")
            #expect(e.policy.isHidden(tool))
        }
    }

    @Test func anOperatorAllowOverrideUnhides() throws {
        let e = try makeEngine(#"{"version": "1", "default": "allow", "hide": ["*"]}"#)
        let state = RuntimeState(overrides: ["read": ToolOverride(action: .allow, setBy: "ops", setAt: 0)])
        #expect(e.decide(call("read"), state: state, now: 0).verdict.isAllow)
        #expect(e.decide(call("write"), state: state, now: 0).verdict.denyRule == "hide")
        let held = RuntimeState(overrides: ["read": ToolOverride(action: .requireApproval, setBy: "ops", setAt: 0)])
        #expect(e.decide(call("read"), state: held, now: 0).verdict.denyRule == "hide", "only allow unhides")
    }

    @Test func hideMustBeAListOfNonEmptyStrings() throws {
        let s = try singleError(#"{"version": "1", "hide": "*"}"#)
        #expect(s.message == "hide must be a list of tool names")
        #expect(s.expected == #"["*"]"#)
        #expect(try singleError(#"{"version": "1", "hide": {"a": 1}}"#).message == "hide must be a list of tool names, not an object")
        let errors = loadErrors(#"{"version": "1", "hide": ["ok", "", 3]}"#)
        #expect(errors.map(\.path.description) == ["hide[1]", "hide[2]"])
        #expect(errors.map(\.message) == ["a hide entry must not be empty", "a hide entry must be a string, not a number"])
    }
}
