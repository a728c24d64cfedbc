import Foundation
import GatehouseCore
import Testing
@testable import GatehouseDashboard

/// The real event loop against fake gateways on real Unix sockets: discovery, events,
/// commands, lost and restarted gateways, floods. Driven step by step on the test's thread.
@Suite("Event loop", .serialized)
struct EventLoopTests {
    /// Socket paths must stay short (108 bytes), so these live right under /tmp.
    static func makeDirectory() throws -> String {
        let dir = "/tmp/ghd-" + String(UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Steps the loop until `condition` holds; false if it never does within the limit
    /// (a readiness wait with a generous limit, not a timing assertion).
    @discardableResult
    static func spin(_ app: DashboardApp<ScriptedTerminal>, limit: Double = 15, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while !condition() {
            if Date() > deadline { return false }
            app.step(maxWait: 0.02)
        }
        return true
    }

    @Test func discoversGatewaysShowsEventsAndSendsDecisions() throws {
        let dir = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let term = ScriptedTerminal()
        let app = DashboardApp(terminal: term, options: DashboardOptions(directory: dir, zone: .utc))
        app.prepare()
        defer { app.finish() }
        app.step(maxWait: 0.05)
        #expect(app.state.gatewayOrder.isEmpty)
        #expect(term.screen.contains("No gateway is running."))

        // A gateway appears after the dashboard started.
        let gw = try FakeGateway(path: dir + "/alpha.sock", snapshot: Fx.snapshot("alpha", pending: [Fx.held("p1", at: Date().timeIntervalSince1970)]))
        defer { gw.stop() }
        gw.respond = { req in
            let id = req["id"]?.intValue ?? 0
            var call = Fx.call(req["params"]?["id"]?.stringValue ?? "?", tool: "place_order", outcome: .forwarded, approver: "tester")
            call.approvalScope = "once"
            let body = String(decoding: try! JSONEncoder().encode(ResolveResult(call: call)), as: UTF8.self)
            return #"{"jsonrpc":"2.0","id":\#(id),"result":\#(body)}"#
        }
        #expect(Self.spin(app) { app.state.gateways[dir + "/alpha.sock"]?.connection == .connected })
        #expect(Self.spin(app) { term.screen.contains("alpha") && term.screen.contains("Pending approvals") })

        gw.push { Fx.callEvent(Fx.call("live1", at: Date().timeIntervalSince1970), seq: $0) }
        #expect(Self.spin(app) { app.state.log.contains(CallKey(gateway: dir + "/alpha.sock", id: "live1")) })

        // Approve the held call from the keyboard: the gateway gets its id and argsHash.
        term.press(.char("2"))
        Self.spin(app, limit: 1.2) { false }  // let the settle delay pass, as a person would
        term.press(.char("a"))
        #expect(Self.spin(app) { !gw.requests.isEmpty })
        let req = gw.requests[0]
        #expect(req["method"]?.stringValue == "approve")
        #expect(req["params"]?["id"]?.stringValue == "p1")
        #expect(req["params"]?["argsHash"]?.stringValue == "hash-p1")
        #expect(req["params"]?["scope"]?.stringValue == "once")
        #expect(Self.spin(app) { app.state.status?.kind == .success })
        #expect(Self.spin(app) { term.screen.contains("approve place_order p1 on alpha: done, approved by tester") })
    }

    @Test func aLostGatewayIsShownAndARestartedOneReconnects() throws {
        let dir = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/beta.sock"
        let gw = try FakeGateway(path: path, snapshot: Fx.snapshot("beta"))
        defer { gw.stop() }
        let term = ScriptedTerminal()
        // Given explicitly: watched whether or not the file exists.
        let app = DashboardApp(terminal: term, options: DashboardOptions(sockets: [path], directory: dir, zone: .utc))
        app.prepare()
        defer { app.finish() }
        #expect(Self.spin(app) { app.state.gateways[path]?.connection == .connected })

        gw.stop()
        #expect(Self.spin(app) {
            if case .disconnected? = app.state.gateways[path]?.connection { true } else { false }
        })
        #expect(Self.spin(app) { term.screen.contains("beta disconnected") })
        // Still failing while it is gone: the retries back off and the screen says so.
        Self.spin(app, limit: 1) { false }
        #expect(term.screen.contains("retrying in"))

        try gw.restart()
        #expect(Self.spin(app) { app.state.gateways[path]?.connection == .connected })
        #expect(Self.spin(app) { !term.screen.contains("beta disconnected") })
        gw.push { Fx.callEvent(Fx.call("after-restart"), seq: $0) }
        #expect(Self.spin(app) { app.state.log.contains(CallKey(gateway: path, id: "after-restart")) })
    }

