import ArgumentParser
import Foundation
import GatehouseControl
import GatehouseDashboard

/// `gatehouse dash` (and `gatehouse` alone): the live dashboard.
struct DashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dash",
        abstract: "Watch and operate running gateways: live calls, approvals, counters, tools, the kill switch.",
        discussion: """
            Without --control or --name, attaches to every gateway in the default socket directory and picks up
            gateways started later. A gateway that restarts is reconnected by itself. Press ? for the keys.

            Examples:
              gatehouse
              gatehouse dash --name exchange
              gatehouse dash --control /tmp/gh/exchange.sock --control /tmp/gh/git.sock
              gatehouse dash --read-only --theme light
            """)

    @Option(name: .long, help: "A gateway's control socket (repeatable).")
    var control: [String] = []

    @Option(name: .long, help: "A gateway's name: its socket in the default directory (repeatable).")
    var name: [String] = []

    @Option(name: .long, help: "A theme name or file (default: $GATEHOUSE_THEME, else default).")
    var theme: String?

    @Flag(name: .customLong("read-only"), help: "Watch only: approve, deny, kill switch, overrides and reload are off.")
    var readOnly = false

    @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (text selection without Shift).")
    var noMouse = false

    func run() throws {
        let options = DashboardOptions(sockets: control + name.map(GatewayDiscovery.socketPath(name:)), themeName: theme,
                                       readOnly: readOnly, mouse: !noMouse)
        let code: Int32
        do {
            code = try Dashboard.run(options)
        } catch {
            printError("gatehouse dash: \(error)")
            throw ExitCode(2)
        }
        if code > 128 {
            // Quit because of a signal: die of it now that the terminal is restored, so the
            // parent (a shell, a supervisor) learns the dashboard was interrupted.
            signal(code - 128, SIG_DFL)
            kill(getpid(), code - 128)
        }
        if code != 0 { throw ExitCode(code) }
    }
}
