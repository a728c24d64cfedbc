import GatehouseCore
import Testing
@testable import GatehouseDashboard

@Suite("Model: gateways, snapshots and events")
struct GatewayEventTests {
    @Test func helloAndSnapshotFillTheGateway() {
        var d = Driver()
        d.input(.gatewayFound(Fx.exchange))
        #expect(d.state.gateways[Fx.exchange]?.name == "exchange")   // from the socket's file name
        #expect(d.state.gateways[Fx.exchange]?.connection == .connecting)
        d.input(.connected(Fx.exchange, Fx.hello("exchange-live")))
        #expect(d.state.gateways[Fx.exchange]?.connection == .subscribing)
        d.input(.snapshot(Fx.exchange, Fx.snapshot("exchange-live", pending: [Fx.held("p1")], recent: [Fx.call("a")])))
        let g = d.state.gateways[Fx.exchange]
        #expect(g?.connection == .connected)
        #expect(g?.name == "exchange-live")
        #expect(g?.policy?.defaultAction == "deny")
        #expect(g?.tools.count == 3)
        #expect(g?.counters.count == 2)
        #expect(d.state.pending.count == 1)
        #expect(d.state.log.count == 2)
    }

    @Test func aSecondGatewaysHistoryIsMergedByTimeAndFollowingGoesOn() {
        var d = Driver()
        d.attach(Fx.exchange, Fx.snapshot(recent: [Fx.call("e1", at: Fx.t0), Fx.call("e2", at: Fx.t0 + 10)]))
        d.input(.event(Fx.exchange, Fx.callEvent(Fx.call("e3", at: Fx.t0 + 20), seq: 11)))
        #expect(d.state.streamCursor.key?.id == "e3")
        d.attach(Fx.git, Fx.snapshot("git", recent: [Fx.call("g1", at: Fx.t0 + 5, gateway: "git"),
                                                     Fx.call("g2", at: Fx.t0 + 15, gateway: "git")]))
        #expect(d.state.log.all.map(\.key.id) == ["e1", "g1", "e2", "g2", "e3"])
        #expect(d.state.isFollowing)
        d.input(.event(Fx.git, Fx.callEvent(Fx.call("g3", at: Fx.t0 + 25, gateway: "git"), seq: 11)))
        #expect(d.state.streamCursor.key?.id == "g3")
    }

    @Test func oldOrRepeatedEventsAreIgnored() {
        var d = Driver()
        d.attach(Fx.exchange, Fx.snapshot(seq: 10))
        d.input(.event(Fx.exchange, Fx.callEvent(Fx.call("old"), seq: 10)))   // already in the snapshot
        #expect(d.state.log.count == 0)
        d.input(.event(Fx.exchange, Fx.callEvent(Fx.call("new"), seq: 11)))
        d.input(.event(Fx.exchange, Fx.callEvent(Fx.call("dup"), seq: 11)))
        #expect(d.state.log.all.map(\.key.id) == ["new"])
    }

    @Test func resyncReplacesTheGatewaysState() {
        var d = Driver()
        d.attach(Fx.exchange, Fx.snapshot(pending: [Fx.held("p1"), Fx.held("p2")], recent: [Fx.call("done")], seq: 10))
        d.input(.event(Fx.exchange, Fx.callEvent(Fx.call("f1", outcome: .forwarded), seq: 11)))
        // The gateway dropped our backlog: p1 was approved and f1 finished meanwhile; p3 is new.
        var snap = Fx.snapshot(pending: [Fx.held("p2"), Fx.held("p3")],
                               recent: [Fx.call("done"), Fx.call("p1", tool: "place_order", approver: "bob"), Fx.call("f1")],
                               seq: 5000, killSwitch: KillSwitchInfo(engaged: true, by: "bob", at: Fx.t0))
        snap.tools = [Fx.tools[0]]
        d.input(.resync(Fx.exchange, ResyncParams(missed: 12345, snapshot: snap)))
        #expect(d.state.pending.items.map(\.key.id) == ["p2", "p3"])
        #expect(d.state.gateways[Fx.exchange]?.lastSeq == 5000)
        #expect(d.state.gateways[Fx.exchange]?.killSwitch.engaged == true)
        #expect(d.state.gateways[Fx.exchange]?.tools.map(\.name) == ["get_price"])
        #expect(d.state.call(CallKey(gateway: Fx.exchange, id: "f1"))?.status == .allowed)
        #expect(d.state.call(CallKey(gateway: Fx.exchange, id: "p1"))?.status == .approved)
        #expect(Set(d.state.log.all.map(\.key.id)) == ["done", "p1", "f1", "p2", "p3"])
        #expect(d.state.status?.text == "exchange: the dashboard fell behind and missed 12,345 events; state reloaded")
        d.input(.event(Fx.exchange, Fx.callEvent(Fx.call("late"), seq: 4999)))   // older than the resync
        #expect(!d.state.log.contains(CallKey(gateway: Fx.exchange, id: "late")))
    }

