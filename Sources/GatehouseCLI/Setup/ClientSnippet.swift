import GatehouseCore

/// The configuration that makes a client start a server through `gatehouse serve`.
enum ClientSnippet {
    static func render(client: MCPClientKind, name: String, gatehouse: String, policy: String, server: [String]) -> String {
        let args = GatewayWrapping.arguments(policy: policy, name: name, server: server)
        guard let key = client.serversKey else {
            // `claude mcp add NAME -- COMMAND ARGS...`: everything after the first -- is the server's command line.
            return ShellQuote.join(["claude", "mcp", "add", name, "--", gatehouse] + args) + "\n"
        }
        var entry = JSONObject()
        if client == .vscode { entry["type"] = "stdio" }
        entry["command"] = .string(gatehouse)
        entry["args"] = .array(args.map(JSONValue.string))
        let servers: JSONValue = .object(JSONObject([(name, .object(entry))]))
        return JSONWriter.pretty(.object(JSONObject([(key, servers)]))) + "\n"
    }
}
