import ArgumentParser
import Foundation

/// `gatehouse install-snippet`: the configuration to paste into an MCP client.
struct InstallSnippetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-snippet",
        abstract: "Print the client configuration that runs an MCP server through Gatehouse.",
        discussion: """
            Prints, for the client you name, the exact configuration (or, for Claude Code, the command) that starts \
            the server through `gatehouse serve` with this gatehouse binary's absolute path. It changes no file: \
            paste it where the note on stderr says. To rewrite an existing configuration file, use wrap-config.

            Examples:
              gatehouse install-snippet --client claude-desktop -- uvx mcp-server-git --repository ~/src/app
              gatehouse install-snippet --client cursor --name files --policy files.yaml -- npx -y @modelcontextprotocol/server-filesystem /data
              gatehouse install-snippet --client vscode -- uvx mcp-server-time
              gatehouse install-snippet --client claude-code --name exchange -- python exchange_server.py
            """)

    @Option(help: "The client: \(MCPClientKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var client: MCPClientKind

    @Option(help: "The server's name in the client and the gateway's name (default: guessed from the command).")
    var name: String?

    @Option(help: "The policy file (default: ~/.config/gatehouse/NAME.yaml).")
    var policy: String?

    @Argument(parsing: .postTerminator, help: "The MCP server's command and arguments, after --.")
    var command: [String] = []

    func validate() throws {
        if command.isEmpty {
            throw ValidationError("give the server's command after --, e.g. gatehouse install-snippet --client cursor -- uvx mcp-server-time")
        }
        if let name, name.isEmpty { throw ValidationError("--name must not be empty") }
    }

    func run() throws {
        let name = self.name ?? GatewayWrapping.guessName(command)
        let policy = GatewayWrapping.absolute(self.policy ?? GatewayWrapping.defaultPolicy(name: name))
        print(ClientSnippet.render(client: client, name: name, gatehouse: GatehouseExecutable.invoked(), policy: policy,
                                   server: command), terminator: "")
        printError(client.whereItGoes)
        if !FileManager.default.fileExists(atPath: policy) {
            printError("The policy \(policy) does not exist yet; write a starter with:")
            printError("  gatehouse policy init --output \(ShellQuote.quote(policy)) -- \(ShellQuote.join(command))")
        }
    }
}
