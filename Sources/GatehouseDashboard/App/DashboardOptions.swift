import GatehouseControl

/// How to run the dashboard: which gateways, how it looks, and whether it may decide.
public struct DashboardOptions: Sendable {
    /// Control sockets to attach to. Empty: watch `directory` and attach to every
    /// gateway found there, now or later.
    public var sockets: [String]
    /// The directory to watch when `sockets` is empty (default: the gateways' default).
    public var directory: String
    /// `--theme`: a name or path; nil uses GATEHOUSE_THEME, else `default`.
    public var themeName: String?
    /// Watch without the power to decide.
    public var readOnly: Bool
    public var mouse: Bool
    /// Calls kept for the stream.
    public var historyCapacity: Int
    /// How the dashboard introduces itself in `hello`.
    public var clientName: String
    /// Timestamps in local time (UTC for tests).
    public var zone: Format.Zone

    public init(sockets: [String] = [], directory: String? = nil, themeName: String? = nil, readOnly: Bool = false,
                mouse: Bool = true, historyCapacity: Int = 10_000, clientName: String = "gatehouse-dash",
                zone: Format.Zone = .local) {
        self.sockets = sockets
        self.directory = directory ?? GatewayDiscovery.defaultDirectory
        self.themeName = themeName
        self.readOnly = readOnly
        self.mouse = mouse
        self.historyCapacity = historyCapacity
        self.clientName = clientName
        self.zone = zone
    }

    /// True when gateways are discovered in `directory` rather than given.
    public var watchesDirectory: Bool { sockets.isEmpty }
}
