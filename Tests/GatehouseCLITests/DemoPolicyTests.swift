import Foundation
import GatehouseCore
import Testing
@testable import GatehouseDemo

/// The embedded demo policy: it loads cleanly, and it decides the demo's calls the way the demo
/// promises (every policy feature shows up in the stream).
@Suite struct DemoPolicyTests {
    let policy: Policy

    init() throws {
        let r = PolicyLoader.load(DemoPolicy.text, file: DemoPolicy.fileName)
        #expect(r.errors.isEmpty, "\(r.errors.map(\.description))")
        #expect(r.warnings.isEmpty, "\(r.warnings.map(\.description))")
        policy = try #require(r.policy)
    }

    func decide(_ tool: String, _ args: JSONValue = [:], engine: PolicyEngine? = nil, now: Double = 1000) -> Decision {
        (engine ?? PolicyEngine(policy: policy, counters: InMemoryCounterStore()))
            .decide(CallContext(tool: tool, arguments: args, grant: "trading-bot", session: "s"), now: now)
    }

    @Test func isJSONWithCommentsAndEveryFeature() {
        #expect(DemoPolicy.text.hasPrefix("//"))
        #expect(policy.defaultAction == .deny)
        #expect(policy.hide.map(\.text) == [ExchangeTools.deleteAPIKey])
        #expect(policy.approval == ApprovalSettings(timeout: Double(DemoPolicy.approvalTimeoutSeconds), onTimeout: .deny))
        #expect(policy.allTools.limits.map(\.counter) == ["all_calls"])
        let withdraw = try! #require(policy.rule(for: ExchangeTools.withdraw))
        #expect(withdraw.limits.first?.incrementFrom?.description == "args.amount")
        #expect(withdraw.approval?.timeout == Double(DemoPolicy.approvalTimeoutSeconds))
        let order = try! #require(policy.rule(for: ExchangeTools.placeOrder))
        #expect(order.limits.contains { $0.counter == "rate_limit:place_order" && $0.window == 3600 && $0.max == 20 })
        #expect(!order.require.isEmpty && !order.denyIf.isEmpty && order.reason != nil)
    }

    @Test func everyDemoToolHasARuleOrIsHidden() {
        for tool in ExchangeTools.all.map(\.name) {
            #expect(policy.rule(for: tool) != nil || policy.isHidden(tool), "\(tool)")
        }
    }

    @Test func readsPassAndUnknownToolsAreDenied() {
        #expect(decide(ExchangeTools.getTicker, ["symbol": "BTCUSDT"]).verdict.kind == "allow")
        #expect(decide(ExchangeTools.listOpenOrders).verdict.kind == "allow")
        #expect(decide("transfer_between_accounts").verdict.kind == "deny")
    }

    @Test func theHiddenToolIsNotAvailable() {
        let d = decide(ExchangeTools.deleteAPIKey, ["apiKeyId": "trading-bot"])
        #expect(d.verdict.kind == "deny" && d.rule == "hide")
        #expect(d.message?.contains("not available") == true)
    }

    @Test func aRunawayLoopHitsTheListenKeyLimit() {
        let engine = PolicyEngine(policy: policy, counters: InMemoryCounterStore())
        let kinds = (0..<(DemoPolicy.listenKeyRate + 2)).map { i in
            decide(ExchangeTools.closeListenKey, ["listenKey": "k"], engine: engine, now: 1000 + Double(i) * 0.05).verdict.kind
        }
        #expect(kinds.prefix(DemoPolicy.listenKeyRate).allSatisfy { $0 == "allow" })
        #expect(kinds.suffix(2) == ["rate_limited", "rate_limited"])
    }

    @Test func ordersAreHeldUnlessTooLargeOrOnAnUntradablePair() {
        let ok = decide(ExchangeTools.placeOrder, ["symbol": "BTCUSDT", "side": "BUY", "quantity": 0.05, "price": 64000])
        guard case .hold(let settings) = ok.verdict else { Issue.record("not held: \(ok.verdict)"); return }
        #expect(settings.timeout == 45 && settings.onTimeout == .deny)

        let big = decide(ExchangeTools.placeOrder, ["symbol": "BTCUSDT", "side": "SELL", "quantity": 12])
        #expect(big.verdict.kind == "deny")
        #expect(big.message?.contains("at most \(DemoPolicy.maxOrderQuantity) units") == true)

        let doge = decide(ExchangeTools.placeOrder, ["symbol": "DOGEUSDT", "side": "BUY", "quantity": 2])
        #expect(doge.verdict.kind == "deny")
        #expect(doge.message?.contains("requires args.symbol in") == true)
    }

    @Test func withdrawalsAreUSDTOnlyHeldAndCapped() {
        let address = AgentPlan.withdrawalAddress
        #expect(decide(ExchangeTools.withdraw, ["asset": "USDT", "amount": 1500, "address": .string(address)]).verdict.kind == "hold")
        #expect(decide(ExchangeTools.withdraw, ["asset": "BTC", "amount": 0.25, "address": .string(address)]).verdict.kind == "deny")
        #expect(decide(ExchangeTools.withdraw, ["asset": "USDT", "amount": 100, "address": "bc1qnot-hex"]).verdict.kind == "deny")
        let huge = decide(ExchangeTools.withdraw, ["asset": "USDT", "amount": .number(Double(DemoPolicy.dailyWithdrawalCap) * 2.5),
                                                   "address": .string(address)])
        #expect(huge.verdict.kind == "rate_limited")
        #expect(huge.message?.contains("can never fit") == true)
    }
}
