import Testing
@testable import GatehouseCore

/// Runtime overrides: an operator replaces one tool's action without editing the policy.
@Suite("Runtime: overrides")
struct OverrideTests {
    static let policy = #"""
        {"version": "1", "default": "deny", "tools": {
          "trade": {"action": "require_approval", "deny_if": [{"path": "args.qty", "op": "gt", "value": 10}],
                    "limits": [{"counter": "trades", "window": 60, "max": 1}]},
          "read": {}}}
        """#

    private func state(_ tool: String, _ action: PolicyAction) -> RuntimeState {
        RuntimeState(overrides: [tool: ToolOverride(action: action, setBy: "carol", setAt: 100)])
    }

    @Test func denyOverrideBlocksAnAllowedTool() throws {
        let e = try makeEngine(Self.policy)
        let d = e.decide(call("read"), state: state("read", .deny), now: 0)
        #expect(d.verdict == .deny(reason: #"Tool "read" was blocked by operator carol."#, rule: "override"))
        #expect(d.trace.contains(TraceStep("override", "deny (set by carol)")))
    }

    @Test func allowOverrideSkipsApprovalButKeepsConditionsAndLimits() throws {
        let e = try makeEngine(Self.policy)
        let s = state("trade", .allow)
        let d = e.decide(call("trade", ["qty": 1]), state: s, now: 0)
        #expect(d.verdict.isAllow)
        #expect(d.rule == "override")
        #expect(e.decide(call("trade", ["qty": 50]), state: s, now: 0).verdict.isDeny, "deny_if still applies")
        #expect(e.decide(call("trade", ["qty": 1]), state: s, now: 1).verdict.isRateLimited, "limits still apply")
    }

    @Test func allowOverrideOpensAToolTheDefaultDenies() throws {
        let e = try makeEngine(Self.policy)
        #expect(e.decide(call("unlisted"), now: 0).verdict.isDeny)
        #expect(e.decide(call("unlisted"), state: state("unlisted", .allow), now: 0).verdict.isAllow)
    }

    @Test func requireApprovalOverrideHoldsWithTheRulesSettings() throws {
        let e = try makeEngine(#"{"version": "1", "approval": {"timeout": "10m"}, "tools": {"read": {"approval": {"on_timeout": "allow"}}}}"#)
        let d = e.decide(call("read"), state: state("read", .requireApproval), now: 0)
        #expect(d.verdict == .hold(ApprovalSettings(timeout: 600, onTimeout: .allow)))
    }

    @Test func overridesMatchExactToolNamesOnly() throws {
        let e = try makeEngine(Self.policy)
        #expect(e.decide(call("read"), state: state("rea*", .deny), now: 0).verdict.isAllow)
    }
}
