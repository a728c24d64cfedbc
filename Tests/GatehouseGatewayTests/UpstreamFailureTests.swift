import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// When the upstream dies, nothing the client asked is left unanswered.
@Suite struct UpstreamFailureTests {
    @Test func anExitFailsEveryOpenRequestWithAJSONRPCError() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request(0, "initialize", [:]))
        h.client(Msg.request(1, "tools/list"))
        h.call(2, "get_time")
        h.call(3, "transfer")
        _ = try #require(h.pending(3))
        h.enforcer.upstreamExited("exited (exited with code 1)")
        for id in 0...3 {
            let answer = try #require(h.answer(.number(id)), "request \(id) got no answer")
            #expect(answer.errorCode == -32603)
            #expect(answer.errorMessage == "Upstream unavailable: exited (exited with code 1)")
        }
        #expect(h.enforcer.pendingApprovals().isEmpty)
        #expect(!h.enforcer.snapshot().upstreamRunning)
    }

    @Test func otherForwardedRequestsAreFailedToo() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request(1, "resources/list"))
        h.client(Msg.request("p", "prompts/get", ["name": "x"]))
        h.client(Msg.request(2, "ping"))
        h.upstream(Msg.result(2, [:]))
        #expect(h.forwarded(1))
        h.enforcer.upstreamExited("closed its output")
        #expect(h.answer(1)?.errorCode == -32603)
        #expect(h.answer("p")?.errorCode == -32603)
        // The request that was answered is not answered twice.
        #expect(h.toClient.messages.filter { $0["id"] == 2 }.count == 1)
    }

    @Test func aCancelledRequestIsNotAnsweredWhenTheUpstreamExits() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request(1, "resources/list"))
        h.client(Msg.request(2, "resources/list"))
        h.client(Msg.notification("notifications/cancelled", ["requestId": 1]))
        h.enforcer.upstreamExited("exited")
        #expect(h.answer(2)?.errorCode == -32603)
        #expect(h.toClient.messages.filter { $0["id"] == 1 }.isEmpty)
    }

    @Test func laterRequestsAreAnsweredAtOnceAndNotificationsDropped() throws {
        let h = try Harness(policy: Policies.standard)
        h.enforcer.upstreamExited("failed to start (nope): command not found")
        h.call(1, "get_time")
        h.client(Msg.request(2, "tools/list"))
        h.client(Msg.request(3, "resources/read", ["uri": "x"]))
        h.client(Msg.notification("notifications/initialized"))
        for id in 1...3 {
            let answer = try #require(h.answer(.number(id)))
            #expect(answer.errorCode == -32603)
            #expect(answer.errorMessage?.contains("command not found") == true)
        }
        #expect(h.toClient.count == 3)
        #expect(h.toUpstream.count == 0)
        // A refused call is still refused for its own reason.
        h.call(4, "delete_everything")
        #expect(h.answer(4)?.isToolError == true)
    }

    @Test func anApprovalAfterTheUpstreamDiedAnswersWithAnError() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer")
        _ = try #require(h.pending(1))
        h.enforcer.upstreamExited("exited")
        #expect(h.answer(1)?.errorCode == -32603)
    }

    @Test func aCallTheUpstreamCannotTakeIsFailedAndGivesItsQuotaBack() throws {
        let h = try Harness(policy: Policies.standard)
        h.upstreamAccepts.value = false
        h.call(1, "limited")
        let answer = try #require(h.answer(1))
        #expect(answer.errorCode == -32603)
        h.client(Msg.request(2, "tools/list"))
        #expect(h.answer(2)?.errorCode == -32603)
        h.upstreamAccepts.value = true
        // The failed call did not use the budget of two.
        h.call(3, "limited")
        h.call(4, "limited")
        #expect(h.forwarded(3))
        #expect(h.forwarded(4))
        let rows = try h.auditRows()
        #expect(rows.first?.outcome == .error)
        // A tools/list answer that arrives for the failed request id is not filtered as a list.
        h.upstream(Msg.toolList(2, ["secret_x"]))
        #expect(h.toClient.messages.last?.toolNames == ["secret_x"])
    }

    @Test func callsLeftInFlightAtShutdownEndAsErrors() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "limited")
        h.call(2, "echo")
        h.upstreamAnswers(2)
        h.enforcer.abandonInFlight("the gateway shut down")
        #expect(h.answer(1)?.errorMessage == "Upstream unavailable: the gateway shut down")
        let rows = try h.auditRows()
        #expect(rows.map(\.outcome) == [.error, .ok])
        // A late answer is passed on as it is, not counted twice.
        h.upstreamAnswers(1, text: "late")
        #expect(h.toClient.messages.filter { $0["id"] == 1 }.count == 2)
        #expect(try h.auditRows().map(\.outcome) == [.error, .ok])
    }
}
