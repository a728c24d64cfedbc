import Testing
@testable import GatehouseCore

/// The order in which `decide` takes its steps, and that each earlier step decides before later ones.
@Suite("Evaluation order")
struct EvaluationOrderTests {
    /// Which `PolicyEngine.evaluationOrder` step a trace line belongs to.
    static func step(of t: TraceStep) -> String? {
        let c = t.check
        if c == "kill switch" || c == "hide" || c == "rule" || c == "override" || c == "action" || c == "approval" { return c }
        if c.hasPrefix("all_tools ") || c.hasPrefix("tools[") { return "conditions" }
        // Charges name a bare counter; reservations name a keyed one: `spend[grant:alice]`.
        if c.hasPrefix("counter ") { return c.hasSuffix("]") ? "counters" : "charges" }
        if c == "counters" { return "counters" }
        return nil
    }

    static let policy = #"""
        {"version": "1", "default": "deny", "hide": ["secret_*"],
         "all_tools": {"require": [{"path": "args.ok", "op": "neq", "value": false}],
                       "deny_if": [{"path": "args.blocked", "op": "eq", "value": true}],
                       "limits": [{"counter": "all", "window": 60, "max": 100}]},
         "tools": {
           "trade": {"require": [{"path": "args.qty", "op": "gt", "value": 0}],
                     "deny_if": [{"path": "args.qty", "op": "gt", "value": 10}],
                     "limits": [{"counter": "spend", "window": 60, "max": 1000, "increment_from": "args.qty"}]},
           "big_trade": {"action": "require_approval", "limits": [{"counter": "big", "window": 60, "max": 5, "increment_from": "args.qty"}]},
           "frozen": {"action": "deny", "deny_if": [{"path": "args.qty", "op": "gt", "value": 0}]},
           "secret_x": {"action": "allow"}}}
        """#

    @Test func aFullTraceFollowsTheDocumentedOrder() throws {
        let e = try makeEngine(Self.policy)
        let d = e.decide(call("trade", ["qty": 5]), now: 0)
        #expect(d.verdict.isAllow)
        #expect(d.trace.map(\.description) == [
            "kill switch: off",
            #"rule: tools["trade"] (exact)"#,
            "action: allow",
            "all_tools require args.ok neq false: holds",
            "all_tools deny_if args.blocked eq true: does not hold",
            #"tools["trade"] require args.qty gt 0: holds"#,
            #"tools["trade"] deny_if args.qty gt 10: does not hold"#,
            "counter all[grant:alice]: +1 (max 100 per minute)",
            "counter spend[grant:alice]: +5 (max 1000 per minute)",
        ])
        let order = PolicyEngine.evaluationOrder
        let indices = d.trace.compactMap { Self.step(of: $0) }.compactMap { order.firstIndex(of: $0) }
        #expect(indices.count == d.trace.count)
        #expect(indices == indices.sorted())
    }

    @Test func theStepsAreTheDocumentedNine() {
        #expect(PolicyEngine.evaluationOrder == ["kill switch", "hide", "rule", "override", "action", "conditions", "charges", "approval", "counters"])
    }

    @Test func killSwitchComesBeforeHide() throws {
        let e = try makeEngine(Self.policy)
        let d = e.decide(call("secret_x"), state: RuntimeState(killSwitch: KillSwitch(engagedBy: "a", engagedAt: 0)), now: 0)
        #expect(d.verdict.denyRule == "kill_switch")
    }

    @Test func hideComesBeforeTheRuleAndADenyOverride() throws {
        let e = try makeEngine(Self.policy)
        #expect(e.decide(call("secret_x"), now: 0).verdict.denyRule == "hide")
        let state = RuntimeState(overrides: ["secret_x": ToolOverride(action: .deny, setBy: "o", setAt: 0)])
        #expect(e.decide(call("secret_x"), state: state, now: 0).verdict.denyRule == "hide")
    }

    @Test func overrideComesBeforeTheRulesAction() throws {
        let e = try makeEngine(Self.policy)
        let state = RuntimeState(overrides: ["frozen": ToolOverride(action: .allow, setBy: "o", setAt: 0)])
        #expect(e.decide(call("frozen"), now: 0).verdict.denyReason == #"Tool "frozen" is denied by policy."#)
        #expect(e.decide(call("frozen"), state: state, now: 0).verdict.isAllow)
    }

    @Test func actionDenyComesBeforeConditions() throws {
        let e = try makeEngine(Self.policy)
        // Its deny_if would say something else; the action decides first.
        let d = e.decide(call("frozen", ["qty": "not a number"]), now: 0)
        #expect(d.verdict.denyReason == #"Tool "frozen" is denied by policy."#)
        #expect(!d.trace.contains { Self.step(of: $0) == "conditions" })
    }

    @Test func allToolsConditionsComeBeforeTheRules() throws {
        let e = try makeEngine(Self.policy)
        let d = e.decide(call("trade", ["qty": 50, "blocked": true]), now: 0)
        #expect(d.verdict.denyRule == "all_tools")
    }

    @Test func conditionsComeBeforeCharges() throws {
        let e = try makeEngine(Self.policy)
        // qty is missing: the require fails before the spend counter could complain about it.
        let d = e.decide(call("trade", [:]), now: 0)
        #expect(d.verdict.denyReason?.contains("requires args.qty gt 0") == true)
    }

    @Test func chargesComeBeforeApproval() throws {
        let e = try makeEngine(Self.policy)
        let d = e.decide(call("big_trade", ["qty": "many"]), now: 0)
        #expect(d.verdict.isDeny, "a call whose spend cannot be counted is not put to a person")
        #expect(e.decide(call("big_trade", ["qty": 2]), now: 0).verdict.isHold)
    }

    @Test func approvalComesBeforeReservingCounters() throws {
        let e = try makeEngine(Self.policy)
        let held = e.decide(call("big_trade", ["qty": 5]), now: 0)
        #expect(held.verdict.isHold)
        #expect(held.reservation == nil)
        #expect(try e.counters.usage(CounterKey(counter: "big", scope: .grant, subject: "alice"), window: 60, max: 5, now: 0).used == 0)
    }

    @Test func defaultActionIsUsedOnlyWhenNoRuleMatches() throws {
        let e = try makeEngine(Self.policy)
        let d = e.decide(call("unknown"), now: 0)
        #expect(d.trace.map(\.description) == ["kill switch: off", "rule: none; default is deny", "action: deny"])
    }
}
