import GatehouseCore
import Testing
@testable import GatehouseDashboard

/// The dashboard drawn into a RecordingScreen at the sizes operators use, checked by text
/// and by semantic style.
@Suite("Layout")
struct LayoutTests {
    static let now = Fx.t0 + 20

    /// A busy gateway: two held calls, a stream of mixed outcomes, tools and counters.
    static func busy(readOnly: Bool = false, gateways: Int = 1) -> Driver {
        var d = Driver(readOnly: readOnly)
        let outcomes: [CallRecord.Outcome] = [.ok, .ok, .denied, .rateLimited, .ok, .timedOut, .cancelled, .error]
        var recent = (0..<40).map { i in
            Fx.call("c\(i)", tool: i % 3 == 0 ? "place_order" : "get_price", outcome: outcomes[i % outcomes.count],
                    at: Fx.t0 - 40 + Double(i), approver: i % 3 == 0 && outcomes[i % outcomes.count] == .ok ? "alice" : nil)
        }
        recent.append(Fx.call("h1", tool: "place_order", outcome: .held, at: Fx.t0))
        d.attach(Fx.exchange, Fx.snapshot(pending: [Fx.held("h1", at: Fx.t0), Fx.held("h2", tool: "withdraw", at: Fx.t0 + 1)],
                                          recent: recent))
        if gateways > 1 { d.attach(Fx.git, Fx.snapshot("git", recent: [Fx.call("g1", tool: "git_status", gateway: "git")])) }
        return d
    }

    @discardableResult
    static func render(_ d: inout Driver, rows: Int, cols: Int, utf8: Bool = true, now: Double = now) -> RecordingScreen {
        let s = RecordingScreen(rows: rows, cols: cols, utf8: utf8)
        // Twice, like the app: the first frame reports the real panel heights.
        for _ in 0..<2 {
            s.beginFrame()
            let map = DashboardView.draw(d.state, on: s, context: ViewContext(now: now, zone: .utc, watching: "/run/gh"))
            s.endFrame()
            d.input(.layout(map))
        }
        return s
    }

    /// Every framed row ends in a border: nothing spilled over a panel's edge.
    static func framesAreIntact(_ s: RecordingScreen) -> Bool {
        (0..<s.size.rows).allSatisfy { r in
            s.cells[r][0].text != "│" || ["│", "┘", "┐", "┤"].contains(s.cells[r][s.size.cols - 1].text)
        }
    }

