import GatehouseCore

/// Everything the dashboard knows about one gateway, from its hello, snapshot and events.
public struct GatewayState: Sendable {
    public var id: GatewayID
    /// The gateway's own name once it said hello; until then the socket file's name.
    public var name: String
    public var connection: ConnectionStatus = .connecting
    public var hello: HelloResult?
    public var policy: PolicySummary?
    public var killSwitch = KillSwitchInfo(engaged: false)
    public var tools: [ToolInfo] = []
    /// Counters by key, with the local time each was last reported (for "resets in").
    public var counters: [String: CounterEntry] = [:]
    public var upstreamRunning = true
    public var upstreamMessage: String?
    /// The newest policy file the gateway refused to load (the old policy stays in force).
    public var policyRejection: [String]?
    public var lastSeq: UInt64 = 0
    public var rate = RateMeter()
    /// Whether a snapshot was ever received (a disconnected gateway may still show data).
    public var everConnected = false

    public init(id: GatewayID, name: String) {
        self.id = id
        self.name = name
    }

    /// The gateway's name from the socket path, before it introduces itself.
    public static func provisionalName(for path: GatewayID) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".sock") ? String(file.dropLast(5)) : file
    }
}
