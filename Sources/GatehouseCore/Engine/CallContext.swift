/// Everything the engine knows about one `tools/call`.
public struct CallContext: Sendable, Hashable {
    public var tool: String
    /// The call's `arguments`; `.null` or an object.
    public var arguments: JSONValue
    /// The identity `scope: grant` counters are keyed by.
    public var grant: String
    /// The MCP session the call came in on.
    public var session: String

    public init(tool: String, arguments: JSONValue = .object(JSONObject()), grant: String, session: String) {
        self.tool = tool
        self.arguments = arguments
        self.grant = grant
        self.session = session
    }
}
