import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// `notifications/cancelled` for a call the gateway already forwarded: the upstream is told, and
/// the call ends as cancelled even when the upstream (as the spec allows) never answers it.
@Suite struct CancellationTests {
    @Test func aForwardedCallThatIsCancelledEndsAsCancelled() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "limited")
        let cancel = #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"reason":"user stopped"}}"#
        h.client(cancel)
        #expect(h.toUpstream.texts.last == cancel)
        #expect(h.toClient.count == 0)
        let record = try #require(h.enforcer.recentCalls(limit: 5).last)
        #expect(record.outcome == .cancelled)
        #expect(record.reason?.contains("user stopped") == true)
        #expect(try h.auditRows().first?.outcome == .cancelled)
        // The upstream may have done the work: the charge stays.
        #expect(h.enforcer.snapshot().counters.first { $0.counter == "rate_limit:limited" }?.used == 1)
        // Its exit later does not answer the cancelled request.
        h.enforcer.upstreamExited("exited")
        #expect(h.toClient.messages.filter { $0["id"] == 1 }.isEmpty)
    }

    @Test func anAnswerThatArrivesAfterTheCancellationIsPassedOnUntouched() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "echo")
        h.client(Msg.notification("notifications/cancelled", ["requestId": 1]))
        let late = #"{"jsonrpc":"2.0","id":1,"error":{"code":0,"message":"Request cancelled"}}"#
        h.upstream(late)
        #expect(h.toClient.texts == [late])
        #expect(try h.auditRows().first?.outcome == .cancelled)
    }

    @Test func cancellingAnUnknownRequestJustGoesUpstream() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "echo")
        h.client(Msg.notification("notifications/cancelled", ["requestId": 99]))
        #expect(h.toUpstream.count == 2)
        h.upstreamAnswers(1)
        #expect(h.enforcer.recentCalls(limit: 5).last?.outcome == .ok)
    }
}
