import GatehouseCore
import Testing
@testable import GatehouseDashboard

/// Every decision acts on the call the operator selected, by its id and the hash of the
/// arguments they were shown, and the ones with wide effects ask first.
@Suite("Model: decisions")
struct DecisionTests {
    /// One gateway with two held calls, the pending panel focused, time past the settle delay.
    func pendingDriver(readOnly: Bool = false) -> Driver {
        var d = Driver(readOnly: readOnly)
        d.attach(Fx.exchange, Fx.snapshot(pending: [Fx.held("p1", at: Fx.t0 - 5), Fx.held("p2", tool: "withdraw", at: Fx.t0 - 1)]))
        d.key(.char("2"))
        d.wait()
        return d
    }

    func approve(_ r: ControlRequest) -> ApproveParams? { if case .approve(let p) = r { p } else { nil } }
    func deny(_ r: ControlRequest) -> DenyParams? { if case .deny(let p) = r { p } else { nil } }

    @Test func approveSendsTheSelectedIdAndArgsHash() {
        var d = pendingDriver()
        d.key(.char("j"))
        let c = d.key(.char("a"))
        #expect(c.count == 1)
        let send = d.sends[0]
        #expect(send.gateway == Fx.exchange)
        #expect(approve(send.request) == ApproveParams(id: "p2", scope: .once, argsHash: "hash-p2"))
        #expect(d.state.inFlight[send.token]?.label == "approve withdraw p2 on exchange")
    }

    @Test func approveForAWhileOffersScopesAndAlwaysAsksAgain() {
        var d = pendingDriver()
        d.key(.char("A"))
        #expect(d.state.keyContext == .menu)
        #expect(d.key(.char("m")).count == 1)  // 10 minutes
        #expect(approve(d.sends[0].request) == ApproveParams(id: "p1", scope: .duration, durationSeconds: 600, argsHash: "hash-p1"))

        d.key(.char("A"))
        d.key(.char("s"))
        #expect(approve(d.sends[1].request)?.scope == .session)

        d.key(.char("A"))
        #expect(d.key(.char("a")).isEmpty)          // always: a second question
        #expect(d.state.keyContext == .confirmation)
        #expect(d.key(.enter).isEmpty)               // a stray Enter never answers it
        #expect(d.key(.char("y")).count == 1)
        #expect(approve(d.sends[2].request) == ApproveParams(id: "p1", scope: .always, argsHash: "hash-p1"))

        d.key(.char("A"))
        d.key(.escape)
        #expect(d.sends.count == 3)
        #expect(d.state.status?.text == "nothing was approved")
    }

    @Test func denyAsksForAnOptionalReason() {
        var d = pendingDriver()
        #expect(d.key(.char("d")).isEmpty)
        #expect(d.state.keyContext == .textPrompt)
        d.type("orders need a ticket")
        #expect(d.key(.enter).count == 1)
        #expect(deny(d.sends[0].request) == DenyParams(id: "p1", reason: "orders need a ticket", argsHash: "hash-p1"))

        d.key(.char("j"))
        d.key(.char("d"))
        d.type("   ")
        d.key(.enter)
        #expect(deny(d.sends[1].request) == DenyParams(id: "p2", reason: nil, argsHash: "hash-p2"))

        d.key(.char("d"))
        d.type("never mind")
        d.key(.escape)
        #expect(d.sends.count == 2)
    }

    @Test func theCommandCarriesTheCallAsShownWhenTheKeyWasPressed() {
        var d = pendingDriver()
        d.key(.char("d"))               // reason prompt open for p1
        // Meanwhile p1's arguments change (a new hold with the same id) and a new call arrives on top.
        var changed = Fx.held("p1", at: Fx.t0 - 5, args: ["side": "sell", "qty": 500])
        changed.call.argsHash = "hash-changed"
        d.input(.event(Fx.exchange, Fx.pendingEvent(changed, seq: 11)))
        d.input(.event(Fx.exchange, Fx.pendingEvent(Fx.held("p0", at: Fx.t0 - 60), seq: 12)))
        d.key(.enter)
        #expect(deny(d.sends[0].request) == DenyParams(id: "p1", reason: nil, argsHash: "hash-p1"))
    }