    @Test(arguments: [(24, 80), (40, 120), (20, 60)])
    func busyDashboardAtCommonSizes(rows: Int, cols: Int) {
        var d = Self.busy()
        let s = Self.render(&d, rows: rows, cols: cols)
        #expect(s.rowText(0).hasPrefix(" Gatehouse "))
        #expect(s.contains("exchange"))
        #expect(s.contains("2 waiting"))
        #expect(s.contains("Pending approvals"))
        #expect(s.contains("deny in 40s"))    // h1: held at t0 for 60 s, now t0 + 20
        #expect(s.contains("Live stream"))
        #expect(s.rowText(rows - 1).hasPrefix("? help  q quit"))
        #expect(Self.framesAreIntact(s), "\(s.dump())")
        // Statuses keep their glyph at every size; the newest call (h1, held) is selected.
        #expect(s.contains("⏸"))
        let sel = s.find("▶ ")
        #expect(sel != nil)
        if let sel { #expect(s.styleAt(row: sel.row, col: sel.col + 3) == .selected || s.styleAt(row: sel.row, col: sel.col + 3) == .selectedInactive) }
        if cols >= DashboardLayout.sidebarMinCols {
            #expect(s.contains("3 Tools"))
            #expect(s.contains("4 Counters"))
            #expect(s.contains("needs approval"))
            #expect(s.contains("denied · override by bob"), "\(s.dump())")
        } else {
            #expect(!s.contains("3 Tools"))
        }
        if cols >= 80 {
            #expect(s.contains("trading-bot·7f3a9c01"))
            #expect(s.contains("✗ denied"))
            #expect(s.contains("◔ rate-limited"))
        } else {
            #expect(!s.contains("trading-bot·"))    // the agent column goes first
            #expect(s.contains("✗ denied") || s.contains("✗"))
        }
    }

    @Test func decisionsAreColouredByOutcome() {
        var d = Self.busy()
        let s = Self.render(&d, rows: 40, cols: 120)
        for (text, style) in [("✗ denied", Style.denied), ("◔ rate-limited", .rateLimited), ("⧗ timed out", .timedOut),
                              ("⊘ cancelled", .cancelled), ("⚠ error", .errored), ("✔ approved", .approved), ("✓ allowed", .allowed)] {
            guard let at = s.find(text) else {
                Issue.record("\(text) not on screen")
                continue
            }
            #expect(s.styleAt(row: at.row, col: at.col) == style, "\(text)")
        }
        // The selected counter keeps its bar's colour; its text takes the selection's.
        let gauge = s.find("█████")
        #expect(gauge.map { s.styleAt(row: $0.row, col: $0.col) } == .gaugeHigh)
        let low = s.find("100/1000")
        #expect(low.map { s.styleAt(row: $0.row, col: $0.col) } == .gaugeLow)
        let risk = s.find("financial")
        #expect(risk.map { s.styleAt(row: $0.row, col: $0.col) } == .risk(.financial))
    }

    @Test func narrowTerminalsTradePanelsForTheMainArea() {
        var d = Self.busy()
        d.key(.char("3"))
        let s = Self.render(&d, rows: 24, cols: 80)
        #expect(s.contains("3 Tools"))
        #expect(!s.contains("1 Live stream"))
        #expect(s.contains("place_order"))
        d.key(.char("4"))
        let c = Self.render(&d, rows: 24, cols: 80)
        #expect(c.contains("4 Counters"))
        #expect(c.contains("orders[grant:trading-bot]"))
    }

    @Test func everySizeFromTheMinimumUpDrawsCleanly() {
        var d = Self.busy(gateways: 2)
        for rows in stride(from: 10, through: 46, by: 3) {
            for cols in stride(from: 40, through: 160, by: 7) {
                let s = Self.render(&d, rows: rows, cols: cols)
                #expect(!s.contains("Terminal too small"), "\(cols)x\(rows)")
                #expect(Self.framesAreIntact(s), "\(cols)x\(rows)\n\(s.dump())")
            }
        }
    }

    @Test func belowTheMinimumSaysSoButStillShowsTheKillSwitch() {
        var d = Self.busy()
        let s = Self.render(&d, rows: 9, cols: 60)
        #expect(s.contains("Terminal too small"))
        #expect(s.contains("60x9, need 40x10"))
        d.input(.event(Fx.exchange, ControlEvent(seq: 99, at: Fx.t0, type: .killSwitch,
                                                 killSwitch: KillSwitchInfo(engaged: true, by: "bob", at: Fx.t0))))
        let k = Self.render(&d, rows: 8, cols: 30)
        #expect(k.rowText(0).hasPrefix("■ KILL SWITCH"))
    }

    @Test func anEngagedKillSwitchIsAFullWidthBar() {
        var d = Self.busy()
        d.input(.event(Fx.exchange, ControlEvent(seq: 99, at: Fx.t0, type: .killSwitch,
                                                 killSwitch: KillSwitchInfo(engaged: true, by: "bob", at: Fx.t0, reason: "runaway"))))
        for (rows, cols) in [(24, 80), (40, 120), (20, 60)] {
            let s = Self.render(&d, rows: rows, cols: cols)
            #expect(s.rowText(1).hasPrefix(" ■ KILL SWITCH ENGAGED on exchange by bob at 14:13:20"))
            #expect(s.styles(row: 1) == [.killSwitch])   // every cell of the line
            #expect(s.rowText(0).contains("■ exchange"))
        }
        var ro = Self.busy(readOnly: true)
        ro.input(.event(Fx.exchange, ControlEvent(seq: 99, at: Fx.t0, type: .killSwitch, killSwitch: KillSwitchInfo(engaged: true))))
        let s = Self.render(&ro, rows: 40, cols: 160)
        #expect(!s.rowText(1).contains("K releases"))
        #expect(s.rowText(0).contains("READ-ONLY"))
    }

    @Test func aLostGatewayIsAnAlertWithItsRetry() {
        var d = Self.busy(gateways: 2)
        d.input(.disconnected(Fx.git, reason: "not running", retryAt: Self.now + 4))
        let s = Self.render(&d, rows: 24, cols: 100)
        #expect(s.contains("○ git disconnected: not running; retrying in 4s"))
        let at = s.find("○ git disconnected")!
        #expect(s.styleAt(row: at.row, col: at.col) == .alert)
        #expect(s.rowText(0).contains("git disconnected") || s.rowText(0).contains("git"))
    }

    @Test func noGatewayExplainsHowToStartOne() {
        var d = Driver()
        let s = Self.render(&d, rows: 24, cols: 80)
        #expect(s.contains("No gateway is running."))
        #expect(s.contains("Watching /run/gh for control sockets."))
        #expect(s.contains("gatehouse serve --policy POLICY -- COMMAND"))
    }

    @Test func monochromeAndNoColorStillMarkSelectionAlertsAndKillSwitch() {
        var d = Self.busy()
        d.input(.event(Fx.exchange, ControlEvent(seq: 99, at: Fx.t0, type: .killSwitch, killSwitch: KillSwitchInfo(engaged: true))))
        let s = Self.render(&d, rows: 24, cols: 80)
        let sel = s.find("▶ ")!
        for theme in [Theme.monochrome, Theme.default] {
            let palette = TerminalPalette(theme: theme, depth: .noColor)
            for (row, col, what) in [(1, 5, "kill-switch bar"), (sel.row, sel.col + 4, "selected row"), (0, 40, "header")] {
                let attrs = palette[s.styleAt(row: row, col: col)].attributes
                #expect(attrs.contains(.reverse), "\(theme.name): \(what)")
            }
        }
    }

    @Test func asciiTerminalsGetAsciiGlyphs() {
        var d = Self.busy()
        let s = Self.render(&d, rows: 24, cols: 80, utf8: false)
        #expect(s.contains("x denied"))
        #expect(s.contains("= held") || s.contains("="))
        #expect(s.rowText(1).hasPrefix("+-"))
        for r in 0..<24 {
            let line = s.rowText(r)
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "row \(r)")
        }
    }

