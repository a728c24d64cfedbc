import GatehouseCore
import Testing
@testable import GatehouseDashboard

/// The cursor belongs to the operator: rows arriving, ageing out or changing state never
/// move it to another call, except in follow mode while it sits on the newest call.
@Suite("Model: selection, follow, pause, filter")
struct SelectionTests {
    func streamDriver(calls n: Int, rows: Int = 10, capacity: Int = 10_000) -> Driver {
        var d = Driver(capacity: capacity, rows: rows)
        d.attach(Fx.exchange, Fx.snapshot(recent: (0..<n).map { Fx.call("c\($0)", at: Fx.t0 + Double($0)) }))
        return d
    }

    mutating func arrive(_ d: inout Driver, _ id: String, seq: UInt64, outcome: CallRecord.Outcome = .ok) {
        d.input(.event(Fx.exchange, Fx.callEvent(Fx.call(id, outcome: outcome, at: Fx.t0 + 100), seq: seq)))
    }

    @Test func followsTheNewestCallWhileOnIt() {
        var d = streamDriver(calls: 5)
        #expect(d.state.streamCursor.key?.id == "c4")
        #expect(d.state.isFollowing)
        var s = self
        s.arrive(&d, "c5", seq: 11)
        #expect(d.state.streamCursor.key?.id == "c5")
        // Drawn on the bottom-most used row: 6 calls in 10 rows start at the top.
        #expect(ListWindow.top(count: 6, selected: d.state.streamSelectedIndex, row: d.state.streamCursor.row, rows: 10) == 0)
    }

    @Test func newCallsNeverMoveASelectionAwayFromTheNewest() {
        var d = streamDriver(calls: 5)
        d.key(.char("k"))
        d.key(.char("k"))
        #expect(d.state.streamCursor.key?.id == "c2")
        #expect(!d.state.isFollowing)
        let row = d.state.streamCursor.row
        var s = self
        for i in 0..<20 { s.arrive(&d, "n\(i)", seq: UInt64(11 + i)) }
        #expect(d.state.streamCursor.key?.id == "c2")
        #expect(d.state.streamCursor.row == row)   // and stays on the same screen row
        #expect(d.state.streamSelectedIndex == 2)
    }

    @Test func anUpdateOfTheSelectedCallKeepsTheSelection() {
        var d = streamDriver(calls: 3)
        var s = self
        s.arrive(&d, "h", seq: 11, outcome: .held)
        d.key(.char("k"))
        d.key(.char("j"))
        #expect(d.state.streamCursor.key?.id == "h")
        s.arrive(&d, "x", seq: 12)  // not following any more? it is: the cursor was on the newest
        #expect(d.state.streamCursor.key?.id == "x")
        d.key(.char("k"))
        s.arrive(&d, "h", seq: 13, outcome: .ok)   // the held call finished: same call, same place
        #expect(d.state.streamCursor.key?.id == "h")
        #expect(d.state.call(CallKey(gateway: Fx.exchange, id: "h"))?.status == .allowed)
    }

    @Test func followOffStaysAndGoingToTheBottomFollowsAgain() {
        var d = streamDriver(calls: 3)
        d.key(.char("f"))
        #expect(!d.state.followNewest)
        var s = self
        s.arrive(&d, "n1", seq: 11)
        #expect(d.state.streamCursor.key?.id == "c2")
        d.key(.char("f"))   // on again: jumps to the newest
        #expect(d.state.streamCursor.key?.id == "n1")
        d.key(.char("g"))
        #expect(d.state.streamCursor.key?.id == "c0")
        s.arrive(&d, "n2", seq: 12)
        #expect(d.state.streamCursor.key?.id == "c0")
        d.key(.char("G"))
        #expect(d.state.isFollowing)
        s.arrive(&d, "n3", seq: 13)
        #expect(d.state.streamCursor.key?.id == "n3")
    }

    @Test func pauseFreezesTheViewButKeepsCollecting() {
        var d = streamDriver(calls: 3)
        d.key(.char(" "))
        #expect(d.state.isPaused)
        var s = self
        for i in 0..<4 { s.arrive(&d, "n\(i)", seq: UInt64(11 + i)) }
        #expect(d.state.streamLog.count == 3)       // the view: frozen
        #expect(d.state.log.count == 7)             // the memory: still collecting
        #expect(d.state.newWhilePaused == 4)
        #expect(d.state.streamCursor.key?.id == "c2")
        d.key(.char(" "))
        #expect(!d.state.isPaused)
        #expect(d.state.streamCursor.key?.id == "n3")  // it was following before the pause
    }

    @Test func historyIsBoundedAndAnAgedOutSelectionLandsOnTheOldest() {
        var d = streamDriver(calls: 5, capacity: 5)
        d.key(.char("g"))
        #expect(d.state.streamCursor.key?.id == "c0")
        var s = self
        s.arrive(&d, "n0", seq: 11)
        #expect(d.state.log.count == 5)
        #expect(d.state.streamCursor.key?.id == "c1")   // c0 aged out
        for i in 1..<100 { s.arrive(&d, "n\(i)", seq: UInt64(11 + i)) }
        #expect(d.state.log.count == 5)
    }