    @Test func refusalsFromTheGatewayReachTheStatusLine() throws {
        let dir = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/gamma.sock"
        let gw = try FakeGateway(path: path, snapshot: Fx.snapshot("gamma", pending: [Fx.held("p7", at: Date().timeIntervalSince1970)]))
        defer { gw.stop() }
        let term = ScriptedTerminal()
        let app = DashboardApp(terminal: term, options: DashboardOptions(sockets: [path], zone: .utc))
        app.prepare()
        defer { app.finish() }
        #expect(Self.spin(app) { app.state.pending.count == 1 })
        term.press(.char("2"))
        Self.spin(app, limit: 1.2) { false }
        term.press(.char("d"), .char("n"), .char("o"), .enter)
        #expect(Self.spin(app) { gw.requests.count == 1 })
        #expect(gw.requests[0]["params"]?["reason"]?.stringValue == "no")
        #expect(Self.spin(app) { term.screen.contains("deny place_order p7 on gamma: refused by gamma: already resolved") })
    }

    @Test func aFloodOfEventsIsCoalescedIntoFewFramesAndKeysStillWork() throws {
        let dir = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/delta.sock"
        let gw = try FakeGateway(path: path, snapshot: Fx.snapshot("delta"))
        defer { gw.stop() }
        let term = ScriptedTerminal()
        let app = DashboardApp(terminal: term, options: DashboardOptions(sockets: [path], historyCapacity: 1000, zone: .utc))
        app.prepare()
        defer { app.finish() }
        #expect(Self.spin(app) { app.state.gateways[path]?.connection == .connected })
        let framesBefore = app.frames
        let started = Date()
        let pusher = Thread {
            for i in 0..<5000 { gw.push { Fx.callEvent(Fx.call("f\(i)"), seq: $0) } }
        }
        pusher.start()
        term.press(.char("3"))  // a key in the middle of the flood
        #expect(Self.spin(app, limit: 60) { app.state.log.contains(CallKey(gateway: path, id: "f4999")) })
        let elapsed = Date().timeIntervalSince(started)
        #expect(app.state.focus == .tools)
        #expect(app.state.log.count == 1000)                      // bounded
        let frames = app.frames - framesBefore
        #expect(Double(frames) <= elapsed * 30 + 3, "\(frames) frames in \(elapsed) s")
        #expect(frames < 5000)
    }

    @Test func quitAndTerminationEndTheLoop() throws {
        let term = ScriptedTerminal()
        let dir = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = DashboardApp(terminal: term, options: DashboardOptions(directory: dir))
        app.prepare()
        term.press(.char("q"))
        #expect(Self.spin(app) { app.finished != nil })
        #expect(app.finished == 0)

        let app2 = DashboardApp(terminal: term, options: DashboardOptions(directory: dir))
        app2.prepare()
        term.requestTermination(SIGTERM)
        #expect(Self.spin(app2) { app2.finished != nil })
        #expect(app2.finished == 128 + SIGTERM)
        term.press(.ctrl("L"))
        let app3 = DashboardApp(terminal: term, options: DashboardOptions(directory: dir))
        #expect(Self.spin(app3) { term.fullRedraws == 1 })
    }
}
