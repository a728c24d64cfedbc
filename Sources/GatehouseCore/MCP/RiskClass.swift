/// How much harm a tool can do, the way the dashboard and `policy init` sort tools:
/// read (looks), write (changes, reversibly), destructive (destroys), financial (moves money).
public enum RiskClass: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case read, write, destructive, financial

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: RiskClass, b: RiskClass) -> Bool { a.rank < b.rank }

    /// Classifies from the name's verbs and the MCP annotations.
    /// Money beats everything: a `readOnlyHint` never lowers a tool that places orders.
    /// A tool nothing marks as harmless is treated as able to change things.
    public static func classify(name: String, description: String? = nil, annotations: JSONValue? = nil) -> RiskClass {
        let w = Set(words(name))
        let ordersSomething = !w.isDisjoint(with: ["order", "orders"]) && !w.isDisjoint(with: orderVerbs)
        if !w.isDisjoint(with: financialWords) || ordersSomething { return .financial }
        let readOnly = annotations?["readOnlyHint"]?.boolValue
        let destructive = annotations?["destructiveHint"]?.boolValue
        if readOnly == true { return .read }
        if destructive == true || !w.isDisjoint(with: destructiveWords) { return .destructive }
        if readOnly == false, destructive == false { return .write }
        if !w.isDisjoint(with: writeWords) { return .write }
        if !w.isDisjoint(with: readVerbs) { return .read }
        return .write
    }

    static let financialWords: Set<String> = [
        "trade", "buy", "sell", "withdraw", "withdrawal", "transfer", "payment", "pay", "refund", "payout", "swap",
        "borrow", "repay", "purchase", "charge",
    ]
    static let orderVerbs: Set<String> = ["place", "create", "new", "submit", "amend", "modify", "replace", "test"]
    static let destructiveWords: Set<String> = [
        "delete", "remove", "drop", "destroy", "purge", "wipe", "truncate", "erase", "revoke", "terminate", "kill",
        "reset", "rm",
    ]
    static let readVerbs: Set<String> = [
        "get", "list", "read", "search", "find", "fetch", "query", "describe", "show", "view", "check", "status",
        "lookup", "count", "diff", "log", "inspect", "current", "convert", "ticker", "price",
    ]
    static let writeWords: Set<String> = [
        "create", "update", "set", "put", "post", "write", "add", "edit", "modify", "close", "open", "start", "stop",
        "commit", "push", "cancel", "move", "rename", "enable", "disable", "keepalive", "checkout", "branch", "init",
        "send", "upload", "insert", "stage", "unstage", "merge", "apply",
    ]

    /// Splits `BinanceFuturesCloseListenKey`, `binance_us_close_listen_key` and `git-log` into lower-case words.
    static func words(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var prevLower = false
        for ch in s {
            if ch.isLetter || ch.isNumber {
                if ch.isUppercase, prevLower, !cur.isEmpty {
                    out.append(cur)
                    cur = ""
                }
                cur.append(Character(ch.lowercased()))
                prevLower = ch.isLowercase || ch.isNumber
            } else {
                if !cur.isEmpty { out.append(cur) }
                cur = ""
                prevLower = false
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }
}
