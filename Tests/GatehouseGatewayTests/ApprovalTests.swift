import Foundation
import GatehouseCore
import GatehouseTesting
import Synchronization
import Testing
@testable import GatehouseGateway

/// Held calls: operators approve (with a scope) or deny them; the first resolution wins.
@Suite struct ApprovalTests {
    @Test func aHeldCallWaitsWithoutAnAnswerAndIsNotForwarded() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer", ["amount": 10])
        let p = try #require(h.pending(1))
        #expect(p.call.tool == "transfer")
        #expect(p.call.outcome == .held)
        #expect(p.onTimeout == "deny")
        #expect(p.expiresAt - p.heldAt == 600)
        #expect(p.call.argsHash == (["amount": 10] as JSONValue).argumentsHash)
        #expect(h.toUpstream.count == 0)
        #expect(h.toClient.count == 0)
    }

    @Test(arguments: Backend.allCases)
    func approvingOnceForwardsTheOriginalRequestAndPassesTheAnswerBack(backend: Backend) throws {
        let h = try Harness(policy: Policies.standard, storage: backend.storage)
        let request = h.call(1, "transfer", ["amount": 10])
        let p = try #require(h.pending(1))
        let record = try h.enforcer.approve(ApproveParams(id: p.id, scope: .once), by: "bob")
        #expect(record.outcome == .forwarded)
        #expect(record.approver == "bob")
        #expect(record.approvalScope == "once")
        #expect(h.toUpstream.lines == [request])
        h.upstreamAnswers(1, text: "sent")
        #expect(h.answer(1)?.resultText == "sent")
        #expect(h.enforcer.pendingApprovals().isEmpty)

        // Once means once: the next call of the tool is held again.
        h.call(2, "transfer", ["amount": 10])
        #expect(h.pending(2) != nil)
        #expect(!h.forwarded(2))
    }

    @Test(arguments: [ApprovalScope.duration, .session, .always], Backend.allCases)
    func aStandingApprovalReleasesTheToolsOtherHeldCallsAndCoversLaterOnes(scope: ApprovalScope, backend: Backend) throws {
        let h = try Harness(policy: Policies.standard, storage: backend.storage)
        h.call(1, "transfer", ["amount": 1])
        h.call(2, "transfer", ["amount": 2])
        h.call(3, "wire", ["amount": 3])
        let first = try #require(h.pending(1))
        _ = try #require(h.pending(2))
        _ = try #require(h.pending(3))

        _ = try h.enforcer.approve(ApproveParams(id: first.id, scope: scope, durationSeconds: scope == .duration ? 3600 : nil),
                                   by: "bob")
        #expect(h.forwarded(1))
        #expect(h.forwarded(2))
        // Another tool's held call is not covered.
        #expect(!h.forwarded(3))
        #expect(h.enforcer.pendingApprovals().map(\.call.tool) == ["wire"])

        let released = try #require(h.enforcer.recentCalls(limit: 10).first { $0.arguments == ["amount": 2] })
        #expect(released.approver == "bob")
        #expect(released.outcome == .forwarded)

        // Later calls of the tool go straight through.
        h.call(4, "transfer", ["amount": 4])
        #expect(h.forwarded(4))
        #expect(h.enforcer.pendingApprovals().count == 1)
    }

    @Test func approvingAlwaysIsAnOverrideThatOutlivesTheGateway() throws {
        let dir = try TemporaryDirectory()
        do {
            let h = try Harness(policy: Policies.standard, storage: .shared(dir))
            h.call(1, "transfer")
            let p = try #require(h.pending(1))
            _ = try h.enforcer.approve(ApproveParams(id: p.id, scope: .always), by: "bob")
            #expect(h.forwarded(1))
            let info = try #require(h.enforcer.snapshot().tools.first { $0.name == "transfer" })
            #expect(info.override == "allow")
            #expect(info.overrideBy == "bob")
        }
        let again = try Harness(policy: Policies.standard, storage: .shared(dir))
        again.call(1, "transfer")
        #expect(again.forwarded(1))
    }

    @Test func aDurationApprovalEnds() throws {
        let clock = TestClock()
        let h = try Harness(policy: Policies.standard, clock: clock)
        h.call(1, "transfer")
        let p = try #require(h.pending(1))
        _ = try h.enforcer.approve(ApproveParams(id: p.id, scope: .duration, durationSeconds: 60), by: "bob")
        h.call(2, "transfer")
        #expect(h.forwarded(2))
        clock.advance(61)
        h.call(3, "transfer")
        #expect(h.pending(3) != nil)
        #expect(!h.forwarded(3))
    }

    @Test func aSessionApprovalDoesNotCoverAnotherSession() throws {
        let dir = try TemporaryDirectory()
        let a = try Harness(policy: Policies.standard, storage: .shared(dir), session: "A")
        a.call(1, "transfer")
        let p = try #require(a.pending(1))
        _ = try a.enforcer.approve(ApproveParams(id: p.id, scope: .session), by: "bob")
        // A later gateway on the same state reads the grant, but it is for session A only.
        let b = try Harness(policy: Policies.standard, storage: .shared(dir), session: "B")
        b.call(1, "transfer")
        #expect(b.pending(1) != nil)
        #expect(!b.forwarded(1))
    }

    @Test func aDurationApprovalNeedsASaneDuration() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer")
        let p = try #require(h.pending(1))
        for d in [nil, 0, -5, 8 * 86400] as [Double?] {
            #expect(throws: Enforcer.CommandError.self) {
                _ = try h.enforcer.approve(ApproveParams(id: p.id, scope: .duration, durationSeconds: d), by: "bob")
            }
        }
        // Still held, nothing forwarded.
        #expect(h.enforcer.pendingApprovals().count == 1)
        #expect(h.toUpstream.count == 0)
    }

    @Test(arguments: Backend.allCases)
    func denyingWithAReasonTellsTheAgentWhy(backend: Backend) throws {
        let h = try Harness(policy: Policies.standard, storage: backend.storage)
        h.call(1, "transfer", ["amount": 1_000_000])
        let p = try #require(h.pending(1))
        let record = try h.enforcer.deny(DenyParams(id: p.id, reason: "  far too much  "), by: "bob")
        #expect(record.outcome == .denied)
        let answer = try #require(h.answer(1))
        #expect(answer.isToolError)
        #expect(answer.resultText == "Denied by operator bob: far too much.")
        #expect(answer.gatehouseDecision == "deny")
        #expect(answer["result"]?["_meta"]?["gatehouse/rule"] == "operator")
        #expect(h.toUpstream.count == 0)
        #expect(h.enforcer.pendingApprovals().isEmpty)
    }

    @Test func denyingWithoutAReason() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer")
        let p = try #require(h.pending(1))
        _ = try h.enforcer.deny(DenyParams(id: p.id), by: "bob")
        #expect(h.answer(1)?.resultText == "Denied by operator bob.")
    }

    @Test func theFirstResolutionWins() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer")
        let p = try #require(h.pending(1))
        _ = try h.enforcer.deny(DenyParams(id: p.id, reason: "no"), by: "bob")
        do {
            _ = try h.enforcer.approve(ApproveParams(id: p.id), by: "carol")
            Issue.record("a second resolution was accepted")
        } catch {
            guard case .alreadyResolved(let message) = error else { Issue.record("wrong error \(error)"); return }
            #expect(message.contains("already denied by bob"))
        }
        #expect(throws: Enforcer.CommandError.self) { _ = try h.enforcer.deny(DenyParams(id: p.id), by: "carol") }
        #expect(h.toUpstream.count == 0)
        // Exactly one answer.
        #expect(h.toClient.messages.filter { $0["id"] == 1 }.count == 1)

        h.call(2, "transfer")
        let q = try #require(h.pending(2))
        _ = try h.enforcer.approve(ApproveParams(id: q.id), by: "carol")
        do {
            _ = try h.enforcer.deny(DenyParams(id: q.id), by: "bob")
            Issue.record("a second resolution was accepted")
        } catch {
            guard case .alreadyResolved(let message) = error else { Issue.record("wrong error \(error)"); return }
            #expect(message.contains("already approved by carol"))
        }
    }

    @Test func racingResolutionsResolveExactlyOnce() throws {
        let h = try Harness(policy: Policies.standard, storage: .memory)
        for round in 0..<20 {
            let id = JSONValue.number(round)
            h.call(id, "transfer", ["round": id])
            let p = try #require(h.pending(id))
            let wins = Mutex(0)
            DispatchQueue.concurrentPerform(iterations: 8) { i in
                do {
                    if i % 2 == 0 {
                        _ = try h.enforcer.approve(ApproveParams(id: p.id), by: "op\(i)")
                    } else {
                        _ = try h.enforcer.deny(DenyParams(id: p.id), by: "op\(i)")
                    }
                    wins.withLock { $0 += 1 }
                } catch {
                    guard case .alreadyResolved? = error as? Enforcer.CommandError else {
                        Issue.record("unexpected \(error)")
                        return
                    }
                }
            }
            #expect(wins.withLock { $0 } == 1)
            let forwarded = h.forwarded(id) ? 1 : 0
            let answered = h.toClient.messages.filter { $0["id"] == id }.count
            #expect(forwarded + answered == 1, "round \(round): forwarded \(forwarded), answered \(answered)")
        }
    }

    @Test func anApprovalForOtherArgumentsIsRefused() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer", ["amount": 10])
        let p = try #require(h.pending(1))
        let stale = (["amount": 1] as JSONValue).argumentsHash
        do {
            _ = try h.enforcer.approve(ApproveParams(id: p.id, argsHash: stale), by: "bob")
            Issue.record("approved with the wrong hash")
        } catch {
            guard case .mismatch = error else { Issue.record("wrong error \(error)"); return }
        }
        #expect(throws: Enforcer.CommandError.self) { _ = try h.enforcer.deny(DenyParams(id: p.id, argsHash: stale), by: "bob") }
        #expect(h.enforcer.pendingApprovals().count == 1)
        #expect(h.toUpstream.count == 0)
        _ = try h.enforcer.approve(ApproveParams(id: p.id, argsHash: p.call.argsHash), by: "bob")
        #expect(h.forwarded(1))
    }

    @Test func heldCallsAreFoundByAUniqueIdPrefix() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer")
        let p = try #require(h.pending(1))
        _ = try h.enforcer.approve(ApproveParams(id: String(p.id.prefix(6))), by: "bob")
        #expect(h.forwarded(1))
        do {
            _ = try h.enforcer.approve(ApproveParams(id: "no-such-call"), by: "bob")
            Issue.record("approved a call that does not exist")
        } catch {
            guard case .notFound = error else { Issue.record("wrong error \(error)"); return }
        }
    }

    @Test func anApprovedCallStillObeysItsCounters() throws {
        let h = try Harness(policy: Policies.standard)
        // Both are held while the counter is empty; only one fits once approved.
        h.call(1, "held_limited")
        h.call(2, "held_limited")
        let p1 = try #require(h.pending(1))
        let p2 = try #require(h.pending(2))
        _ = try h.enforcer.approve(ApproveParams(id: p1.id), by: "bob")
        #expect(h.forwarded(1))
        let r2 = try h.enforcer.approve(ApproveParams(id: p2.id), by: "bob")
        #expect(r2.outcome == .rateLimited)
        let answer = try #require(h.answer(2))
        #expect(answer.isToolError)
        #expect(answer.resultText?.contains("Rate limit reached") == true)
        #expect(!h.forwarded(2))
        // A third call is not even held: the counter is full, so nobody is asked.
        h.call(3, "held_limited")
        #expect(h.answer(3)?.gatehouseDecision == "rate_limited")
        #expect(h.enforcer.pendingApprovals().isEmpty)
    }

    @Test func theClientCanCancelAHeldCall() throws {
        let h = try Harness(policy: Policies.standard)
        h.call("c-1", "transfer")
        let p = try #require(h.pending("c-1"))
        h.client(Msg.notification("notifications/cancelled", ["requestId": "c-1", "reason": "user gave up"]))
        #expect(h.enforcer.pendingApprovals().isEmpty)
        // No answer (the client asked for none), nothing upstream (it never heard of the call).
        #expect(h.toClient.count == 0)
        #expect(h.toUpstream.count == 0)
        let record = try #require(h.enforcer.recentCalls(limit: 5).first { $0.id == p.id })
        #expect(record.outcome == .cancelled)
        #expect(record.reason == "Cancelled by the client: user gave up.")
        do {
            _ = try h.enforcer.approve(ApproveParams(id: p.id), by: "bob")
            Issue.record("approved a cancelled call")
        } catch {
            guard case .alreadyResolved(let message) = error else { Issue.record("wrong error \(error)"); return }
            #expect(message.contains("cancelled"))
        }
        // The id is free again.
        h.call("c-1", "get_time")
        #expect(h.forwarded("c-1"))
    }

    @Test func cancellingByTheWrongIdTypeDoesNotCancel() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer")
        _ = try #require(h.pending(1))
        h.client(Msg.notification("notifications/cancelled", ["requestId": "1"]))
        #expect(h.enforcer.pendingApprovals().count == 1)
    }

    @Test func aClientThatHangsUpCancelsItsHeldCalls() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer")
        h.call(2, "wire")
        _ = try #require(h.pending(1))
        _ = try #require(h.pending(2))
        h.enforcer.clientClosed()
        #expect(h.enforcer.pendingApprovals().isEmpty)
        let rows = try h.auditRows()
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.outcome == .cancelled })
    }
}
