import MCP

/// What became of one call, as the agent saw it.
public struct AgentReport: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        /// The upstream answered and the tool succeeded.
        case ok
        /// The upstream answered with a tool error (the exchange said no).
        case toolError = "tool_error"
        /// The gateway refused: policy, hidden tool, operator, or kill switch.
        case denied
        case rateLimited = "rate_limited"
        /// Held for approval and nobody answered in time.
        case timedOut = "timed_out"
        /// No answer at all: the connection failed or the agent was stopped.
        case failed
    }

    public var tool: String
    public var intent: String
    public var outcome: Outcome
    /// The answer's first text, or the error.
    public var detail: String
    public var seconds: Double

    /// Reads the gateway's verdict from a result: refusals carry `gatehouse/decision` in `_meta`.
    static func outcome(of result: CallTool.Result) -> Outcome {
        switch result._meta?["gatehouse/decision"]?.stringValue {
        case "deny"?: return .denied
        case "rate_limited"?: return .rateLimited
        case "timeout"?: return .timedOut
        default: return result.isError == true ? .toolError : .ok
        }
    }

    static func text(of result: CallTool.Result) -> String {
        for c in result.content {
            if case .text(let t, _, _) = c { return t }
        }
        return ""
    }
}
