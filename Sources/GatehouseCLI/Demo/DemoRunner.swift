import GatehouseCore
import Foundation
import GatehouseDemo

/// Runs `gatehouse demo` from start to clean finish: a private temporary directory, the gateway
/// with the demo exchange behind it, the simulated agent, and then either the dashboard or
/// headless call lines, until the dashboard quits, the duration is up, or a signal arrives.
/// Whatever ends it, everything started is stopped and the directory removed.
struct DemoRunner {
    /// The dashboard: given the gateway's control socket, it runs on the main thread until the user quits.
    typealias Dashboard = (_ controlSocket: String) -> Void

    /// The gatehouse binary to start the gateway and the demo exchange with.
    var executable: String
    var speed: Double = 1
    /// Headless only: stop after this many seconds.
    var duration: Double?
    /// Nil runs headless, printing a line per call.
    var dashboard: Dashboard?
    var write: @Sendable (String) -> Void = { printLine($0) }
    /// Send stderr (the gateway's logs) to a file while the demo runs; by default only with the dashboard.
    var stderrToFile: Bool?
    var environment: [String: String] = ProcessInfo.processInfo.environment

    /// Why a headless run ended.
    enum Ending: Sendable, Equatable {
        case duration, signal(Int32), gatewayExited(String)
    }

    /// Runs the demo on the calling (main) thread; returns the exit code.
    func run() throws -> Int32 {
        let ws = try DemoWorkspace.create(environment: environment)
        defer { ws.remove() }
        let terminal = TerminalGuard()
        if stderrToFile ?? (dashboard != nil) {
            // Until the dashboard is gone the terminal is its own; gateway logs go to a file.
            try terminal.redirectStderr(to: ws.log)
        }
        // Signals are caught from the start, so a Ctrl-C while the gateway starts still cleans up.
        let ending = OneShot<Ending>()
        let started = Locked<DemoSession?>(nil)
        let withDashboard = dashboard != nil
        let signals = DemoSignals.install { sig in
            let session = started.withLock { $0 }
            if withDashboard || session == nil {
                // The dashboard holds the main thread and cannot be told to return (and before the
                // session exists there is nothing to return to): clean up here and exit. A gateway
                // still starting sees its stdin close when we exit, which stops it.
                session?.stop()
                ws.remove()
                terminal.restoreTerminal()
                terminal.restoreStderr()
                exit(0)
            }
            ending.fire(.signal(sig))
        }
        let session: DemoSession
        do {
            let (exe, speed) = (executable, speed)
            session = try runBlocking { try await DemoSession.start(executable: exe, workspace: ws, speed: speed) }
        } catch {
            signals.cancel()
            terminal.restoreStderr()
            if let log = try? String(contentsOfFile: ws.log, encoding: .utf8), !log.isEmpty { printError(log) }
            throw error
        }
        started.withLock { $0 = session }
        defer { signals.cancel() }
        session.gateway.onExit { status in ending.fire(.gatewayExited("\(status)")) }
        session.startAgent()

        if let dashboard {
            dashboard(ws.socket)
            session.stop()
            terminal.restoreStderr()
            ws.remove()
            return 0
        }
        return headless(session, ws: ws, ending: ending)
    }

    private func headless(_ session: DemoSession, ws: DemoWorkspace, ending: OneShot<Ending>) -> Int32 {
        write("gatehouse demo: a simulated trading agent → gatehouse → a simulated exchange (\(session.tools.count) tools visible)")
        write("  control socket  \(ws.socket)")
        write("  state dir       \(ws.state)")
        write("  policy          \(ws.policy)")
        write("  approve held calls: gatehouse ctl approve ID --control \(ws.socket) (denied after \(DemoPolicy.approvalTimeoutSeconds)s otherwise)")
        let printer: DemoCallPrinter?
        do {
            printer = try DemoCallPrinter.start(socket: ws.socket, write: write)
        } catch {
            printError("gatehouse demo: cannot follow the gateway's events: \(error)")
            printer = nil
        }
        if let duration {
            DispatchQueue.global().asyncAfter(deadline: .now() + duration) { ending.fire(.duration) }
        }
        let why = ending.wait()
        session.stop()
        printer?.waitUntilFinished()
        var code: Int32 = 0
        switch why {
        case .duration: write("gatehouse demo: \(Self.format(duration ?? 0)) are up")
        case .signal(let s): write("gatehouse demo: stopped by \(s == SIGINT ? "SIGINT" : s == SIGTERM ? "SIGTERM" : "signal \(s)")")
        case .gatewayExited(let status):
            printError("gatehouse demo: the gateway stopped unexpectedly (\(status))")
            code = 1
        }
        if let counts = printer?.counts, !counts.isEmpty {
            let total = counts.values.reduce(0, +)
            write("  \(total) calls: " + counts.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        ws.remove()
        write("  stopped the gateway, the exchange and the agent; removed \(ws.root)")
        return code
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) seconds" : String(format: "%.1f seconds", seconds)
    }
}
