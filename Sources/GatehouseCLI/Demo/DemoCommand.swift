import ArgumentParser
import GatehouseDashboard
import GatehouseDemo

/// `gatehouse demo`: the whole product in one command, with nothing to configure.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch Gatehouse police a simulated trading agent, with nothing to set up.",
        discussion: """
            Starts, in a private temporary directory, a gateway running the demo policy in front of a \
            simulated exchange (this same binary), a scripted agent that trades through it, and the dashboard. \
            The agent reads prices, opens and closes listen keys, gets caught in a retry loop that hits a rate \
            limit, places orders and withdrawals that wait for your approval (they are denied after 45 seconds \
            if nobody answers), and now and then oversteps: orders too large, a hidden tool. \
            Quitting stops everything and removes the directory.

            Without the dashboard (--no-dashboard) it prints one line per call; approve held calls from \
            another terminal with `gatehouse ctl` and the control socket it prints.

            Examples:
              gatehouse demo
              gatehouse demo --no-dashboard --duration 60
              gatehouse demo --no-dashboard --speed 3
              gatehouse demo --print-policy > policy.json
            """)

    @Flag(name: .customLong("no-dashboard"), help: "Run headless: print a line per call instead of opening the dashboard.")
    var noDashboard = false

    @Option(help: "With --no-dashboard: stop after this many seconds (default: run until interrupted).")
    var duration: Double?

    @Option(help: "How fast the agent works: 2 is twice as fast as a person would watch comfortably.")
    var speed: Double = 1

    @Flag(name: .customLong("print-policy"), help: "Print the demo's policy (JSON with comments) and exit.")
    var printPolicy = false

    func validate() throws {
        if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
        if duration != nil, !noDashboard { throw ValidationError("--duration needs --no-dashboard (the dashboard runs until you quit it)") }
        if !(speed > 0) || speed > 100 { throw ValidationError("--speed must be above 0 and at most 100") }
    }

    func run() throws {
        if printPolicy {
            print(DemoPolicy.text, terminator: "")
            return
        }
        let runner = DemoRunner(executable: GatehouseExecutable.running(), speed: speed, duration: duration,
                                dashboard: noDashboard ? nil : { Self.dashboard(controlSocket: $0) })
        let code: Int32
        do { code = try runner.run() } catch {
            printError("gatehouse demo: \(error)")
            throw ExitCode(1)
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// Where the dashboard attaches to the demo's gateway. It runs on the main thread and returns when
    /// the user quits; the demo then stops everything it started.
    static func dashboard(controlSocket: String) {
        do {
            _ = try Dashboard.run(DashboardOptions(sockets: [controlSocket], clientName: "gatehouse-demo"))
        } catch {
            printError("gatehouse demo: the dashboard could not start: \(error)")
            printError("the demo keeps running headless; watch it with: gatehouse ctl tail --control \(controlSocket)  (Enter stops it)")
            _ = readLine()
        }
    }
}
