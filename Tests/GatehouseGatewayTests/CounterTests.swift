import Foundation
import GatehouseCore
import GatehouseTesting
import GRDB
import Synchronization
import Testing
@testable import GatehouseGateway

/// Counters are reserved when a call is forwarded, kept when it is answered, and given back when
/// the upstream fails it; gateways sharing a state directory share `grant` and `global` budgets.
@Suite struct CounterTests {
    static func used(_ h: Harness, _ counter: String) -> Double? {
        h.enforcer.snapshot().counters.first { $0.counter == counter }?.used
    }

    @Test(arguments: Backend.allCases)
    func aResultCommitsTheCharge(backend: Backend) throws {
        let h = try Harness(policy: Policies.standard, storage: backend.storage)
        h.call(1, "limited")
        #expect(Self.used(h, "rate_limit:limited") == 1)
        h.upstreamAnswers(1)
        #expect(Self.used(h, "rate_limit:limited") == 1)
        // A tool error is still work done: it counts.
        h.call(2, "limited")
        h.upstreamAnswers(2, isError: true)
        #expect(Self.used(h, "rate_limit:limited") == 2)
        h.call(3, "limited")
        #expect(h.answer(3)?.gatehouseDecision == "rate_limited")
    }

    @Test(arguments: Backend.allCases)
    func aJSONRPCErrorGivesTheQuotaBack(backend: Backend) throws {
        let h = try Harness(policy: Policies.standard, storage: backend.storage)
        h.call(1, "limited")
        h.call(2, "limited")
        h.upstream(Msg.error(1, code: -32000, "backend down"))
        #expect(h.answer(1)?.errorMessage == "backend down")
        #expect(Self.used(h, "rate_limit:limited") == 1)
        h.call(3, "limited")
        #expect(h.forwarded(3))
        h.call(4, "limited")
        #expect(h.answer(4)?.gatehouseDecision == "rate_limited")
    }

    @Test func aSpendCapGivesBackTheAmountOfAFailedCall() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "spend", ["amount": 90])
        #expect(Self.used(h, "budget") == 90)
        h.upstream(Msg.error(1, code: -32603, "failed"))
        #expect(Self.used(h, "budget") == 0)
        h.call(2, "spend", ["amount": 100])
        #expect(h.forwarded(2))
    }

    @Test func theWindowRolls() throws {
        let clock = TestClock()
        let h = try Harness(policy: Policies.standard, clock: clock)
        for id in 1...2 {
            h.call(.number(id), "limited")
            h.upstreamAnswers(.number(id))
        }
        h.call(3, "limited")
        #expect(h.answer(3)?.isToolError == true)
        clock.advance(61)
        h.call(4, "limited")
        #expect(h.forwarded(4))
    }

    @Test func twoGatewaysOnOneStateDirectoryShareAGrantBudget() throws {
        let dir = try TemporaryDirectory()
        let a = try Harness(policy: Policies.standard, storage: .shared(dir), name: "a", session: "sa", grant: "team")
        let b = try Harness(policy: Policies.standard, storage: .shared(dir), name: "b", session: "sb", grant: "team")
        a.call(1, "shared_budget")
        b.call(1, "shared_budget")
        a.call(2, "shared_budget")
        #expect(a.forwarded(1) && b.forwarded(1) && a.forwarded(2))
        b.call(2, "shared_budget")
        let refused = try #require(b.answer(2))
        #expect(refused.gatehouseDecision == "rate_limited")
        #expect(refused.resultText?.contains(#"for grant "team""#) == true)
        a.call(3, "shared_budget")
        #expect(a.answer(3)?.gatehouseDecision == "rate_limited")

        // Another grant has its own budget.
        let c = try Harness(policy: Policies.standard, storage: .shared(dir), name: "c", session: "sc", grant: "other")
        c.call(1, "shared_budget")
        #expect(c.forwarded(1))
    }

    @Test func sessionBudgetsAreNotShared() throws {
        let dir = try TemporaryDirectory()
        let a = try Harness(policy: Policies.standard, storage: .shared(dir), session: "sa")
        let b = try Harness(policy: Policies.standard, storage: .shared(dir), session: "sb")
        a.call(1, "limited")
        a.call(2, "limited")
        a.call(3, "limited")
        #expect(a.answer(3)?.isToolError == true)
        b.call(1, "limited")
        #expect(b.forwarded(1))
    }

    @Test func concurrentGatewaysNeverOverAdmit() throws {
        let dir = try TemporaryDirectory()
        let gateways = try (0..<3).map { i in
            try Harness(policy: Policies.standard, storage: .shared(dir), name: "g\(i)", session: "s\(i)", grant: "team")
        }
        DispatchQueue.concurrentPerform(iterations: 30) { i in
            gateways[i % 3].call(.number(i), "shared_budget")
        }
        let forwarded = gateways.map(\.toUpstream.count).reduce(0, +)
        let refused = gateways.flatMap(\.toClient.messages).filter { $0.gatehouseDecision == "rate_limited" }.count
        #expect(forwarded == 3)
        #expect(refused == 27)
    }

    @Test func chargesThatLeftTheirWindowAreDroppedFromTheStore() throws {
        let clock = TestClock()
        let h = try Harness(policy: Policies.standard, pruneInterval: 0.1, clock: clock)
        let store = try #require(h.store)
        func rows() throws -> Int {
            store.flushJournal()  // session charges reach SQLite through the journal
            return try store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM counter_charge") ?? -1 }
        }
        for id in 1...2 {
            h.call(.number(id), "limited")
            h.upstreamAnswers(.number(id))
        }
        h.call(3, "spend", ["amount": 5])
        #expect(try rows() == 3)
        // The minute window has passed, the hour window has not.
        clock.advance(61)
        #expect(waitUntil { (try? rows()) == 1 }, "expired charges were never dropped")
        #expect(Self.used(h, "budget") == 5)
        h.call(4, "limited")
        #expect(h.forwarded(4))
    }
}
