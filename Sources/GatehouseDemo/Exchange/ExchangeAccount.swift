import Foundation
import GatehouseCore
import MCP

/// The demo's exchange account: balances, open orders, user-data-stream listen keys and API keys,
/// all in memory and deterministic, so every answer follows from the calls before it.
struct ExchangeAccount: Sendable {
    struct Order: Sendable, Equatable {
        var id: Int
        var symbol: String
        var side: String
        var quantity: Double
        var price: Double
        var status: String
    }

    private(set) var balances: [String: Double] = ["USDT": 250_000, "BTC": 3.5, "ETH": 40, "SOL": 600, "BNB": 120, "DOGE": 0]
    private(set) var openOrders: [Order] = []
    private(set) var listenKeys: [String] = []
    private(set) var apiKeys: [String] = ["trading-bot", "read-only-dashboard"]
    private var market = MarketPrices()
    private var nextOrderID = 4_100_001
    private var nextWithdrawalID = 7_001
    private var keySeed = SplitMix64(seed: 0x6C69_7374_656E)

    // MARK: - Reads

    mutating func ticker(symbol: String) -> ToolReply {
        guard let q = market.quote(symbol) else { return unknownSymbol(symbol) }
        let sign = q.changePercent >= 0 ? "+" : ""
        return .ok("\(symbol) last \(q.format(q.last)) (bid \(q.format(q.bid)), ask \(q.format(q.ask))), \(sign)\(String(format: "%.2f", q.changePercent))% today",
                   ["symbol": .string(symbol), "last": .double(q.last), "bid": .double(q.bid), "ask": .double(q.ask),
                    "changePercent": .double(q.changePercent)])
    }

    func listOpenOrders(symbol: String?) -> ToolReply {
        if let symbol, MarketPrices.listing(symbol) == nil { return unknownSymbol(symbol) }
        let orders = openOrders.filter { symbol == nil || $0.symbol == symbol }
        let text = orders.isEmpty
            ? "No open orders" + (symbol.map { " for \($0)" } ?? "") + "."
            : "\(orders.count) open order\(orders.count == 1 ? "" : "s"): "
                + orders.map { "#\($0.id) \($0.side) \(Self.amount($0.quantity)) \($0.symbol) @ \(Self.amount($0.price))" }.joined(separator: "; ")
        return .ok(text, ["orders": .array(orders.map(Self.describe))])
    }

    // MARK: - Listen keys

    /// Starts a user data stream. A new key every time, as the real endpoints do for a closed stream.
    mutating func openListenKey() -> ToolReply {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var key = ""
        for _ in 0..<60 { key.append(alphabet[Int(keySeed.next() % UInt64(alphabet.count))]) }
        listenKeys.append(key)
        return .ok("Listen key \(key) opened; it stays valid for 60 minutes unless closed.",
                   ["listenKey": .string(key), "validForMinutes": .int(60)])
    }

    /// Invalidates a key; the stream can be reopened with a new one, so nothing is lost for good.
    mutating func closeListenKey(_ key: String) -> ToolReply {
        guard let i = listenKeys.firstIndex(of: key) else {
            return .failure("Listen key \(Self.short(key)) does not exist or was already closed (code -1125).")
        }
        listenKeys.remove(at: i)
        return .ok("Listen key \(Self.short(key)) closed; its user data stream has ended.",
                   ["listenKey": .string(key), "closed": .bool(true)])
    }

    // MARK: - Money

    /// A limit order rests on the book; without a price it fills at the last price at once.
    mutating func placeOrder(symbol: String, side: String, quantity: Double, price: Double?) -> ToolReply {
        guard MarketPrices.listing(symbol) != nil else { return unknownSymbol(symbol) }
        guard side == "BUY" || side == "SELL" else { return .failure("side must be BUY or SELL, not \(side).") }
        guard quantity > 0, quantity.isFinite else { return .failure("quantity must be positive.") }
        if let price, !(price > 0 && price.isFinite) { return .failure("price must be positive.") }
        let fillPrice = price ?? market.lastPrice(symbol) ?? 0
        let id = nextOrderID
        nextOrderID += 1
        let order = Order(id: id, symbol: symbol, side: side, quantity: quantity, price: fillPrice, status: price == nil ? "FILLED" : "NEW")
        if price == nil {
            return .ok("Market order #\(id) filled: \(side) \(Self.amount(quantity)) \(symbol) at \(Self.amount(fillPrice)).",
                       Self.describe(order).objectValue)
        }
        openOrders.append(order)
        return .ok("Limit order #\(id) placed: \(side) \(Self.amount(quantity)) \(symbol) @ \(Self.amount(fillPrice)); it is open on the book.",
                   Self.describe(order).objectValue)
    }

    mutating func withdraw(asset: String, amount: Double, address: String) -> ToolReply {
        guard let balance = balances[asset] else { return .failure("Unknown asset \(asset).") }
        guard amount > 0, amount.isFinite else { return .failure("amount must be positive.") }
        guard amount <= balance else {
            return .failure("Insufficient balance: \(Self.amount(balance)) \(asset) available, \(Self.amount(amount)) requested.")
        }
        balances[asset] = balance - amount
        let id = nextWithdrawalID
        nextWithdrawalID += 1
        return .ok("Withdrawal #\(id) of \(Self.amount(amount)) \(asset) to \(Self.short(address)) submitted; \(Self.amount(balance - amount)) \(asset) left.",
                   ["withdrawalId": .int(id), "asset": .string(asset), "amount": .double(amount), "address": .string(address),
                    "balanceAfter": .double(balance - amount)])
    }

    // MARK: - Keys

    mutating func deleteAPIKey(_ id: String) -> ToolReply {
        guard let i = apiKeys.firstIndex(of: id) else { return .failure("No API key named \(id).") }
        apiKeys.remove(at: i)
        return .ok("API key \(id) deleted. Anything using it has lost access for good.", ["deleted": .string(id)])
    }

    // MARK: - Formatting

    private func unknownSymbol(_ s: String) -> ToolReply {
        .failure("Unknown symbol \(s); listed: \(MarketPrices.symbols.joined(separator: ", ")).")
    }

    static func describe(_ o: Order) -> Value {
        .object(["orderId": .int(o.id), "symbol": .string(o.symbol), "side": .string(o.side), "quantity": .double(o.quantity),
                 "price": .double(o.price), "status": .string(o.status)])
    }

    /// Up to 8 decimals, trailing zeros dropped: 0.05, 1500, 64250.5.
    static func amount(_ v: Double) -> String {
        var s = String(format: "%.8f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func short(_ s: String) -> String { s.count > 14 ? "\(s.prefix(8))…\(s.suffix(4))" : s }
}
