import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// The kill switch stops every call, held ones included, and stays engaged across restarts.
@Suite struct KillSwitchTests {
    @Test(arguments: Backend.allCases)
    func theKillSwitchDeniesNewAndHeldCalls(backend: Backend) throws {
        let h = try Harness(policy: Policies.standard, storage: backend.storage)
        h.call(1, "transfer")
        _ = try #require(h.pending(1))
        let info = try h.enforcer.engageKillSwitch(by: "ops", reason: "incident 42")
        #expect(info.engaged)
        #expect(info.by == "ops")
        #expect(info.reason == "incident 42")

        let held = try #require(h.answer(1))
        #expect(held.isToolError)
        #expect(held.resultText == "Kill switch engaged by ops: every tool call is blocked.")
        #expect(h.enforcer.pendingApprovals().isEmpty)

        h.call(2, "get_time")
        let fresh = try #require(h.answer(2))
        #expect(fresh.isToolError)
        #expect(fresh.resultText?.hasPrefix("Kill switch engaged by ops at ") == true)
        #expect(fresh.resultText?.contains("(incident 42)") == true)
        #expect(h.toUpstream.count == 0)
        #expect(h.enforcer.snapshot().killSwitch.engaged)
        #expect(h.enforcer.snapshot().tools.allSatisfy { $0.state == "denied" })

        // Other traffic still flows: the agent can list tools and ping.
        h.client(Msg.request(3, "ping"))
        #expect(h.forwarded(3))
    }

    @Test func engagingTwiceKeepsTheFirst() throws {
        let h = try Harness(policy: Policies.standard)
        _ = try h.enforcer.engageKillSwitch(by: "ops", reason: "first")
        let again = try h.enforcer.engageKillSwitch(by: "other", reason: "second")
        #expect(again.by == "ops")
        #expect(again.reason == "first")
    }

    @Test func theKillSwitchSurvivesANewGatewayOnTheSameState() throws {
        let dir = try TemporaryDirectory()
        do {
            let h = try Harness(policy: Policies.standard, storage: .shared(dir))
            _ = try h.enforcer.engageKillSwitch(by: "ops", reason: nil)
        }
        let again = try Harness(policy: Policies.standard, storage: .shared(dir))
        #expect(again.enforcer.snapshot().killSwitch.engaged)
        again.call(1, "get_time")
        #expect(again.answer(1)?.isToolError == true)
        #expect(again.toUpstream.count == 0)

        _ = try again.enforcer.releaseKillSwitch(by: "ops")
        let third = try Harness(policy: Policies.standard, storage: .shared(dir))
        #expect(!third.enforcer.snapshot().killSwitch.engaged)
        third.call(1, "get_time")
        #expect(third.forwarded(1))
    }

    @Test func releasingLetsCallsThroughAgain() throws {
        let h = try Harness(policy: Policies.standard)
        _ = try h.enforcer.engageKillSwitch(by: "ops", reason: nil)
        h.call(1, "get_time")
        #expect(h.answer(1)?.isToolError == true)
        let info = try h.enforcer.releaseKillSwitch(by: "ops")
        #expect(!info.engaged)
        h.call(2, "get_time")
        #expect(h.forwarded(2))
        // Releasing when it is not engaged is harmless.
        #expect(try !h.enforcer.releaseKillSwitch(by: "ops").engaged)
    }

    @Test func aCallAlreadyForwardedStillGetsItsAnswer() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "get_time")
        _ = try h.enforcer.engageKillSwitch(by: "ops", reason: nil)
        h.upstreamAnswers(1, text: "12:00")
        #expect(h.answer(1)?.resultText == "12:00")
    }
}
