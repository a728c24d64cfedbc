import ArgumentParser
import GatehouseDemo

/// The demo's upstream MCP server, started by the demo's gateway from this same binary.
struct DemoServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-server",
        abstract: "Serve the demo's simulated exchange account as an MCP server on stdin/stdout.",
        discussion: """
            `gatehouse demo` starts this behind its gateway; it is hidden because you rarely run it yourself. \
            Nothing here touches a real exchange: balances, orders and listen keys live in memory.

            Examples:
              gatehouse serve --policy policy.json -- gatehouse demo-server
              gatehouse policy init -- gatehouse demo-server
            """,
        shouldDisplay: false)

    @Option(help: .hidden)
    var label: String?  // The demo passes its directory, so `ps` shows which demo a server belongs to; otherwise unused.

    func run() throws {
        try runBlocking { try await ExchangeServer.run() }
    }
}
