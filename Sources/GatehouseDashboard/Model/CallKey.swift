/// Which gateway: the path of its control socket. Names can repeat (two gateways called
/// `git` in different directories); paths cannot, so every lookup goes by path.
public typealias GatewayID = String

/// A call as the dashboard tracks it: call ids are unique per state directory, not across
/// gateways, so a call is always named together with its gateway.
public struct CallKey: Hashable, Sendable, CustomStringConvertible {
    public var gateway: GatewayID
    public var id: String

    public init(gateway: GatewayID, id: String) {
        self.gateway = gateway
        self.id = id
    }

    public var description: String { "\(id)@\(gateway)" }
}

/// A tool of one gateway (the tools panel lists every gateway's catalogue).
public struct ToolKey: Hashable, Sendable {
    public var gateway: GatewayID
    public var name: String

    public init(gateway: GatewayID, name: String) {
        self.gateway = gateway
        self.name = name
    }
}

/// A counter of one gateway, by its key (`orders[grant:desk]`).
public struct CounterRef: Hashable, Sendable {
    public var gateway: GatewayID
    public var key: String

    public init(gateway: GatewayID, key: String) {
        self.gateway = gateway
        self.key = key
    }
}
