import MCP

/// What the agent has learned from answers: which listen keys it holds, and how many calls
/// are waiting in the background. Fills in the arguments a plan cannot know in advance.
struct AgentMemory: Sendable {
    private(set) var openKeys: [String] = []
    private(set) var closedKeys: [String] = []
    private(set) var background = 0

    /// The call with its `need` filled in, or nil if it cannot be made yet (no open key to close).
    func resolve(_ call: AgentCall) -> AgentCall? {
        var c = call
        switch call.need {
        case .none:
            return c
        case .openListenKey:
            guard let key = openKeys.last else { return nil }
            c.arguments["listenKey"] = .string(key)
        case .closedListenKey:
            // Never opened one yet? A loop retrying a typo looks the same to the gateway.
            c.arguments["listenKey"] = .string(closedKeys.last ?? "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a")
        }
        c.need = .none
        return c
    }

    /// Learns from an answer the upstream gave (refusals by the gateway teach nothing).
    mutating func observe(_ call: AgentCall, result: CallTool.Result) {
        guard result.isError != true, case .object(let s)? = result.structuredContent else { return }
        switch call.tool {
        case ExchangeTools.openListenKey:
            if let key = s["listenKey"]?.stringValue { openKeys.append(key) }
        case ExchangeTools.closeListenKey:
            if let key = s["listenKey"]?.stringValue {
                openKeys.removeAll { $0 == key }
                closedKeys = Array((closedKeys + [key]).suffix(8))
            }
        default:
            break
        }
    }

    mutating func beginBackground() { background += 1 }
    mutating func endBackground() { background -= 1 }
}
