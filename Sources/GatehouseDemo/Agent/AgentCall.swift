import MCP

/// One tool call the simulated agent means to make, and why.
public struct AgentCall: Sendable, Equatable {
    /// An argument the plan cannot know in advance; the agent fills it from what it has seen.
    public enum Need: Sendable, Equatable {
        case none
        /// `listenKey`: the newest key the agent opened and has not closed.
        case openListenKey
        /// `listenKey`: a key the agent already closed (what a stuck retry loop keeps sending).
        case closedListenKey
    }

    public var tool: String
    public var arguments: [String: Value]
    /// What the agent is up to, in a few words ("runaway retry loop").
    public var intent: String
    public var need: Need
    /// Calls a person may have to approve run in the background, so the rest of the stream goes on.
    public var mayBeHeld: Bool

    public init(_ tool: String, _ arguments: [String: Value] = [:], intent: String, need: Need = .none, mayBeHeld: Bool = false) {
        self.tool = tool
        self.arguments = arguments
        self.intent = intent
        self.need = need
        self.mayBeHeld = mayBeHeld
    }
}

/// A step of the agent's plan.
public enum AgentStep: Sendable, Equatable {
    case call(AgentCall)
    /// Seconds to think before the next step (divided by the demo's speed).
    case pause(Double)
}
