import Foundation
import GatehouseControl
import GatehouseCore
import Testing
@testable import GatehouseCLI
@testable import GatehouseDemo

/// `gatehouse demo` end to end: the real binary, gateway, exchange and agent. Each test stops
/// what it starts and checks that nothing (process, socket, directory) is left behind.
@Suite(.serialized) struct DemoRunTests {
    /// The demo's directory, read from its "control socket" line.
    static func workspace(from line: String) -> String? {
        guard let path = line.split(separator: " ").last.map(String.init), path.hasSuffix("/run/exchange.sock") else { return nil }
        return String(path.dropLast("/run/exchange.sock".count))
    }

    func expectNothingLeft(_ root: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(!FileManager.default.fileExists(atPath: root), "\(root) was left behind", sourceLocation: sourceLocation)
        #expect(processes(mentioning: root).isEmpty, "still running: \(processes(mentioning: root))", sourceLocation: sourceLocation)
    }

    @Test func headlessShowsEveryKindOfDecisionAndAnApprovalThenStopsCleanlyOnSIGTERM() async throws {
        _ = try requireBinary()
        let demo = try CLIProcess(["demo", "--no-dashboard", "--speed", "8"])
        defer { if demo.isRunning { demo.signal(SIGKILL) } }
        let socketLine = try #require(demo.waitForLine { $0.contains("control socket") })
        let root = try #require(Self.workspace(from: socketLine))
        let socket = root + "/run/exchange.sock"

        #expect(demo.waitForLine { $0.contains("get_ticker") && $0.contains("allow → ok") } != nil)
        #expect(demo.waitForLine { $0.contains("delete_api_key") && $0.contains("not available") } != nil)
        #expect(demo.waitForLine { $0.contains("place_order") && $0.contains("deny → denied") && $0.contains("at most 2 units") } != nil)
        #expect(demo.waitForLine { $0.contains("close_listen_key") && $0.contains("rate_limited") } != nil)

        // Approve a held call the way an operator would, with the id the line gives.
        let held = try #require(demo.waitForLine { $0.contains("hold → held") })
        let id = try #require(held.components(separatedBy: "id ").last?.trimmingCharacters(in: .whitespaces))
        let approve = try await onThread { try runGatehouse(["ctl", "approve", id, "--control", socket]) }
        #expect(approve.status == 0, "\(approve.err)")
        #expect(demo.waitForLine { $0.contains("hold → ok") && $0.contains("approved by") } != nil)

        demo.signal(SIGTERM)
        let status = try await onThread { demo.finish() }
        #expect(status == 0, "\(demo.stderrText)")
        #expect(demo.stdoutLines.contains { $0.contains("stopped by SIGTERM") })
        #expect(demo.stdoutLines.last?.contains("removed \(root)") == true)
        expectNothingLeft(root)
    }

    @Test func aDurationEndsTheDemo() async throws {
        _ = try requireBinary()
        let r = try await onThread { try runGatehouse(["demo", "--no-dashboard", "--duration", "3", "--speed", "4"]) }
        #expect(r.status == 0, "\(r.err)")
        let root = try #require(r.out.split(separator: "\n").compactMap { Self.workspace(from: String($0)) }.first)
        #expect(r.out.contains("3 seconds are up"))
        #expect(r.out.contains("allow → ok"))
        expectNothingLeft(root)
    }

    /// The dashboard is an injected closure on the caller's thread: given the control socket, it can
    /// watch the gateway; when it returns, everything stops.
    @Test func theDashboardClosureGetsALiveGatewayAndQuittingItCleansUp() async throws {
        let exe = try requireBinary()
        let seen = Locked<(name: String, tools: [String], root: String)?>(nil)
        let lines = Locked<[String]>([])
        let code = try await onThread { try DemoRunner(
            executable: exe, speed: 4,
            dashboard: { socket in
                // A dashboard subscribes; wait for the agent's first call to come through.
                guard let client = try? ControlClient.connect(path: socket, clientName: "test-dashboard") else { return }
                defer { client.close() }
                _ = try? client.send(.subscribe, EmptyParams())
                while let m = try? client.next() {
                    if case .event(let e) = m, e.type == .call { break }
                }
                if let s = try? client.call(.status, as: Snapshot.self) {
                    let root = String(socket.dropLast("/run/exchange.sock".count))
                    seen.withLock { $0 = (s.gateway.name, s.tools.map(\.name), root) }
                }
            },
            write: { l in lines.withLock { $0.append(l) } },
            stderrToFile: false).run() }
        #expect(code == 0)
        let s = try #require(seen.withLock { $0 })
        #expect(s.name == "exchange")
        #expect(s.tools.contains("place_order") && s.tools.contains("delete_api_key"))
        expectNothingLeft(s.root)
        #expect(lines.withLock { $0 }.isEmpty, "the dashboard run prints no call lines")
    }

    /// Calls that wait for a person run beside the stream: while they are held, the agent goes on
    /// (here, into its runaway loop and the rate limit).
    @Test func heldCallsDoNotStopTheAgent() async throws {
        let exe = try requireBinary()
        let ws = try DemoWorkspace.create()
        defer { ws.remove() }
        let reports = Locked<[AgentReport]>([])
        let limited = OneShot<Bool>()
        let session = try await DemoSession.start(executable: exe, workspace: ws, speed: 8) { r in
            reports.withLock { $0.append(r) }
            if r.outcome == .rateLimited { limited.fire(true) }
        }
        session.startAgent()
        let sawLimit = try await onThread { limited.wait(timeout: patience) ?? false }
        let pending = try await onThread { () -> [PendingApproval] in
            let c = try ControlClient.connect(path: ws.socket, clientName: "test")
            defer { c.close() }
            return try c.call(.pending, as: [PendingApproval].self)
        }
        try await onThread { session.stop() }
        #expect(sawLimit)
        #expect(!pending.isEmpty, "a held call was still waiting when the loop hit the limit")
        let outcomes = Set(reports.withLock { $0 }.map(\.outcome))
        #expect(outcomes.isSuperset(of: [.ok, .denied, .rateLimited, .toolError]))
        #expect(processes(mentioning: ws.root).isEmpty)
    }

    @Test func aGatewayThatDiesAtOnceIsReportedNotWaitedFor() async throws {
        let ws = try DemoWorkspace.create()
        defer { ws.remove() }
        let error = await #expect(throws: DemoError.self) {
            _ = try await DemoSession.start(executable: "/bin/false", workspace: ws, speed: 1)
        }
        #expect(error?.description.contains("could not connect to the gateway (the gateway exited with code 1)") == true,
                "\(String(describing: error))")
    }

    @Test func printPolicyPrintsTheEmbeddedPolicy() throws {
        _ = try requireBinary()
        let r = try runGatehouse(["demo", "--print-policy"])
        #expect(r.status == 0)
        let text = r.out + "\n"
        #expect(PolicyLoader.load(text, file: "policy.json").errors.isEmpty)
        #expect(text.contains("\"hide\": [\"delete_api_key\"]"))
    }

    @Test func optionsAreChecked() {
        #expect(throws: (any Error).self) { try DemoCommand.parse(["--duration", "5"]) }
        #expect(throws: (any Error).self) { try DemoCommand.parse(["--no-dashboard", "--duration", "0"]) }
        #expect(throws: (any Error).self) { try DemoCommand.parse(["--speed", "0"]) }
        #expect((try? DemoCommand.parse(["--no-dashboard", "--duration", "5", "--speed", "2"])) != nil)
    }
}
