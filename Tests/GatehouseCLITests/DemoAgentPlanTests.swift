import Foundation
import GatehouseCore
import MCP
import Testing
@testable import GatehouseDemo

/// The agent's script: the same story every run, and one that exercises every part of the policy.
@Suite struct DemoAgentPlanTests {
    func calls(_ plan: inout AgentPlan, episodes: Int) -> [(AgentPlan.Episode, AgentCall)] {
        var out: [(AgentPlan.Episode, AgentCall)] = []
        for _ in 0..<episodes {
            let (e, steps) = plan.next()
            for case .call(let c) in steps { out.append((e, c)) }
        }
        return out
    }

    @Test func theSameSeedTellsTheSameStory() {
        var a = AgentPlan(), b = AgentPlan()
        for _ in 0..<40 { #expect(a.next().steps == b.next().steps) }
        var c = AgentPlan(seed: 42)
        var d = AgentPlan()
        #expect((0..<10).map { _ in c.next().steps } != (0..<10).map { _ in d.next().steps })
    }

    @Test func oneCycleHasEveryEpisodeAndEveryTool() {
        var plan = AgentPlan()
        let all = calls(&plan, episodes: AgentPlan.cycle.count)
        #expect(Set(all.map(\.0)) == Set(AgentPlan.Episode.allCases))
        #expect(Set(all.map(\.1.tool)) == Set(ExchangeTools.all.map(\.name)))
    }

    @Test func theRunawayLoopOutrunsTheRateLimit() {
        var plan = AgentPlan()
        let runaway = calls(&plan, episodes: AgentPlan.cycle.count).filter { $0.0 == .runaway }
        #expect(runaway.count > DemoPolicy.listenKeyRate)
        #expect(runaway.allSatisfy { $0.1.tool == ExchangeTools.closeListenKey && $0.1.need == .closedListenKey })
    }

    @Test func moneyCallsRunInTheBackgroundAndSmallOrdersStayWithinTheRules() throws {
        var plan = AgentPlan()
        let all = calls(&plan, episodes: AgentPlan.cycle.count * 3)
        let policy = try #require(PolicyLoader.load(DemoPolicy.text, file: DemoPolicy.fileName).policy)
        for (episode, call) in all where call.tool == ExchangeTools.placeOrder || call.tool == ExchangeTools.withdraw {
            #expect(call.mayBeHeld)
            guard episode == .smallOrder || episode == .withdrawal else { continue }
            // What the agent means as a normal request must reach an approver, not be refused.
            let args = try JSONParser.parse(Array(JSONEncoder().encode(call.arguments)))
            let d = PolicyEngine(policy: policy, counters: InMemoryCounterStore())
                .decide(CallContext(tool: call.tool, arguments: args, grant: "g", session: "s"), now: 0)
            #expect(d.verdict.kind == "hold", "\(episode): \(call.arguments) → \(d.message ?? "")")
        }
    }

    func answer(_ v: [String: Value], isError: Bool = false) throws -> CallTool.Result {
        try CallTool.Result(content: [], structuredContent: Value.object(v), isError: isError)
    }

    @Test func memoryFillsListenKeysFromAnswers() throws {
        var memory = AgentMemory()
        let close = AgentCall(ExchangeTools.closeListenKey, intent: "end", need: .openListenKey)
        #expect(memory.resolve(close) == nil, "nothing to close yet")
        let open = AgentCall(ExchangeTools.openListenKey, intent: "start")
        memory.observe(open, result: try answer(["listenKey": "K1"], isError: false))
        let resolved = memory.resolve(close)
        #expect(resolved?.arguments["listenKey"] == "K1" && resolved?.need == AgentCall.Need.none)
        memory.observe(close, result: try answer(["listenKey": "K1", "closed": true]))
        #expect(memory.openKeys.isEmpty && memory.closedKeys == ["K1"])
        let retry = AgentCall(ExchangeTools.closeListenKey, intent: "loop", need: .closedListenKey)
        #expect(memory.resolve(retry)?.arguments["listenKey"] == "K1")
        // A refusal from the gateway teaches the agent nothing.
        memory.observe(open, result: try answer(["listenKey": "K2"], isError: true))
        #expect(memory.openKeys.isEmpty)
    }

    @Test func reportsReadTheGatewaysVerdict() {
        func result(_ decision: String?, isError: Bool) -> CallTool.Result {
            CallTool.Result(content: [], isError: isError,
                            _meta: decision.map { Metadata(additionalFields: ["gatehouse/decision": .string($0)]) })
        }
        #expect(AgentReport.outcome(of: result("deny", isError: true)) == .denied)
        #expect(AgentReport.outcome(of: result("rate_limited", isError: true)) == .rateLimited)
        #expect(AgentReport.outcome(of: result("timeout", isError: true)) == .timedOut)
        #expect(AgentReport.outcome(of: result(nil, isError: true)) == .toolError)
        #expect(AgentReport.outcome(of: result(nil, isError: false)) == .ok)
    }
}