    @Test func hintsShowWhatWorksWhereTheCursorIs() {
        var d = Self.busy()
        d.key(.char("2"))
        var s = Self.render(&d, rows: 24, cols: 120)
        #expect(s.rowText(23).hasPrefix("? help  q quit  a approve  d deny  A approve for"))
        d.key(.char("1"))
        d.key(.char("g"))   // an allowed call: nothing to decide
        s = Self.render(&d, rows: 24, cols: 120)
        #expect(!s.rowText(23).contains("a approve"))
        #expect(s.rowText(23).contains("^A approve all"))
        var ro = Self.busy(readOnly: true)
        ro.key(.char("2"))
        s = Self.render(&ro, rows: 24, cols: 200)
        #expect(!s.rowText(23).contains("approve"))
        ro.key(.char("a"))
        s = Self.render(&ro, rows: 24, cols: 200)
        #expect(s.rowText(22).contains("read-only: approve is switched off"))
    }

    @Test func dialogsDrawAndPlaceTheCaret() {
        var d = Self.busy()
        d.key(.char("2"))
        d.wait()
        d.key(.char("d"))
        d.type("needs a ticket")
        var s = Self.render(&d, rows: 24, cols: 80)
        #expect(s.contains("Deny place_order h1 on exchange"))
        #expect(s.contains("needs a ticket"))
        #expect(s.contains("Enter denies · Esc cancels"))
        #expect(s.cursor != nil)
        d.key(.escape)
        d.key(.char("K"))
        d.type("exch")
        s = Self.render(&d, rows: 24, cols: 80)
        #expect(s.contains("ENGAGE THE KILL SWITCH on exchange"))
        #expect(s.contains("Type exchange and press Enter:"))
        #expect(s.contains("Esc cancels"))
        #expect(!s.contains("Enter confirms"))
        d.type("ange")
        s = Self.render(&d, rows: 24, cols: 80)
        #expect(s.contains("Enter confirms"))
        d.key(.escape)
        d.key(.ctrl("A"))
        s = Self.render(&d, rows: 24, cols: 80)
        #expect(s.contains("Approve all 2 held calls?"))
        #expect(s.contains("y approve them all · n no"))
        d.key(.char("n"))
        d.key(.char("A"))
        s = Self.render(&d, rows: 24, cols: 80)
        #expect(s.contains("Approve place_order h1"))
        #expect(s.contains("place_order for 10 minutes"))
    }

