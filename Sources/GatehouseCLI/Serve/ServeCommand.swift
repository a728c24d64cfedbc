import ArgumentParser
import Foundation
import GatehouseGateway
import Logging

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a gateway: speak MCP on stdin/stdout and enforce the policy on an upstream server.",
        discussion: """
            Your MCP client starts this command instead of the server; the server's own command goes after --.
            Logs go to stderr; stdout carries only MCP.

            Examples:
              gatehouse serve --policy policy.json -- uvx mcp-server-time
              gatehouse serve --policy desk.yaml --name exchange --grant trading-bot -- python exchange_server.py
              gatehouse serve --policy policy.json --audit-args hash -- npx -y @modelcontextprotocol/server-filesystem /data
            """)

    @Option(name: .long, help: "The policy file (JSON or YAML).")
    var policy: String

    @Option(name: .long, help: "The gateway's name, shown in the dashboard and used for its socket (default: the upstream command's name).")
    var name: String?

    @Option(name: .long, help: "The identity that `scope: grant` counters are keyed by (default: your user name).")
    var grant: String?

    @Option(name: .customLong("state-dir"), help: "Where counters, overrides, the kill switch and the audit log live (default: $XDG_STATE_HOME/gatehouse).")
    var stateDir: String?

    @Option(name: .long, help: "The control socket's path (default: $XDG_RUNTIME_DIR/gatehouse/NAME.sock).")
    var control: String?

    @Option(name: .customLong("audit-args"), help: "Record call arguments in the audit log in full, or only their SHA-256 (full | hash).")
    var auditArgs: String = "full"

    @Option(name: .customLong("progress-interval"), help: "Seconds between progress notifications while a call waits for approval.")
    var progressInterval: Double = 5

    @Option(name: .customLong("max-message-bytes"),
            help: "The largest MCP message (one line) accepted from the client or the upstream; longer ones are dropped with an error (default 16 MiB).")
    var maxMessageBytes: Int = GatewayOptions.defaultMaxMessageBytes

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Argument(parsing: .postTerminator, help: "The upstream MCP server's command and arguments, after --.")
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("give the upstream server's command after --, e.g. gatehouse serve --policy p.json -- uvx mcp-server-time") }
        if StateStoreArgs(rawValue: auditArgs) == nil { throw ValidationError("--audit-args must be full or hash") }
        if progressInterval < 0 { throw ValidationError("--progress-interval must not be negative") }
        if maxMessageBytes < 1024 || maxMessageBytes > 1 << 30 {
            throw ValidationError("--max-message-bytes must be between 1024 and 1073741824")
        }
    }

    func run() throws {
        let log = CLILogging.logger(level: logLevel)
        let options = GatewayOptions(
            policyPath: policy, name: name, grant: grant, stateDirectory: stateDir, controlPath: control, upstream: command,
            auditArguments: StateStoreArgs(rawValue: auditArgs)!.mode, progressInterval: progressInterval,
            maxMessageBytes: maxMessageBytes)
        let gateway: Gateway
        do {
            gateway = try Gateway(options: options, logger: log)
        } catch {
            printError("gatehouse serve: \(error)")
            throw ExitCode(2)
        }
        let code = gateway.run()
        if code != 0 { throw ExitCode(code) }
    }
}

/// `--audit-args` values.
enum StateStoreArgs: String {
    case full, hash
    var mode: StateStore.ArgumentsMode { self == .full ? .full : .hash }
}
