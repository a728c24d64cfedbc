import Foundation
import GatehouseCore
import MCP
import Testing
@testable import GatehouseDemo

/// The simulated exchange: deterministic answers that follow from the calls before them, and
/// annotations that put each tool in the risk class the demo is about.
@Suite struct DemoExchangeTests {
    @Test func annotationsClassifyEachToolAsIntended() throws {
        let expected: [String: RiskClass] = [
            "get_ticker": .read, "list_open_orders": .read, "open_listen_key": .write, "close_listen_key": .write,
            "place_order": .financial, "withdraw": .financial, "delete_api_key": .destructive,
        ]
        #expect(Set(ExchangeTools.all.map(\.name)) == Set(expected.keys))
        for tool in ExchangeTools.all {
            let annotations = try JSONParser.parse(Array(JSONEncoder().encode(tool.annotations)))
            #expect(RiskClass.classify(name: tool.name, description: tool.description, annotations: annotations) == expected[tool.name],
                    "\(tool.name)")
            #expect(tool.annotations.readOnlyHint != nil && tool.annotations.openWorldHint != nil, "\(tool.name) says too little")
            #expect(tool.inputSchema.objectValue?["type"] == "object")
        }
    }

    @Test func listenKeysOpenAndCloseOnce() {
        var account = ExchangeAccount()
        let opened = account.openListenKey()
        let key = try! #require(opened.structured?["listenKey"]?.stringValue)
        #expect(key.count == 60 && !opened.isError)
        #expect(account.closeListenKey(key).isError == false)
        let again = account.closeListenKey(key)
        #expect(again.isError && again.text.contains("already closed"))
        #expect(account.openListenKey().structured?["listenKey"]?.stringValue != key)
    }

    @Test func answersAreTheSameEveryRun() {
        var a = ExchangeAccount(), b = ExchangeAccount()
        for _ in 0..<5 {
            #expect(a.ticker(symbol: "BTCUSDT") == b.ticker(symbol: "BTCUSDT"))
            #expect(a.openListenKey() == b.openListenKey())
        }
    }

    @Test func limitOrdersRestMarketOrdersFill() {
        var account = ExchangeAccount()
        _ = account.ticker(symbol: "ETHUSDT")
        let limit = account.placeOrder(symbol: "ETHUSDT", side: "BUY", quantity: 0.5, price: 3000)
        #expect(limit.structured?["status"] == "NEW")
        let market = account.placeOrder(symbol: "ETHUSDT", side: "SELL", quantity: 0.1, price: nil)
        #expect(market.structured?["status"] == "FILLED")
        let open = account.listOpenOrders(symbol: nil)
        #expect(open.structured?["orders"]?.arrayValue?.count == 1)
        #expect(open.text.contains("#\(limit.structured?["orderId"]?.intValue ?? 0) BUY 0.5 ETHUSDT @ 3000"))
        #expect(account.placeOrder(symbol: "XYZUSDT", side: "BUY", quantity: 1, price: 1).isError)
    }

    @Test func withdrawalsSpendTheBalance() {
        var account = ExchangeAccount()
        let w = account.withdraw(asset: "USDT", amount: 1500, address: AgentPlan.withdrawalAddress)
        #expect(!w.isError && w.structured?["balanceAfter"] == .double(248_500))
        #expect(account.withdraw(asset: "USDT", amount: 1_000_000, address: AgentPlan.withdrawalAddress).isError)
    }

    @Test func deskParsesArgumentsAndRefusesMissingOnes() async {
        let desk = ExchangeDesk()
        #expect(await desk.call("get_ticker", [:]).isError)
        #expect(await desk.call("place_order", ["symbol": "BTCUSDT", "side": "BUY", "quantity": "0.01", "price": 64000]).isError == false)
        #expect(await desk.call("withdraw", ["asset": "USDT", "amount": .int(10), "address": "0x1"]).isError == false)
    }
}
