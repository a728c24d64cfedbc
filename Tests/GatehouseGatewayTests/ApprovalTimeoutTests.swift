import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// A held call nobody answers ends as its policy says; a waiting client hears progress.
@Suite struct ApprovalTimeoutTests {
    @Test func anUnansweredCallIsDeniedWhenItTimesOut() throws {
        let h = try Harness(policy: Policies.shortTimeout(onTimeout: "deny"))
        h.call(1, "transfer", ["amount": 5])
        let p = try #require(h.pending(1))
        #expect(p.onTimeout == "deny")
        let answer = try #require(h.answer(1))
        #expect(answer.isToolError)
        #expect(answer.gatehouseDecision == "timeout")
        #expect(answer.resultText == "No operator approved this call within 1s, so it was denied.")
        #expect(h.toUpstream.count == 0)
        #expect(h.enforcer.pendingApprovals().isEmpty)
        let row = try #require(try h.auditRow(callID: p.id))
        #expect(row.outcome == .timedOut)
        do {
            _ = try h.enforcer.approve(ApproveParams(id: p.id), by: "late-bob")
            Issue.record("approved a call that timed out")
        } catch {
            guard case .alreadyResolved(let m) = error else { Issue.record("wrong error \(error)"); return }
            #expect(m.contains("timed out"))
        }
    }

    @Test func anUnansweredCallIsForwardedWhenItsPolicySaysAllow() throws {
        let h = try Harness(policy: Policies.shortTimeout(onTimeout: "allow"))
        let request = h.call(1, "transfer", ["amount": 5])
        let p = try #require(h.pending(1))
        #expect(p.onTimeout == "allow")
        #expect(waitUntil { h.forwarded(1) })
        #expect(h.toUpstream.lines == [request])
        h.upstreamAnswers(1, text: "sent")
        #expect(h.answer(1)?.resultText == "sent")
        let row = try #require(waitFor { try h.auditRow(callID: p.id).flatMap { $0.outcome == .ok ? $0 : nil } })
        #expect(row.approver == "timeout")
        #expect(row.approvalScope == "on_timeout: allow")
    }

    @Test func anOperatorWhoAnswersInTimeWinsOverTheTimeout() throws {
        let h = try Harness(policy: Policies.shortTimeout(onTimeout: "deny"))
        h.call(1, "transfer")
        let p = try #require(h.pending(1))
        _ = try h.enforcer.approve(ApproveParams(id: p.id), by: "bob")
        #expect(h.forwarded(1))
        // Once the timer has had its chance, there is still no refusal for the call.
        h.call(2, "transfer")
        _ = try #require(h.answer(2))  // the second call timed out, so the first one's timer has fired too
        #expect(h.toClient.messages.filter { $0["id"] == 1 }.isEmpty)
    }

    @Test func aWaitingClientWithAProgressTokenHearsProgress() throws {
        let h = try Harness(policy: Policies.standard, progressInterval: 0.2)
        h.call(1, "transfer", progressToken: "tok-1")
        let p = try #require(h.pending(1))
        #expect(h.toClient.waitForCount(3))
        let progress = h.toClient.messages.filter { $0["method"] == "notifications/progress" }
        #expect(progress.count >= 3)
        #expect(progress.allSatisfy { $0["params"]?["progressToken"] == "tok-1" })
        #expect(progress.compactMap { $0["params"]?["progress"]?.intValue }.prefix(3) == [1, 2, 3])
        #expect(progress.first?["params"]?["message"]?.stringValue?.hasPrefix("Waiting for operator approval (deny in ") == true)
        #expect(h.toClient.messages.allSatisfy { $0["method"] == "notifications/progress" })

        _ = try h.enforcer.deny(DenyParams(id: p.id), by: "bob")
        _ = try #require(h.answer(1))
        // The timers see the call is gone: nothing follows the answer, even after several intervals.
        // (Another held call's progress is the marker that enough time has passed.)
        h.call(2, "wire", progressToken: 99)
        #expect(h.toClient.first { $0["params"]?["progressToken"] == 99 && $0["params"]?["progress"] == 3 } != nil)
        let afterAnswer = h.toClient.messages.drop { $0["id"] != 1 }.dropFirst()
        #expect(afterAnswer.allSatisfy { $0["params"]?["progressToken"] == 99 })
    }

    @Test func noProgressWithoutAToken() throws {
        let h = try Harness(policy: Policies.standard, progressInterval: 0.2)
        h.call(1, "transfer")
        h.call(2, "wire", progressToken: "marker")
        _ = try #require(h.pending(1))
        #expect(h.toClient.first { $0["params"]?["progress"] == 3 } != nil)
        #expect(h.toClient.messages.allSatisfy { $0["params"]?["progressToken"] == "marker" })
    }

    @Test func noProgressFollowsACallsAnswer() throws {
        let h = try Harness(policy: Policies.standard, storage: .memory, progressInterval: 0.004, slowProgressWrites: true)
        for i in 0..<40 {
            let id = JSONValue.number(i)
            h.call(id, "transfer", ["i": id], progressToken: id)
            let p = try #require(h.pending(id))
            // Resolve while progress is being written.
            _ = h.toClient.first { $0["params"]?["progressToken"] == id }
            Thread.sleep(forTimeInterval: 0.002)
            _ = try h.enforcer.deny(DenyParams(id: p.id), by: "bob")
        }
        // Give any straggler time to arrive, then check the order per call.
        Thread.sleep(forTimeInterval: 0.1)
        let messages = h.toClient.messages
        for i in 0..<40 {
            let id = JSONValue.number(i)
            guard let answered = messages.firstIndex(where: { $0["id"] == id }) else {
                Issue.record("call \(i) got no answer")
                continue
            }
            let late = messages[answered...].filter { $0["params"]?["progressToken"] == id }
            #expect(late.isEmpty, "call \(i): \(late.count) progress notification(s) after its answer")
        }
    }
}
