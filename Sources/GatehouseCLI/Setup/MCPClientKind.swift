import ArgumentParser

/// The MCP clients `install-snippet` knows the configuration format of.
enum MCPClientKind: String, CaseIterable, ExpressibleByArgument, Sendable {
    case claudeDesktop = "claude-desktop"
    case cursor
    case claudeCode = "claude-code"
    case vscode

    /// The JSON key that holds the servers, or nil when the client is configured by command.
    var serversKey: String? {
        switch self {
        case .claudeDesktop, .cursor: "mcpServers"
        case .vscode: "servers"
        case .claudeCode: nil
        }
    }

    /// Where the snippet goes, told to the user.
    var whereItGoes: String {
        switch self {
        case .claudeDesktop:
            "Merge into claude_desktop_config.json (Claude → Settings → Developer → Edit Config; on macOS "
                + "~/Library/Application Support/Claude/, on Windows %APPDATA%\\Claude\\), then restart Claude Desktop."
        case .cursor:
            "Merge into ~/.cursor/mcp.json (every project) or .cursor/mcp.json in a project."
        case .vscode:
            "Merge into .vscode/mcp.json in your workspace (or run \"MCP: Open User Configuration\")."
        case .claudeCode:
            "Run this in your shell; add --scope user or --scope project to choose where Claude Code keeps it."
        }
    }
}