    @Test func aNewHeldCallNeverTakesTheSelection() {
        var d = pendingDriver()
        #expect(d.state.pendingCursor.key?.id == "p1")
        d.input(.event(Fx.exchange, Fx.pendingEvent(Fx.held("p0", at: Fx.t0 - 60), seq: 11)))  // sorts above p1
        #expect(d.state.pending.items.map(\.key.id) == ["p0", "p1", "p2"])
        #expect(d.state.pendingCursor.key?.id == "p1")
        d.key(.char("a"))
        #expect(approve(d.sends[0].request)?.id == "p1")
    }

    @Test func aResolvedSelectedCallStaysAsAGhostAndRefusesDecisions() {
        var d = pendingDriver()
        d.input(.event(Fx.exchange, Fx.resolvedEvent("p1", outcome: "approved", by: "bob", seq: 11)))
        #expect(d.state.pending.count == 1)
        #expect(d.state.pendingCursor.key?.id == "p1")          // not moved onto p2
        #expect(d.state.pendingRows.map(\.key.id) == ["p1", "p2"])
        #expect(d.key(.char("a")).isEmpty)
        #expect(d.key(.char("d")).isEmpty)
        #expect(d.state.modal == nil)
        #expect(d.state.status?.text == "place_order p1 is no longer waiting: approved by bob")
        d.key(.char("j"))                                        // the operator moves: the ghost goes
        #expect(d.state.pendingCursor.key?.id == "p2")
        #expect(d.state.pendingGhost == nil)
        #expect(d.state.pendingRows.map(\.key.id) == ["p2"])
    }

    @Test func awayFromThePendingPanelAResolvedCallMakesWayForItsNeighbour() {
        var d = pendingDriver()
        d.key(.char("1"))                      // the stream has the focus
        d.input(.event(Fx.exchange, Fx.resolvedEvent("p1", outcome: "timed_out", by: nil, seq: 11)))
        #expect(d.state.pendingGhost == nil)
        #expect(d.state.pendingCursor.key?.id == "p2")
        d.key(.char("2"))
        #expect(d.key(.char("a")).isEmpty)    // moved by the dashboard a moment ago: look first
        d.wait()
        #expect(d.key(.char("a")).count == 1)
        #expect(approve(d.sends[0].request)?.id == "p2")
        // A ghost goes when the operator looks elsewhere.
        d.input(.event(Fx.exchange, Fx.resolvedEvent("p2", outcome: "approved", by: "alice", seq: 12)))
        #expect(d.state.pendingGhost?.item.key.id == "p2")
        d.key(.char("1"))
        #expect(d.state.pendingGhost == nil)
        #expect(d.state.pendingRows.isEmpty)
    }

    @Test func aDecisionRightAfterTheCursorMovedByItselfIsRefusedOnce() {
        var d = Driver()
        d.attach()
        d.key(.char("2"))
        d.wait()
        d.input(.event(Fx.exchange, Fx.pendingEvent(Fx.held("p9"), seq: 11)))  // first call: selected by the dashboard
        #expect(d.state.pendingCursor.key?.id == "p9")
        d.now += 0.2
        #expect(d.key(.char("a")).isEmpty)
        #expect(d.state.status?.text.contains("only just appeared") == true)
        d.now += 0.3
        #expect(d.key(.char("a")).count == 1)  // the operator has now been told what it is
    }

    @Test func inTheStreamOnlyAHeldCallCanBeDecided() {
        var d = Driver()
        d.attach(Fx.exchange, Fx.snapshot(pending: [Fx.held("h1")], recent: [Fx.call("ok1")]))
        d.wait()
        // The snapshot's held call is in the stream too, after the recent ones.
        d.key(.char("g"))
        #expect(d.state.streamCursor.key?.id == "ok1")
        d.key(.char("a"))
        #expect(d.sends.isEmpty)
        #expect(d.state.status?.text == "get_price ok1 is not waiting for approval: allowed")
        d.key(.char("G"))
        d.wait()
        #expect(d.state.streamCursor.key?.id == "h1")
        d.key(.char("a"))
        #expect(approve(d.sends.last!.request) == ApproveParams(id: "h1", argsHash: "hash-h1"))
    }