    @Test func helpOverlayAtTheSmallestUsefulSize() {
        var d = Self.busy()
        d.key(.char("?"))
        let s = Self.render(&d, rows: 24, cols: 80)
        #expect(s.contains("Help: Live stream"))
        #expect(s.contains("pause or resume the stream"))
        #expect(s.rowText(23).hasPrefix("Esc close"))
        d.key(.char("q"))
        #expect(d.state.modal == nil)
    }

    @Test func detailShowsArgumentsTraceResultAndApprover() {
        var d = Self.busy()
        d.key(.char("g"))
        d.key(.char("j"))
        d.key(.char("j"))
        d.key(.char("j"))   // c3: place_order, approved by alice (rate_limited? no: outcomes[3] is rate-limited)
        d.key(.enter)
        var s = Self.render(&d, rows: 30, cols: 100)
        #expect(s.contains("Call c3 · place_order on exchange"))
        #expect(s.contains("◔ rate-limited"))
        #expect(s.contains("Arguments"))
        #expect(s.contains("\"symbol\": \"BTC\""))
        #expect(s.contains("Decision trace"))
        #expect(s.contains("1. tool place_order"))
        d.key(.escape)
        d.key(.char("g"))
        d.key(.enter)    // c0: place_order ok approved by alice
        s = Self.render(&d, rows: 30, cols: 100)
        let approver = s.find("approver")
        #expect(approver.map { s.rowText($0.row).contains("alice") } == true)
        #expect(s.contains("Upstream result"))
        #expect(s.contains("{\"price\": 64000}"))
    }

    @Test func pendingCountdownTurnsUrgent() {
        var d = Self.busy()
        let calm = Self.render(&d, rows: 24, cols: 100, now: Fx.t0 + 5)
        let at = calm.find("deny in 56s")!    // h2, not selected
        #expect(calm.styleAt(row: at.row, col: at.col) == .held)
        let urgent = Self.render(&d, rows: 24, cols: 100, now: Fx.t0 + 55)
        let u = urgent.find("deny in 6s")!
        #expect(urgent.styleAt(row: u.row, col: u.col) == .alert)
        let late = Self.render(&d, rows: 24, cols: 100, now: Fx.t0 + 70)
        #expect(late.contains("denying…"))
    }
}

@Suite("Layout: filters")
struct FilterLayoutTests {
    @Test func theFilterShowsInTheTitleAndMarksWhatMatched() {
        var d = LayoutTests.busy()
        d.key(.char("/"))
        d.type("place")
        var s = LayoutTests.render(&d, rows: 24, cols: 100)
        #expect(s.rowText(22).contains("filter live stream: /place"))
        #expect(s.cursor?.row == 22)
        d.key(.enter)
        s = LayoutTests.render(&d, rows: 24, cols: 100)
        #expect(s.contains("filter \"place\": 15 shown"))
        // The matched word is marked in rows that are not selected.
        let row = (0..<24).first { s.rowText($0).contains("place_order") && !s.rowText($0).contains("▶") && s.rowText($0).contains("14:1") }
        if let row, let at = s.rowText(row).range(of: "place_order") {
            let col = s.rowText(row).distance(from: s.rowText(row).startIndex, to: at.lowerBound)
            #expect(s.styleAt(row: row, col: col) == .match)
            #expect(s.styleAt(row: row, col: col + 5) == .normal)   // "_order" is not part of the word
        } else {
            Issue.record("no unselected place_order row\n\(s.dump())")
        }
        #expect(!s.contains("get_price"))
    }
}
