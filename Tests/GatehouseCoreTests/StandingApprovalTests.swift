import Testing
@testable import GatehouseCore

/// Standing approvals: an operator pre-approves a held tool for a session, a time, or for good.
@Suite("Runtime: standing approvals")
struct StandingApprovalTests {
    static let policy = #"{"version": "1", "tools": {"trade": {"action": "require_approval", "rate_limit": "2/minute"}}}"#

    @Test func aMatchingGrantSkipsTheHoldAndReservesCounters() throws {
        let e = try makeEngine(Self.policy)
        let state = RuntimeState(grants: [ApprovalGrant(id: "g1", tool: "trade", grantedBy: "erin")])
        let d = e.decide(call("trade"), state: state, now: 0)
        #expect(d.verdict.isAllow)
        #expect(d.reservation != nil)
        #expect(d.trace.contains(TraceStep("approval", "covered by standing approval g1 from erin (always)")))
        _ = e.decide(call("trade"), state: state, now: 1)
        #expect(e.decide(call("trade"), state: state, now: 2).verdict.isRateLimited, "limits still apply")
    }

    @Test func sessionGrantsCoverOnlyTheirSession() throws {
        let e = try makeEngine(Self.policy)
        let state = RuntimeState(grants: [ApprovalGrant(id: "g", tool: "trade", session: "s1", grantedBy: "erin")])
        #expect(e.decide(call("trade", session: "s1"), state: state, now: 0).verdict.isAllow)
        #expect(e.decide(call("trade", session: "s2"), state: state, now: 0).verdict.isHold)
    }

    @Test func expiredGrantsNoLongerCover() throws {
        let e = try makeEngine(Self.policy)
        let state = RuntimeState(grants: [ApprovalGrant(id: "g", tool: "trade", expiresAt: 100, grantedBy: "erin")])
        #expect(e.decide(call("trade"), state: state, now: 99.9).verdict.isAllow)
        #expect(e.decide(call("trade"), state: state, now: 100).verdict.isHold, "a grant ends at expiresAt")
    }

    @Test func grantsAreForOneExactTool() throws {
        let e = try makeEngine(#"{"version": "1", "default": "require_approval"}"#)
        let state = RuntimeState(grants: [ApprovalGrant(id: "g", tool: "trade", grantedBy: "erin")])
        #expect(e.decide(call("trade_all"), state: state, now: 0).verdict.isHold)
    }

    @Test func grantsDoNotOpenDeniedTools() throws {
        let e = try makeEngine(#"{"version": "1", "tools": {"trade": {"action": "deny"}}}"#)
        let state = RuntimeState(grants: [ApprovalGrant(id: "g", tool: "trade", grantedBy: "erin")])
        #expect(e.decide(call("trade"), state: state, now: 0).verdict.isDeny)
    }

    @Test func heldCallsAreAdmittedLaterWithTheirCharges() throws {
        let e = try makeEngine(Self.policy)
        let held = e.decide(call("trade"), now: 0)
        #expect(held.verdict.isHold)
        #expect(held.reservation == nil, "holding takes no budget")
        #expect(held.charges.count == 1)
        let admitted = e.admit(held, approvedBy: "erin", now: 30)
        #expect(admitted.verdict.isAllow)
        #expect(admitted.reservation?.at == 30)
        #expect(admitted.trace.last == TraceStep("counter rate_limit:trade[session:s1]", "+1 (max 2 per minute)"))
        _ = e.admit(e.decide(call("trade"), now: 31), approvedBy: "erin", now: 31)
        #expect(e.admit(e.decide(call("trade"), now: 32), approvedBy: "erin", now: 32).verdict.isRateLimited)
    }

    @Test func aCallTheCountersWouldRefuseIsNotHeld() throws {
        let e = try makeEngine(Self.policy)
        let grant = RuntimeState(grants: [ApprovalGrant(id: "g", tool: "trade", grantedBy: "erin")])
        _ = e.decide(call("trade"), state: grant, now: 0)
        _ = e.decide(call("trade"), state: grant, now: 0)
        let d = e.decide(call("trade"), now: 1)
        #expect(d.verdict.isRateLimited, "nobody is asked to approve a call that cannot go through")
    }

    @Test func scopeDescriptions() {
        #expect(ApprovalGrant(id: "a", tool: "t", session: "s", grantedBy: "x").scopeDescription == "this session")
        #expect(ApprovalGrant(id: "a", tool: "t", expiresAt: 5, grantedBy: "x").scopeDescription == "a limited time")
        #expect(ApprovalGrant(id: "a", tool: "t", grantedBy: "x").scopeDescription == "always")
    }
}
