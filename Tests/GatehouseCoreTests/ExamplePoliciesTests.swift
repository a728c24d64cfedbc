import Foundation
import Testing
@testable import GatehouseCore

/// The policies in examples/ load cleanly and decide as their comments say.
@Suite("Example policies")
struct ExamplePoliciesTests {
    static let examples = DocsInStepTests.repositoryRoot.appendingPathComponent("examples")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
    }

    static func engine(_ name: String) throws -> PolicyEngine {
        let r = PolicyLoader.load(try text(name), file: name)
        let policy = try #require(r.policy, "\(name): \(r.errors.map(\.description))")
        return PolicyEngine(policy: policy, counters: InMemoryCounterStore())
    }

    @Test func everyExampleLoadsWithoutErrorsOrWarnings() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path).sorted()
        #expect(names.count >= 3)
        for name in names {
            let r = PolicyLoader.load(try Self.text(name), file: name)
            #expect(r.policy != nil, "\(name): \(r.errors.map(\.description))")
            #expect(r.warnings.isEmpty, "\(name): \(r.warnings.map(\.description))")
        }
    }

    @Test func theSeedIsPolicyLayersPolicyVerbatim() throws {
        let seed = #"{"version": "1", "default": "deny", "tools": {"BinanceFuturesCloseListenKey": {"limits": [{"counter": "binancefuturescloselistenkey_rate", "window": "minute", "max": 30, "scope": "grant"}]}}}"#
        #expect(try Self.text("policylayer-seed.json").trimmingCharacters(in: .newlines) == seed)
    }

    @Test func tradingDesk() throws {
        let e = try Self.engine("trading-desk.json")
        let order: JSONValue = ["symbol": "BTCUSDT", "side": "BUY", "quantity": 1, "notional": 60000]
        #expect(e.decide(call("BinanceFuturesNewOrder", order), now: 0).verdict.isAllow)
        var big = order
        if case .object(var o) = big { o["quantity"] = 6; big = .object(o) }
        #expect(e.decide(call("BinanceFuturesNewOrder", big), now: 0).verdict.denyReason?.hasPrefix("Orders must be on an approved symbol") == true)
        var noNotional = order
        if case .object(var o) = noNotional { o["notional"] = nil; noNotional = .object(o) }
        #expect(e.decide(call("BinanceFuturesNewOrder", noNotional), now: 0).verdict.isDeny)
        #expect(e.decide(call("BinanceFuturesWithdraw"), now: 0).verdict.denyRule == "hide")
        #expect(e.decide(call("BinanceFuturesGetPositions"), now: 0).verdict.isAllow)
        #expect(e.decide(call("BinanceFuturesCancelAllOrders"), now: 0).verdict == .hold(ApprovalSettings(timeout: 600, onTimeout: .deny)))
        #expect(e.decide(call("BinanceFuturesChangeLeverage"), now: 0).verdict.isDeny)
        // Four more orders use the daily notional cap (5 × 60000 > 250000).
        for t in 1...3 { #expect(e.decide(call("BinanceFuturesNewOrder", order), now: Double(t)).verdict.isAllow) }
        #expect(e.decide(call("BinanceFuturesNewOrder", order), now: 4).verdict.breach?.charge.key.counter == "notional_usd")
    }

    @Test func orderActionsAreSharedBetweenOrdersAndCancels() throws {
        let e = try Self.engine("trading-desk.json")
        for t in 0..<20 { #expect(e.decide(call("BinanceFuturesCancelOrder"), now: Double(t) / 10).verdict.isAllow) }
        let order: JSONValue = ["symbol": "ETHUSDT", "side": "SELL", "quantity": 1, "notional": 3000]
        #expect(e.decide(call("BinanceFuturesNewOrder", order), now: 3).verdict.breach?.charge.key.counter == "order_actions")
    }

    @Test func codingAgent() throws {
        let e = try Self.engine("coding-agent.yaml")
        #expect(e.decide(call("read_file", ["path": "/workspace/a.swift"]), now: 0).verdict.isAllow)
        #expect(e.decide(call("read_file", ["path": "/home/me/.ssh/id_ed25519"]), now: 0).verdict.denyRule == "all_tools")
        #expect(e.decide(call("write_file", ["path": "/workspace/x"]), now: 0).verdict.isAllow)
        #expect(e.decide(call("write_file", ["path": "/etc/passwd"]), now: 0).verdict.denyReason?.hasPrefix("The agent may only write inside /workspace.") == true)
        #expect(e.decide(call("write_file", ["path": "/workspace/../etc/passwd"]), now: 0).verdict.isDeny)
        #expect(e.decide(call("git_status"), now: 0).verdict.isAllow)
        #expect(e.decide(call("git_commit"), now: 0).verdict == .hold(ApprovalSettings(timeout: 600, onTimeout: .deny)))
        #expect(e.decide(call("git_push_force"), now: 0).verdict.denyRule == "hide")
        #expect(e.decide(call("run_command", ["command": "sudo make install"]), now: 0).verdict.isDeny)
        #expect(e.decide(call("run_command", ["command": "swift test"]), now: 0).verdict.isHold)
        #expect(e.decide(call("fetch_url"), now: 0).verdict == .hold(.standard))
    }
}
