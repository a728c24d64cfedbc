import GatehouseCore
import MCP

/// What the simulated trading agent does, episode after episode, forever: mostly ordinary work
/// (prices, orders, user data streams), with the mistakes a policy exists for mixed in.
/// Seeded, so every run of the demo tells the same story.
public struct AgentPlan: Sendable {
    public enum Episode: String, Sendable, CaseIterable {
        case marketCheck = "market check"
        case userStream = "user data stream"
        case smallOrder = "small order"
        case oversizedOrder = "oversized order"
        case offListOrder = "order on a pair that is not tradable"
        case withdrawal = "withdrawal"
        case wrongAssetWithdrawal = "withdrawal of a non-USDT asset"
        case hugeWithdrawal = "withdrawal over the daily cap"
        case hiddenTool = "hidden tool"
        case runaway = "runaway retry loop"
    }

    /// One pass through this list takes about two minutes at normal speed, long enough for the
    /// runaway loop's rate-limit window to drain before it comes round again.
    public static let cycle: [Episode] = [
        .marketCheck, .userStream, .smallOrder, .marketCheck, .oversizedOrder, .withdrawal, .userStream,
        .marketCheck, .hiddenTool, .smallOrder, .runaway, .marketCheck, .offListOrder, .userStream,
        .hugeWithdrawal, .marketCheck, .smallOrder, .wrongAssetWithdrawal,
    ]

    /// Calls in the runaway loop: more than the per-minute budget, so the limit is seen to bite.
    public static let runawayCalls = DemoPolicy.listenKeyRate + 6
    /// Where the agent sends withdrawals: well formed, so only the approver and the cap stand in the way.
    public static let withdrawalAddress = "0x8f3a61c0d5e94b27a6c1e0f4b9d2735ae10c4b6d"

    private var rng: SplitMix64
    private var position = 0

    public init(seed: UInt64 = 0x6761_7465_686F) {
        rng = SplitMix64(seed: seed)
    }

    /// The next episode and its steps.
    public mutating func next() -> (episode: Episode, steps: [AgentStep]) {
        let episode = Self.cycle[position % Self.cycle.count]
        position += 1
        var steps = steps(for: episode)
        steps.append(.pause(uniform(1.0, 3.0)))
        return (episode, steps)
    }

    mutating func steps(for episode: Episode) -> [AgentStep] {
        switch episode {
        case .marketCheck:
            var s: [AgentStep] = []
            for symbol in pick(from: DemoPolicy.tradableSymbols, count: Int(uniform(1, 3.99))) {
                s += [.call(AgentCall(ExchangeTools.getTicker, ["symbol": .string(symbol)], intent: "check the price")), gap()]
            }
            let all = Bool.random(using: &rng)
            let args: [String: Value] = all ? [:] : ["symbol": .string(DemoPolicy.tradableSymbols[0])]
            s += [.call(AgentCall(ExchangeTools.listOpenOrders, args, intent: "review open orders")), gap()]
            return s
        case .userStream:
            return [
                .call(AgentCall(ExchangeTools.openListenKey, intent: "start a user data stream")), gap(),
                .call(AgentCall(ExchangeTools.getTicker, ["symbol": .string(pick(from: DemoPolicy.tradableSymbols, count: 1)[0])],
                                intent: "check the price")), gap(),
                .call(AgentCall(ExchangeTools.closeListenKey, intent: "end the user data stream", need: .openListenKey)), gap(),
            ]
        case .smallOrder:
            let symbol = pick(from: DemoPolicy.tradableSymbols, count: 1)[0]
            return [
                .call(AgentCall(ExchangeTools.getTicker, ["symbol": .string(symbol)], intent: "price an order")), gap(),
                .call(order(symbol, quantity: smallQuantity(symbol), intent: "place a small order")), gap(),
            ]
        case .oversizedOrder:
            return [.call(order("BTCUSDT", quantity: Double(DemoPolicy.maxOrderQuantity * 6), intent: "place an oversized order")), gap()]
        case .offListOrder:
            return [
                .call(AgentCall(ExchangeTools.getTicker, ["symbol": "DOGEUSDT"], intent: "price an order")), gap(),
                .call(order("DOGEUSDT", quantity: 2, intent: "trade a pair that is not tradable")), gap(),
            ]
        case .withdrawal:
            let amount = (uniform(500, 2500) / 50).rounded() * 50
            return [.call(withdraw("USDT", amount, intent: "withdraw profits")), gap()]
        case .wrongAssetWithdrawal:
            return [.call(withdraw("BTC", 0.25, intent: "withdraw BTC")), gap()]
        case .hugeWithdrawal:
            return [.call(withdraw("USDT", Double(DemoPolicy.dailyWithdrawalCap) * 2.5, intent: "withdraw everything")), gap()]
        case .hiddenTool:
            return [.call(AgentCall(ExchangeTools.deleteAPIKey, ["apiKeyId": "read-only-dashboard"], intent: "tidy up API keys")), gap()]
        case .runaway:
            // A loop that retries a failing close without backing off: the stream is long closed.
            var s: [AgentStep] = []
            for _ in 0..<Self.runawayCalls {
                s += [.call(AgentCall(ExchangeTools.closeListenKey, intent: "runaway retry loop", need: .closedListenKey)), .pause(0.05)]
            }
            return s
        }
    }

    private mutating func order(_ symbol: String, quantity: Double, intent: String) -> AgentCall {
        let reference = MarketPrices.listing(symbol)?.reference ?? 1
        let side = Bool.random(using: &rng) ? "BUY" : "SELL"
        // A limit a little away from the market, as a careful agent would place it.
        let offset = side == "BUY" ? uniform(0.990, 0.999) : uniform(1.001, 1.010)
        let decimals = MarketPrices.listing(symbol)?.decimals ?? 2
        let price = MarketPrices.round(reference * offset, decimals)
        return AgentCall(ExchangeTools.placeOrder,
                         ["symbol": .string(symbol), "side": .string(side), "quantity": .double(quantity), "price": .double(price)],
                         intent: intent, mayBeHeld: true)
    }

    private func withdraw(_ asset: String, _ amount: Double, intent: String) -> AgentCall {
        AgentCall(ExchangeTools.withdraw,
                  ["asset": .string(asset), "amount": .double(amount), "address": .string(Self.withdrawalAddress)],
                  intent: intent, mayBeHeld: true)
    }

    /// A few hundred to a few thousand dollars' worth in the pair's own units, within the policy's size limit.
    private mutating func smallQuantity(_ symbol: String) -> Double {
        let reference = MarketPrices.listing(symbol)?.reference ?? 1
        let q = min(uniform(150, 4000) / reference, Double(DemoPolicy.maxOrderQuantity) * 0.9)
        let places = q < 0.1 ? 3 : 2
        return max(MarketPrices.round(q, places), 0.001)
    }

    private mutating func gap() -> AgentStep { .pause(uniform(0.8, 2.2)) }

    private mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(rng.next() >> 11) / Double(1 << 53)
    }

    private mutating func pick(from items: [String], count: Int) -> [String] {
        var pool = items
        var out: [String] = []
        for _ in 0..<min(count, pool.count) {
            out.append(pool.remove(at: Int(rng.next() % UInt64(pool.count))))
        }
        return out
    }
}
