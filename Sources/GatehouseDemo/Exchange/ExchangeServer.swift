import Foundation
import Logging
import MCP

/// The demo's upstream: an MCP server over stdin/stdout for the simulated exchange account.
public enum ExchangeServer {
    public static let name = "gatehouse-demo-exchange"
    public static let version = "1.0.0"

    /// Serves until the client closes stdin.
    public static func run() async throws {
        let desk = ExchangeDesk()
        let server = Server(
            name: name, version: version, title: "Demo exchange (simulated)",
            instructions: "A simulated exchange account for the Gatehouse demo. Nothing here touches real money.",
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: ExchangeTools.all) }
        await server.withMethodHandler(CallTool.self) { params in
            guard ExchangeTools.all.contains(where: { $0.name == params.name }) else {
                throw MCPError.invalidParams("Unknown tool: \(params.name)")
            }
            return await desk.call(params.name, params.arguments ?? [:]).result
        }
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
        await server.stop()
    }
}
