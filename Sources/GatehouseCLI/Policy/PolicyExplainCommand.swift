import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse policy explain FILE --tool NAME ...`
struct PolicyExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show what a policy decides for a call, and every step of the reasoning.",
        discussion: """
            Prints the decision (allow, deny, rate_limited or hold, with the reason the agent
            would read), the rule that decided, and the numbered trace of checks.

            --calls repeats the call against fresh in-memory counters, so you can watch a rate
            limit take effect; --interval spaces the calls out. Allowed calls count as answered
            by the upstream. No gateway, upstream or state directory is involved.

            Exit status: 0 when the call was explained (whatever the decision), 1 when the policy
            has errors, 2 when the file cannot be read or an option is unusable.

            Examples:
              gatehouse policy explain policy.json --tool read_file
              gatehouse policy explain desk.json --tool BinanceFuturesNewOrder \\
                  --args '{"symbol": "BTCUSDT", "side": "BUY", "quantity": 7}'
              gatehouse policy explain policy.json --tool get_price --calls 35 --grant desk-7
              gatehouse policy explain policy.json --tool search --calls 5 --interval 20s --json
            """
    )

    @Argument(help: ArgumentHelp("The policy file.", valueName: "file"))
    var file: String

    @Option(help: "The tool name the agent calls.")
    var tool: String

    @Option(name: .customLong("args"), help: "The call's arguments as a JSON object.")
    var arguments: String?

    @Option(help: "The identity the call is made under (for grant-scoped counters and conditions).")
    var grant = "cli"

    @Option(help: "The MCP session id (for session-scoped counters and conditions).")
    var session = "cli"

    @Option(help: "Make the call this many times.")
    var calls = 1

    @Option(help: "Time between repeated calls, in seconds (0.5) or as a duration (20s, 1m).")
    var interval = "0"

    @Option(help: "Read the file as this format, whatever its name.")
    var format: PolicyFormatOption?

    @Flag(help: "Print the decisions as JSON.")
    var json = false

    func validate() throws {
        if calls < 1 { throw ValidationError("--calls must be at least 1.") }
        if DurationText.seconds(interval) == nil {
            throw ValidationError("--interval \"\(interval)\" is not a duration; use seconds (0.5) or 20s, 1m, 1h.")
        }
    }

    func run() throws {
        let request = PolicyExplain.Request(
            file: file, tool: tool, arguments: arguments, grant: grant, session: session, calls: calls,
            interval: DurationText.seconds(interval) ?? 0, format: format?.format)
        let out = PolicyExplain.run(request, json: json, now: Date().timeIntervalSince1970)
        out.emit()
        if out.exitCode != 0 { throw ExitCode(out.exitCode) }
    }
}
