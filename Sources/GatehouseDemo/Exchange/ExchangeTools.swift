import MCP

/// The demo exchange's tools, with input schemas and annotations that say truthfully what each does.
/// Names and wording follow the exchange MCP servers the demo models (Binance-style listen keys).
public enum ExchangeTools {
    public static let getTicker = "get_ticker"
    public static let listOpenOrders = "list_open_orders"
    public static let openListenKey = "open_listen_key"
    public static let closeListenKey = "close_listen_key"
    public static let placeOrder = "place_order"
    public static let withdraw = "withdraw"
    public static let deleteAPIKey = "delete_api_key"

    static let symbolSchema: Value = [
        "type": "string", "description": "A listed trading pair, e.g. BTCUSDT.", "pattern": "^[A-Z0-9]{2,20}$",
    ]

    public static let all: [Tool] = [
        Tool(
            name: getTicker, title: "Get ticker",
            description: "Get the last price, best bid and ask, and today's change for a trading pair.",
            inputSchema: object(["symbol": symbolSchema], required: ["symbol"]),
            annotations: .init(title: "Get ticker", readOnlyHint: true, idempotentHint: true, openWorldHint: false)),
        Tool(
            name: listOpenOrders, title: "List open orders",
            description: "List the account's open (unfilled) orders, for one trading pair or all of them.",
            inputSchema: object(["symbol": symbolSchema], required: []),
            annotations: .init(title: "List open orders", readOnlyHint: true, idempotentHint: true, openWorldHint: false)),
        Tool(
            name: openListenKey, title: "Open listen key",
            description: "Start a user data stream and return its listen key, valid for 60 minutes. Each call opens a new stream.",
            inputSchema: object([:], required: []),
            annotations: .init(title: "Open listen key", readOnlyHint: false, destructiveHint: false, idempotentHint: false,
                               openWorldHint: false)),
        Tool(
            name: closeListenKey, title: "Close listen key",
            description: "Close a user data stream by invalidating its listen key. The stream can be reopened with a new key.",
            inputSchema: object(["listenKey": ["type": "string", "description": "The key open_listen_key returned."]],
                                required: ["listenKey"]),
            annotations: .init(title: "Close listen key", readOnlyHint: false, destructiveHint: false, idempotentHint: true,
                               openWorldHint: false)),
        Tool(
            name: placeOrder, title: "Place order",
            description: "Place an order. With a price it is a limit order that rests on the book; without one it fills at once at the last price.",
            inputSchema: object([
                "symbol": symbolSchema,
                "side": ["type": "string", "enum": ["BUY", "SELL"]],
                "quantity": ["type": "number", "exclusiveMinimum": 0, "description": "Amount of the base asset, e.g. 0.05 (BTC)."],
                "price": ["type": "number", "exclusiveMinimum": 0, "description": "Limit price in the quote asset; omit for a market order."],
            ], required: ["symbol", "side", "quantity"]),
            annotations: .init(title: "Place order", readOnlyHint: false, destructiveHint: false, idempotentHint: false,
                               openWorldHint: false)),
        Tool(
            name: withdraw, title: "Withdraw",
            description: "Withdraw funds from the exchange to an external address. Irreversible once sent.",
            inputSchema: object([
                "asset": ["type": "string", "description": "The asset to send, e.g. USDT."],
                "amount": ["type": "number", "exclusiveMinimum": 0],
                "address": ["type": "string", "description": "The destination address."],
            ], required: ["asset", "amount", "address"]),
            annotations: .init(title: "Withdraw", readOnlyHint: false, destructiveHint: true, idempotentHint: false,
                               openWorldHint: true)),
        Tool(
            name: deleteAPIKey, title: "Delete API key",
            description: "Delete one of the account's API keys. Everything using that key loses access permanently.",
            inputSchema: object(["apiKeyId": ["type": "string", "description": "The key's name, e.g. trading-bot."]],
                                required: ["apiKeyId"]),
            annotations: .init(title: "Delete API key", readOnlyHint: false, destructiveHint: true, idempotentHint: true,
                               openWorldHint: false)),
    ]

    static func object(_ properties: [String: Value], required: [String]) -> Value {
        ["type": "object", "properties": .object(properties), "required": .array(required.map(Value.string)),
         "additionalProperties": false]
    }
}
