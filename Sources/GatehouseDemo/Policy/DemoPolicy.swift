/// The policy `gatehouse demo` runs with. It uses every part of the policy language once, on the
/// demo exchange's tools, with comments saying why; `gatehouse demo --print-policy` prints it.
/// JSON with comments: the gateway's JSON reader accepts `//` comments in policy files.
public enum DemoPolicy {
    public static let fileName = "policy.json"
    /// How long a held call waits for an operator: short, so a watcher sees calls time out too.
    public static let approvalTimeoutSeconds = 45
    /// The largest order quantity the policy lets through to an approver.
    public static let maxOrderQuantity = 2
    /// The daily USDT withdrawal cap.
    public static let dailyWithdrawalCap = 10_000
    /// Per-minute budget of each listen-key tool.
    public static let listenKeyRate = 30
    /// The pairs orders may be placed on (DOGEUSDT is quoted but not tradable here).
    public static let tradableSymbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT"]
    /// A withdrawal address must look like this.
    public static let addressPattern = "^0x[0-9a-fA-F]{40}$"

    public static let text = """
        // Gatehouse demo policy: a trading agent on a simulated exchange account.
        // Try it: gatehouse demo (or gatehouse demo --print-policy > policy.json to start your own).
        {
          "version": "1",
          "description": "Demo: a trading agent on a simulated exchange account",

          // Anything not named below is refused, including tools the server adds later.
          "default": "deny",

          // Hidden tools are left out of tools/list and refused as if they did not exist.
          "hide": ["\(ExchangeTools.deleteAPIKey)"],

          // A held call waits this long for an operator; nobody answering means no.
          "approval": {"timeout": "\(approvalTimeoutSeconds)s", "on_timeout": "deny"},

          // One ceiling over every tool: a session gets at most 120 calls a minute, whatever it calls.
          "all_tools": {
            "limits": [{"counter": "all_calls", "window": "minute", "max": 120, "scope": "session"}]
          },

          "tools": {
            // Reads change nothing: allowed as they are.
            "\(ExchangeTools.getTicker)": {"description": "Market data"},
            "\(ExchangeTools.listOpenOrders)": {},

            // Writes stay usable but capped, so an agent stuck in a loop cannot make hundreds of
            // changes a minute. One counter per tool, per identity (--grant).
            "\(ExchangeTools.openListenKey)": {
              "limits": [{"counter": "open_listen_key_rate", "window": "minute", "max": \(listenKeyRate), "scope": "grant"}]
            },
            "\(ExchangeTools.closeListenKey)": {
              "limits": [{"counter": "close_listen_key_rate", "window": "minute", "max": \(listenKeyRate), "scope": "grant"}]
            },

            // Orders move money: each one waits for a person. Orders that break the rules are refused
            // before anyone is asked, with a reason the agent can act on.
            "\(ExchangeTools.placeOrder)": {
              "action": "require_approval",
              "reason": "Orders must be on a tradable pair and at most \(maxOrderQuantity) units; split larger orders or ask the desk",
              "require": [{"path": "args.symbol", "op": "in", "value": [\(tradableSymbols.map { "\"\($0)\"" }.joined(separator: ", "))]}],
              "deny_if": [{"path": "args.quantity", "op": "gt", "value": \(maxOrderQuantity)}],
              // The shorthand: 20 an hour for this session.
              "rate_limit": "20/hour"
            },

            // Withdrawals: USDT only, to a well-formed address, each approved by a person, and at most
            // \(dailyWithdrawalCap) USDT a day: a spend cap, each call adds its amount to the counter.
            "\(ExchangeTools.withdraw)": {
              "action": "require_approval",
              "reason": "Withdrawals are USDT only, to a 0x address",
              "require": [
                {"path": "args.asset", "op": "eq", "value": "USDT"},
                {"path": "args.address", "op": "regex", "value": "\(addressPattern)"}
              ],
              "limits": [{"counter": "usdt_withdrawn", "window": "day", "max": \(dailyWithdrawalCap), "scope": "grant", "increment_from": "args.amount"}],
              "approval": {"timeout": "\(approvalTimeoutSeconds)s", "on_timeout": "deny"}
            }
          }
        }

        """
}