    @Test func pagingUsesThePanelHeight() {
        var d = streamDriver(calls: 50, rows: 10)
        d.key(.pageUp)
        #expect(d.state.streamCursor.key?.id == "c40")
        d.key(.char("g"))
        d.key(.pageDown)
        #expect(d.state.streamCursor.key?.id == "c9")
        #expect(d.state.streamCursor.row == 9)
    }

    @Test func liveFilterKeepsOrMovesTheSelectionAndEscRestores() {
        var d = Driver()
        d.attach(Fx.exchange, Fx.snapshot(recent: [
            Fx.call("a", tool: "get_price"), Fx.call("b", tool: "place_order", outcome: .held), Fx.call("c", tool: "get_price"),
        ]))
        d.key(.char("k"))  // b
        d.key(.char("/"))
        #expect(d.state.keyContext == .filterPrompt)
        d.type("place")
        #expect(d.state.log.filter.text == "place")      // applied while typing
        #expect(d.state.log.visibleCount == 1)
        #expect(d.state.streamCursor.key?.id == "b")
        d.key(.backspace)
        d.key(.ctrl("U"))
        d.type("price")
        #expect(d.state.log.visibleCount == 2)
        #expect(d.state.streamCursor.key?.id == "c")     // b is hidden: its neighbour
        d.key(.escape)                                   // cancel: the filter before the prompt
        #expect(d.state.log.filter.isEmpty)
        #expect(d.state.modal == nil)
        d.key(.char("/"))
        d.type("get")
        d.key(.enter)
        #expect(d.state.log.filter.text == "get")
        d.key(.escape)                                   // Esc in the panel clears it
        #expect(d.state.log.filter.isEmpty)
    }

    @Test func typingInTheFilterNeverTriggersKeys() {
        var d = Driver()
        d.attach(Fx.exchange, Fx.snapshot(pending: [Fx.held("p1")]))
        d.key(.char("/"))
        let commands = d.type("qaKdA")
        #expect(commands.isEmpty)
        #expect(d.state.modal != nil)
        #expect(d.state.log.filter.text == "qakda" || d.state.log.filter.text == "qaKdA")
    }

    @Test func tabCyclesPanelsAndNumbersJump() {
        var d = Driver()
        d.attach()
        #expect(d.state.cyclePanels == [.stream, .tools, .counters])  // no pending: skipped
        d.key(.tab)
        #expect(d.state.focus == .tools)
        d.key(.tab)
        #expect(d.state.focus == .counters)
        d.key(.backTab)
        #expect(d.state.focus == .tools)
        d.key(.char("2"))
        #expect(d.state.focus == .pending)
        #expect(d.state.status?.text == "no calls are waiting for approval")
        d.key(.char("1"))
        #expect(d.state.focus == .stream)
    }

    @Test func detailOpensOnTheSelectionAndScrolls() {
        var d = Driver()
        d.attach(Fx.exchange, Fx.snapshot(recent: [Fx.call("a"), Fx.call("b")]))
        d.key(.enter)
        #expect(d.state.keyContext == .detail)
        #expect(d.state.detailCall?.key.id == "b")
        var map = d.state.screen
        map.detailMaxScroll = 5
        d.input(.layout(map))
        d.key(.char("j"))
        d.key(.char("j"))
        #expect(d.state.detail?.scroll == 2)
        d.key(.char("G"))
        #expect(d.state.detail?.scroll == 5)
        d.key(.escape)
        #expect(d.state.detail == nil)
        d.key(.char("3"))
        d.key(.enter)
        #expect(d.state.detail?.target == .tool(ToolKey(gateway: Fx.exchange, name: "get_price")))
    }

    @Test func aClickSelectsTheRowUnderTheMouse() {
        var d = Driver()
        d.attach(Fx.exchange, Fx.snapshot(recent: (0..<5).map { Fx.call("c\($0)") }))
        var map = ScreenMap()
        map.pageRows[.stream] = 10
        map.regions = [ScreenMap.Region(Rect(row: 7, col: 1, rows: 1, cols: 60), .streamRow(CallKey(gateway: Fx.exchange, id: "c1")),
                                        listRow: 3),
                       ScreenMap.Region(Rect(row: 3, col: 0, rows: 10, cols: 80), .panel(.stream))]
        d.input(.layout(map))
        d.key(.char("3"))
        d.key(.mouse(row: 7, col: 10, button: .left))
        #expect(d.state.focus == .stream)
        #expect(d.state.streamCursor.key?.id == "c1")
        #expect(d.state.streamCursor.row == 3)
        d.key(.mouse(row: 4, col: 10, button: .wheelDown))
        #expect(d.state.streamCursor.key?.id == "c4")
    }
}
