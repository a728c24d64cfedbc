import Foundation
import GatehouseTesting
import GatehouseCore
import Testing

/// The real `gatehouse` binary: a gateway in front of mcp-server-time, the test as its MCP
/// client, and `gatehouse dash` in a tmux window, operated with keys. What the agent gets
/// back proves the dashboard's decisions reached the gateway.
@Suite("End to end: gatehouse dash in tmux", .serialized,
       .enabled(if: Tmux.available && GatewayProcess.available, "needs tmux, a built gatehouse and the Python MCP servers"))
struct EndToEndTests {
    static let policy = """
        {"version": "1", "default": "deny",
         "tools": {"get_current_time": {"action": "require_approval", "approval": {"timeout": "2m"}},
                   "convert_time": {}}}
        """

    /// A gateway named `name`, its client initialised, and the dashboard attached in tmux.
    struct World {
        let dir: String
        let name: String
        let socket: String
        let gateway: GatewayProcess
        let tmux: Tmux

        /// - Parameter wrapped: run the dashboard under a shell that reports its exit status
        ///   and the terminal's mode afterwards.
        static func start(name: String, wrapped: Bool = false) throws -> World {
            let dir = "/tmp/ghe-" + String(UUID().uuidString.prefix(8))
            try FileManager.default.createDirectory(atPath: dir + "/run", withIntermediateDirectories: true)
            try writeFileAtomically(policy, to: dir + "/policy.json")
            let socket = dir + "/run/\(name).sock"
            let gateway = try GatewayProcess(name: name, policy: dir + "/policy.json", socket: socket, state: dir + "/state",
                                             log: dir + "/gateway.log")
            var command = "env LANG=C.UTF-8 TERM=xterm-256color \(GatewayProcess.binary) dash --control \(socket) 2>\(dir)/dash.err"
            if wrapped {
                // `trap true INT`: the shell outlives a Ctrl-C meant for the dashboard, which
                // still gets the default disposition (a handler is reset on exec, SIG_IGN is not).
                command = "sh -c 'trap true INT; \(command); echo DASH-EXIT=$?; stty -a | tr -s \" ;\" \"\\n\" "
                    + "| grep -x -e -icanon -e icanon -e -echo -e echo | tr \"\\n\" \" \"; echo; echo END; sleep 120'"
            }
            let tmux: Tmux
            do { tmux = try Tmux(command: command) } catch {
                gateway.stop()
                throw error
            }
            return World(dir: dir, name: name, socket: socket, gateway: gateway, tmux: tmux)
        }

        func stop() {
            tmux.kill()
            gateway.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }

        /// Everything there is to know when an expectation fails.
        var diagnostics: String {
            let log = (try? String(contentsOfFile: dir + "/gateway.log", encoding: .utf8)) ?? ""
            let err = (try? String(contentsOfFile: dir + "/dash.err", encoding: .utf8)) ?? ""
            return "screen:\n\(tmux.capture())\ngateway log (tail):\n\(log.suffix(1500))\ndash stderr:\n\(err)"
        }

        /// Presses a decision key until `expected` shows: the dashboard refuses a key on a
        /// call that only just appeared under the cursor (its safety delay) and says "press again".
        func decide(_ key: String, expecting expected: String) {
            tmux.send(key)
            if tmux.wait(for: { $0.contains(expected) || $0.contains("press again") }), !tmux.capture().contains(expected) {
                tmux.send(key)
            }
        }
    }

