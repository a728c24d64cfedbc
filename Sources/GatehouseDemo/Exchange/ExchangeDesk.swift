import MCP

/// Serialises calls onto the account: the SDK runs each request in its own task.
actor ExchangeDesk {
    private var account = ExchangeAccount()

    func call(_ name: String, _ args: [String: Value]) -> ToolReply {
        switch name {
        case ExchangeTools.getTicker:
            guard let symbol = args["symbol"]?.stringValue else { return missing("symbol") }
            return account.ticker(symbol: symbol)
        case ExchangeTools.listOpenOrders:
            return account.listOpenOrders(symbol: args["symbol"]?.stringValue)
        case ExchangeTools.openListenKey:
            return account.openListenKey()
        case ExchangeTools.closeListenKey:
            guard let key = args["listenKey"]?.stringValue else { return missing("listenKey") }
            return account.closeListenKey(key)
        case ExchangeTools.placeOrder:
            guard let symbol = args["symbol"]?.stringValue else { return missing("symbol") }
            guard let side = args["side"]?.stringValue else { return missing("side") }
            guard let quantity = Self.number(args["quantity"]) else { return missing("quantity (a number)") }
            var price: Double?
            if let p = args["price"], !p.isNull {
                guard let n = Self.number(p) else { return .failure("price must be a number.") }
                price = n
            }
            return account.placeOrder(symbol: symbol, side: side, quantity: quantity, price: price)
        case ExchangeTools.withdraw:
            guard let asset = args["asset"]?.stringValue else { return missing("asset") }
            guard let amount = Self.number(args["amount"]) else { return missing("amount (a number)") }
            guard let address = args["address"]?.stringValue else { return missing("address") }
            return account.withdraw(asset: asset, amount: amount, address: address)
        case ExchangeTools.deleteAPIKey:
            guard let id = args["apiKeyId"]?.stringValue else { return missing("apiKeyId") }
            return account.deleteAPIKey(id)
        default:
            return .failure("Unknown tool \(name).")
        }
    }

    private func missing(_ what: String) -> ToolReply { .failure("Missing argument: \(what).") }

    /// Agents send amounts as numbers or as numeric strings; both are accepted, as exchanges do.
    static func number(_ v: Value?) -> Double? {
        switch v {
        case .int(let i)?: Double(i)
        case .double(let d)?: d
        case .string(let s)?: Double(s)
        default: nil
        }
    }
}
