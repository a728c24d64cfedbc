/// Client configuration files as the clients write them, for the wrap-config tests.
enum SetupFixtures {
    /// Claude Desktop: other settings around `mcpServers`, a server with env, a remote one, and
    /// one whose args are not all strings.
    static let claudeDesktop = """
        {
          "globalShortcut": "Ctrl+Space",
          "mcpServers": {
            "git": {
              "command": "uvx",
              "args": ["mcp-server-git", "--repository", "/home/me/src/app"],
              "env": {"GIT_AUTHOR_NAME": "Me"}
            },
            "filesystem": {
              "command": "npx",
              "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home/me/Documents", "/tmp/with space"]
            },
            "linear": {"url": "https://mcp.linear.app/sse"},
            "odd": {"command": "run-me", "args": ["--port", 8080]},
            "bare": {"command": "mcp-server-time"}
          }
        }

        """

    /// VS Code: `servers`, explicit types, an HTTP server, inputs, and comments (VS Code allows them).
    static let vscode = """
        {
          // Servers for this workspace
          "inputs": [{"type": "promptString", "id": "token", "description": "API token", "password": true}],
          "servers": {
            "time": {"type": "stdio", "command": "uvx", "args": ["mcp-server-time"], "envFile": "${workspaceFolder}/.env"},
            "github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/"},
          }
        }

        """

    /// Cursor, with one server already behind Gatehouse.
    static let cursorHalfWrapped = """
        {
          "mcpServers": {
            "exchange": {
              "command": "/usr/local/bin/gatehouse",
              "args": ["serve", "--policy", "/etc/gatehouse/exchange.yaml", "--name", "exchange", "--", "python", "exchange.py"]
            },
            "time": {"command": "uvx", "args": ["mcp-server-time"]}
          }
        }

        """

    static let notAClientConfig = """
        {"editor.fontSize": 14}
        """
}
