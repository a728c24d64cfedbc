import GatehouseCore

/// A tool as an upstream MCP server lists it: what `policy init` classifies.
struct UpstreamTool: Sendable, Equatable {
    var name: String
    var description: String?
    var annotations: JSONValue?

    var risk: RiskClass { RiskClass.classify(name: name, description: description, annotations: annotations) }
}

/// What a server said about itself and its tools.
struct UpstreamCatalogue: Sendable {
    var serverName: String?
    var serverVersion: String?
    var tools: [UpstreamTool]
    /// Entries that were not usable tools, described for the user.
    var skipped: [String] = []
}