    @Test func followingDecisionsWaitUntilTheOperatorCouldHaveSeenTheCall() {
        var d = Driver()
        d.attach(Fx.exchange, Fx.snapshot(recent: [Fx.call("a")]))
        d.wait()
        d.input(.event(Fx.exchange, Fx.pendingEvent(Fx.held("h2"), seq: 11)))  // follow moves the cursor onto it
        #expect(d.state.streamCursor.key?.id == "h2")
        #expect(d.key(.char("a")).isEmpty)
        #expect(d.state.status?.text.contains("just moved") == true)
    }

    @Test func approveAllAndDenyAllOnlyAfterYesAndOnlyWhatWasListed() {
        var d = pendingDriver()
        #expect(d.key(.ctrl("A")).isEmpty)
        guard case .confirm(.approveAll(let listed))? = d.state.modal else {
            Issue.record("no confirmation")
            return
        }
        #expect(listed.map(\.key.id) == ["p1", "p2"])
        d.input(.event(Fx.exchange, Fx.pendingEvent(Fx.held("p3"), seq: 11)))  // arrives while asking
        #expect(d.key(.char("a")).isEmpty)   // neither a nor Enter answers
        #expect(d.key(.enter).isEmpty)
        let c = d.key(.char("y"))
        #expect(c.count == 2)
        #expect(d.sends.map { approve($0.request)! } == [ApproveParams(id: "p1", argsHash: "hash-p1"),
                                                         ApproveParams(id: "p2", argsHash: "hash-p2")])
        let done = Fx.call("p1", tool: "place_order", outcome: .forwarded, approver: "alice")
        d.input(.commandSucceeded(token: d.sends[0].token, .call(done)))
        #expect(d.state.status?.text == "approving 2 held calls…")   // one answer of two: no news yet
        d.input(.commandFailed(token: d.sends[1].token, message: "call p2 was already denied by bob"))
        #expect(d.state.status?.text == "approve all: 1 of 2 done; 1 refused: call p2 was already denied by bob")
        #expect(d.state.status?.kind == .warning)
        d.key(.ctrl("D"))
        #expect(d.key(.char("n")).isEmpty)
        #expect(d.state.modal == nil)
        d.key(.ctrl("D"))   // p1 went through meanwhile: the gateway's answer said so
        #expect(d.key(.char("y")).count == 2)
        #expect(d.sends.suffix(2).map { deny($0.request)!.id } == ["p2", "p3"])
    }

    @Test func killSwitchOnlyAfterTypingTheGatewayName() {
        var d = pendingDriver()
        #expect(d.key(.char("K")).isEmpty)
        #expect(d.state.keyContext == .textPrompt)
        #expect(d.key(.char("y")).isEmpty)
        #expect(d.key(.enter).isEmpty)                       // "y" is not the name
        guard case .killSwitch(_, .engage, let c)? = d.state.modal else {
            Issue.record("no typed confirmation")
            return
        }
        #expect(c.mismatch)
        d.key(.backspace)
        d.type("exchang")
        #expect(d.key(.enter).isEmpty)
        d.type("e")
        #expect(d.key(.enter) == [.send(token: 1, gateway: Fx.exchange, request: .kill(KillParams(reason: nil)))])

        // Engaged: K releases, with the same typed confirmation.
        d.input(.event(Fx.exchange, ControlEvent(seq: 20, at: Fx.t0, type: .killSwitch,
                                                 killSwitch: KillSwitchInfo(engaged: true, by: "alice", at: Fx.t0))))
        d.key(.char("K"))
        d.type("exchange")
        let c2 = d.key(.enter)
        guard case .send(_, _, .release)? = c2.first else {
            Issue.record("no release: \(c2)")
            return
        }
        d.key(.char("K"))
        d.key(.escape)
        #expect(d.state.status?.text == "the kill switch was not changed")
    }

    @Test func withSeveralGatewaysTheKillSwitchAsksWhichOne() {
        var d = Driver()
        d.attach(Fx.exchange, Fx.snapshot("exchange"))
        d.attach(Fx.git, Fx.snapshot("git"))
        d.key(.char("K"))
        #expect(d.state.keyContext == .menu)
        d.key(.char("2"))
        guard case .killSwitch(let gw, .engage, _)? = d.state.modal else {
            Issue.record("no confirmation")
            return
        }
        #expect(gw == Fx.git)
        d.type("exchange")   // the other gateway's name does not do
        #expect(d.key(.enter).isEmpty)
        d.key(.ctrl("U"))
        d.type("git")
        #expect(d.key(.enter) == [.send(token: 1, gateway: Fx.git, request: .kill(KillParams(reason: nil)))])
    }

    @Test func toolOverrideMenu() {
        var d = Driver()
        d.attach()
        d.key(.char("3"))
        d.key(.char("j"))  // place_order (financial)
        d.key(.char("o"))
        #expect(d.state.keyContext == .menu)
        #expect(d.key(.char("d")) == [.send(token: 1, gateway: Fx.exchange,
                                            request: .toolOverride(ToolOverrideParams(tool: "place_order", action: "deny")))])
        d.key(.char("o"))
        d.key(.char("r"))
        d.key(.char("o"))
        d.key(.char("c"))
        #expect(d.sends.map(\.request) == [
            .toolOverride(.init(tool: "place_order", action: "deny")),
            .toolOverride(.init(tool: "place_order", action: "require_approval")),
            .toolOverride(.init(tool: "place_order", action: "clear")),
        ])
        d.key(.char("o"))
        #expect(d.key(.char("a")).isEmpty)        // allowing a financial tool asks
        #expect(d.key(.char("y")) == [.send(token: 4, gateway: Fx.exchange,
                                            request: .toolOverride(.init(tool: "place_order", action: "allow")))])
        d.key(.char("k"))  // get_price: read-only, allowing it needs no question
        d.key(.char("o"))
        #expect(d.key(.char("a")).count == 1)
    }

    @Test func readOnlyRefusesEveryDecisionAndSaysWhy() {
        var d = pendingDriver(readOnly: true)
        for k: Key in [.char("a"), .char("A"), .char("d"), .ctrl("A"), .ctrl("D"), .char("K"), .char("R")] {
            #expect(d.key(k).isEmpty, "\(k)")
            #expect(d.state.modal == nil, "\(k)")
            #expect(d.state.status?.text.hasPrefix("read-only:") == true, "\(k)")
        }
        d.key(.char("3"))
        d.key(.char("o"))
        #expect(d.state.status?.text == "read-only: tool override is switched off (the dashboard was started with --read-only)")
        #expect(d.sends.isEmpty)
    }

    @Test func answersAndRefusalsReachTheStatusLine() {
        var d = pendingDriver()
        d.key(.char("a"))
        let token = d.sends[0].token
        var done = Fx.call("p1", tool: "place_order", outcome: .forwarded, approver: "alice")
        done.approvalScope = "once"
        d.input(.commandSucceeded(token: token, .call(done)))
        #expect(d.state.status?.kind == .success)
        #expect(d.state.status?.text == "approve place_order p1 on exchange: done, approved by alice")
        #expect(d.state.inFlight.isEmpty)

        d.key(.char("j"))
        d.key(.char("a"))
        d.input(.commandFailed(token: d.sends[1].token, message: "call p2 was already denied by bob"))
        #expect(d.state.status?.kind == .error)
        #expect(d.state.status?.text == "approve withdraw p2 on exchange: refused by exchange: call p2 was already denied by bob")
    }

    @Test func aLostConnectionFailsWhatWasInFlight() {
        var d = pendingDriver()
        d.key(.char("a"))
        d.input(.disconnected(Fx.exchange, reason: "the gateway closed the connection", retryAt: Fx.t0 + 5))
        #expect(d.state.inFlight.isEmpty)
        #expect(d.state.status?.kind == .error)
        #expect(d.state.status?.text.contains("no answer") == true)
        d.wait()
        #expect(d.key(.char("a")).isEmpty)  // disconnected: nothing can be decided there
        #expect(d.state.status?.text.contains("disconnected") == true)
    }

    @Test func reloadGoesToTheSelectedGateway() {
        var d = Driver()
        d.attach()
        #expect(d.key(.char("R")) == [.send(token: 1, gateway: Fx.exchange, request: .reload)])
    }
}