    @Test func approvingAHeldCallReleasesItToTheUpstream() throws {
        let w = try World.start(name: "e2e-approve")
        defer { w.stop() }
        #expect(w.gateway.initialize(), "\(w.diagnostics)")
        let id = w.gateway.call("get_current_time", #"{"timezone":"UTC"}"#)
        #expect(w.tmux.wait(for: { $0.contains("get_current_time") && $0.contains("deny in") }), "\(w.diagnostics)")
        w.tmux.send("2")
        w.decide("a", expecting: "approve get_current_time")
        let answer = GatewayProcess.text(w.gateway.response(id))
        #expect(answer?.isError == false, "\(w.diagnostics)")
        #expect(answer?.text.contains("\"timezone\": \"UTC\"") == true, "\(String(describing: answer))")
        #expect(w.tmux.wait(for: "approved by"), "\(w.diagnostics)")
    }

    @Test func denyingWithAReasonTellsTheAgentWhy() throws {
        let w = try World.start(name: "e2e-deny")
        defer { w.stop() }
        #expect(w.gateway.initialize(), "\(w.diagnostics)")
        let id = w.gateway.call("get_current_time", #"{"timezone":"Europe/Paris"}"#)
        #expect(w.tmux.wait(for: "Europe/Paris"), "\(w.diagnostics)")
        w.tmux.send("2")
        w.decide("d", expecting: "Reason (optional):")
        #expect(w.tmux.wait(for: "Reason (optional):"), "\(w.diagnostics)")
        w.tmux.send("not during the freeze", literal: true)
        w.tmux.send("Enter")
        let answer = GatewayProcess.text(w.gateway.response(id))
        #expect(answer?.isError == true, "\(w.diagnostics)")
        #expect(answer?.text.contains("not during the freeze") == true, "\(String(describing: answer))")
        #expect(w.tmux.wait(for: "denied"), "\(w.diagnostics)")
    }

    @Test func theKillSwitchNeedsTheNameAndThenDeniesEverything() throws {
        let w = try World.start(name: "e2e-kill")
        defer { w.stop() }
        #expect(w.gateway.initialize(), "\(w.diagnostics)")
        #expect(w.tmux.wait(for: "e2e-kill default deny"), "\(w.diagnostics)")
        w.tmux.send("K")
        #expect(w.tmux.wait(for: "Type e2e-kill and press Enter"), "\(w.diagnostics)")
        w.tmux.send("y")
        w.tmux.send("Enter")                           // not the name: nothing happens
        #expect(w.tmux.wait(for: "That is not e2e-kill."), "\(w.diagnostics)")
        w.tmux.send("C-u")
        w.tmux.send("e2e-kill", literal: true)
        w.tmux.send("Enter")
        #expect(w.tmux.wait(for: "KILL SWITCH ENGAGED on e2e-kill"), "\(w.diagnostics)")
        let id = w.gateway.call("convert_time", #"{"source_timezone":"UTC","time":"12:00","target_timezone":"Asia/Tokyo"}"#)
        let answer = GatewayProcess.text(w.gateway.response(id))
        #expect(answer?.isError == true, "\(w.diagnostics)")
        #expect(answer?.text.contains("Kill switch engaged") == true, "\(String(describing: answer))")

        w.tmux.send("K")
        #expect(w.tmux.wait(for: "Release the kill switch on e2e-kill"), "\(w.diagnostics)")
        w.tmux.send("e2e-kill", literal: true)
        w.tmux.send("Enter")
        #expect(w.tmux.wait(for: { !$0.contains("KILL SWITCH ENGAGED") && $0.contains("kill switch released") }), "\(w.diagnostics)")
        let after = GatewayProcess.text(w.gateway.response(
            w.gateway.call("convert_time", #"{"source_timezone":"UTC","time":"12:00","target_timezone":"Asia/Tokyo"}"#)))
        #expect(after?.isError == false, "\(w.diagnostics)")
    }

    @Test func aToolOverrideFromTheToolsPanelBlocksTheTool() throws {
        let w = try World.start(name: "e2e-tool")
        defer { w.stop() }
        #expect(w.gateway.initialize(), "\(w.diagnostics)")
        #expect(w.tmux.wait(for: "convert_time"), "\(w.diagnostics)")
        w.tmux.send("3")
        // Select convert_time in the tools panel.
        for _ in 0..<4 {
            if w.tmux.capture().contains("▶ convert_time") { break }
            w.tmux.send("j")
            _ = w.tmux.wait(limit: 1, for: "▶ convert_time")
        }
        w.tmux.send("o")
        #expect(w.tmux.wait(for: "Override convert_time"), "\(w.diagnostics)")
        w.tmux.send("d")
        #expect(w.tmux.wait(for: "denied · override by"), "\(w.diagnostics)")
        let id = w.gateway.call("convert_time", #"{"source_timezone":"UTC","time":"12:00","target_timezone":"Asia/Tokyo"}"#)
        let answer = GatewayProcess.text(w.gateway.response(id))
        #expect(answer?.isError == true, "\(w.diagnostics)")
        #expect(answer?.text.contains("was blocked by operator") == true, "\(String(describing: answer))")
        #expect(w.tmux.wait(for: "✗ denied"), "\(w.diagnostics)")
    }

    /// The dashboard's process id: the child of the pane's shell.
    static func dashPID(_ w: World) -> pid_t? {
        guard let shell = try? w.tmux.run(["display-message", "-p", "-t", w.tmux.session, "#{pane_pid}"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines),
              let children = try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8) else { return nil }
        return children.split(separator: " ").first.flatMap { pid_t($0) }
    }

    @Test(arguments: ["q", "C-c", "SIGTERM"])
    func everyWayOutRestoresTheTerminal(how: String) throws {
        let w = try World.start(name: "e2e-exit", wrapped: true)
        defer { w.stop() }
        #expect(w.tmux.wait(for: "e2e-exit default deny"), "\(w.diagnostics)")
        #expect(w.tmux.capture().contains("Live stream"))
        switch how {
        case "SIGTERM":
            let pid = Self.dashPID(w)
            #expect(pid != nil, "\(w.diagnostics)")
            if let pid { kill(pid, SIGTERM) }
        default:
            w.tmux.send(how)
        }
        let status = how == "q" ? 0 : how == "C-c" ? 128 + 2 : 128 + 15
        #expect(w.tmux.wait(for: { $0.contains("DASH-EXIT=\(status)") && $0.contains("END") }), "\(w.diagnostics)")
        let screen = w.tmux.capture()
        #expect(!screen.contains("Live stream"))          // the alternate screen is gone
        #expect(screen.contains("icanon") && !screen.contains("-icanon"), "\(screen)")  // cooked mode again
        #expect(screen.contains("echo") && !screen.contains("-echo"), "\(screen)")
    }

    @Test func resizingRedrawsAtEverySize() throws {
        let w = try World.start(name: "e2e-size")
        defer { w.stop() }
        #expect(w.gateway.initialize(), "\(w.diagnostics)")
        #expect(w.tmux.wait(for: "3 Tools"), "\(w.diagnostics)")        // 120 columns: tools beside the stream
        func lines(_ screen: String) -> [String] { screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        _ = try w.tmux.run(["resize-window", "-t", w.tmux.session, "-x", "80", "-y", "24"])
        #expect(w.tmux.wait(for: { !$0.contains("3 Tools") && $0.contains("1 Live stream") }), "\(w.diagnostics)")
        let narrow = lines(w.tmux.capture())
        #expect(narrow.filter { $0.hasPrefix("│") }.allSatisfy { $0.count == 80 && $0.hasSuffix("│") }, "\(narrow)")
        _ = try w.tmux.run(["resize-window", "-t", w.tmux.session, "-x", "30", "-y", "8"])
        #expect(w.tmux.wait(for: "Terminal too small"), "\(w.diagnostics)")
        _ = try w.tmux.run(["resize-window", "-t", w.tmux.session, "-x", "132", "-y", "43"])
        #expect(w.tmux.wait(for: "3 Tools"), "\(w.diagnostics)")
        #expect(lines(w.tmux.capture()).first?.hasPrefix(" Gatehouse") == true)
    }

    @Test func aGatewayThatDiesIsShownLostAndItsSuccessorIsPickedUp() throws {
        let w = try World.start(name: "e2e-lost")
        defer { w.stop() }
        #expect(w.tmux.wait(for: "e2e-lost default deny"), "\(w.diagnostics)")
        kill(-w.gateway.pid, SIGKILL)   // a crash (with its upstream): no goodbye on the socket
        #expect(w.tmux.wait(for: "e2e-lost disconnected"), "\(w.diagnostics)")
        // A new gateway on the same socket: the dashboard reconnects by itself.
        let again = try GatewayProcess(name: "e2e-lost", policy: w.dir + "/policy.json", socket: w.socket, state: w.dir + "/state",
                                       log: w.dir + "/gateway2.log")
        defer { again.stop() }
        #expect(w.tmux.wait(for: { !$0.contains("disconnected") && $0.contains("● e2e-lost") }), "\(w.diagnostics)")
        #expect(again.initialize())
        _ = again.call("get_current_time", #"{"timezone":"Asia/Tokyo"}"#)
        #expect(w.tmux.wait(for: "Asia/Tokyo"), "\(w.diagnostics)")
    }
}