    @Test func disconnectAndReconnectAreShown() {
        var d = Driver()
        d.attach()
        d.input(.disconnected(Fx.exchange, reason: "the gateway closed the connection", retryAt: Fx.t0 + 2))
        guard case .disconnected(let reason, _, let retryAt)? = d.state.gateways[Fx.exchange]?.connection else {
            Issue.record("not disconnected")
            return
        }
        #expect(reason == "the gateway closed the connection")
        #expect(retryAt == Fx.t0 + 2)
        #expect(d.state.status?.text == "exchange: connection lost (the gateway closed the connection); reconnecting")
        #expect(d.state.gateways[Fx.exchange]?.tools.count == 3)   // what we knew stays on screen
        d.input(.connecting(Fx.exchange))
        d.input(.connected(Fx.exchange, Fx.hello("exchange")))
        d.input(.snapshot(Fx.exchange, Fx.snapshot(seq: 1)))       // a restarted gateway counts from 1 again
        #expect(d.state.gateways[Fx.exchange]?.connection == .connected)
        d.input(.event(Fx.exchange, Fx.callEvent(Fx.call("after"), seq: 2)))
        #expect(d.state.log.contains(CallKey(gateway: Fx.exchange, id: "after")))
    }

    @Test func countersMergeByKeyAndCountDown() {
        var d = Driver()
        d.attach()
        var c = Fx.counters[0]
        c.used = 10
        c.resetsIn = 30
        d.now += 5
        d.input(.event(Fx.exchange, ControlEvent(seq: 11, at: d.now, type: .counter, counters: [c])))
        let entry = d.state.gateways[Fx.exchange]?.counters[c.key]
        #expect(entry?.info.used == 10)
        #expect(entry?.resetsIn(at: d.now + 12) == 18)
        #expect(d.state.gateways[Fx.exchange]?.counters.count == 2)
    }

    @Test func toolsKillSwitchPolicyAndUpstreamEvents() {
        var d = Driver()
        d.attach()
        d.key(.char("3"))
        d.key(.char("G"))
        #expect(d.state.toolsCursor.key?.name == "cancel_all")
        d.input(.event(Fx.exchange, ControlEvent(seq: 11, at: Fx.t0, type: .tools, tools: Array(Fx.tools.prefix(2)))))
        #expect(d.state.toolsCursor.key?.name == "place_order")   // its row went away: the neighbour
        d.input(.event(Fx.exchange, ControlEvent(seq: 12, at: Fx.t0, type: .killSwitch,
                                                 killSwitch: KillSwitchInfo(engaged: true, by: "bob", at: Fx.t0))))
        #expect(d.state.status?.text == "exchange: KILL SWITCH ENGAGED by bob")
        d.input(.event(Fx.exchange, ControlEvent(seq: 13, at: Fx.t0, type: .policyRejected, errors: ["p.yaml:3:1: error: x"])))
        #expect(d.state.gateways[Fx.exchange]?.policyRejection == ["p.yaml:3:1: error: x"])
        d.input(.event(Fx.exchange, ControlEvent(seq: 14, at: Fx.t0, type: .policyReloaded, policy: Fx.policy)))
        #expect(d.state.gateways[Fx.exchange]?.policyRejection == nil)
        d.input(.event(Fx.exchange, ControlEvent(seq: 15, at: Fx.t0, type: .upstream, upstreamRunning: false, message: "exited 1")))
        #expect(d.state.gateways[Fx.exchange]?.upstreamRunning == false)
        #expect(d.state.status?.kind == .error)
    }

    @Test func callsPerSecondCountArrivalsNotUpdates() {
        var d = Driver()
        d.attach()
        for i in 0..<20 {
            d.now = Fx.t0 + Double(i) / 4   // 4 per second for 5 seconds
            d.input(.event(Fx.exchange, Fx.callEvent(Fx.call("c\(i)", outcome: .forwarded), seq: UInt64(11 + 2 * i))))
            d.input(.event(Fx.exchange, Fx.callEvent(Fx.call("c\(i)"), seq: UInt64(12 + 2 * i))))
        }
        #expect(d.state.rate(at: Fx.t0 + 5.2) == 4)
    }
}
