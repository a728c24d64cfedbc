import Testing
@testable import GatehouseCore

/// The kill switch: while engaged, nothing passes, whatever the policy or overrides say.
@Suite("Runtime: kill switch")
struct KillSwitchTests {
    @Test func blocksEveryCall() throws {
        let e = try makeEngine(#"{"version": "1", "default": "allow"}"#)
        let state = RuntimeState(
            killSwitch: KillSwitch(engagedBy: "dave", engagedAt: 0, reason: "runaway agent"),
            overrides: ["read": ToolOverride(action: .allow, setBy: "ops", setAt: 0)],
            grants: [ApprovalGrant(id: "g1", tool: "read", grantedBy: "ops")])
        let d = e.decide(call("read"), state: state, now: 5)
        #expect(d.verdict == .deny(
            reason: "Kill switch engaged by dave at 1970-01-01T00:00:00Z: every tool call is blocked (runaway agent).",
            rule: "kill_switch"))
        #expect(d.trace == [TraceStep("kill switch", "engaged by dave")], "nothing else is evaluated")
        #expect(d.reservation == nil)
    }

    @Test func reasonIsOptional() throws {
        let e = try makeEngine(#"{"version": "1", "default": "allow"}"#)
        let d = e.decide(call("x"), state: RuntimeState(killSwitch: KillSwitch(engagedBy: "dave", engagedAt: 86400)), now: 0)
        #expect(d.verdict.denyReason == "Kill switch engaged by dave at 1970-01-02T00:00:00Z: every tool call is blocked.")
    }

    @Test func takesNoCounters() throws {
        let e = try makeEngine(#"{"version": "1", "tools": {"t": {"rate_limit": "1/minute"}}}"#)
        _ = e.decide(call("t"), state: RuntimeState(killSwitch: KillSwitch(engagedBy: "d", engagedAt: 0)), now: 0)
        #expect(e.decide(call("t"), now: 1).verdict.isAllow, "the blocked call did not use the budget")
    }

    @Test func statusShowsEveryToolDenied() throws {
        let e = try makeEngine(#"{"version": "1", "default": "allow"}"#)
        let s = e.status(of: "x", state: RuntimeState(killSwitch: KillSwitch(engagedBy: "d", engagedAt: 0)))
        #expect(s.action == .deny)
        #expect(s.summary == "denied")
    }
}
