import GatehouseCore
import Testing
@testable import GatehouseDashboard

@Suite("Formatting what the operator reads")
struct FormatTests {
    @Test func pendingCountdownSaysWhatHappensAndWhen() {
        var p = Fx.held("abc", at: Fx.t0, timeout: 60)
        #expect(Format.deadline(p, now: Fx.t0 + 18) == "deny in 42s")
        #expect(Format.deadline(p, now: Fx.t0 + 59.2) == "deny in 1s")
        #expect(Format.deadline(p, now: Fx.t0 + 61) == "denying…")
        p.onTimeout = "allow"
        p.expiresAt = Fx.t0 + 125
        #expect(Format.deadline(p, now: Fx.t0 + 60) == "allow in 1m05s")
        p.expiresAt = Fx.t0 + 3 * 3600 + 120
        #expect(Format.deadline(p, now: Fx.t0) == "allow in 3h02m")
    }

    @Test func numbersRatesLatencyAndClock() {
        #expect(Format.count(1_234_567) == "1,234,567")
        #expect(Format.count(999) == "999")
        #expect(Format.rate(0) == "0")
        #expect(Format.rate(0.4) == "0.4")
        #expect(Format.rate(12.4) == "12")
        #expect(Format.rate(10_000) == "10.0k")
        #expect(Format.latency(0.5) == "500µs")
        #expect(Format.latency(3.2) == "3ms")
        #expect(Format.latency(1234) == "1.2s")
        #expect(Format.latency(nil) == "")
        #expect(Format.clock(Fx.t0, zone: .utc) == "14:13:20")
    }

    @Test func callStatusFromOutcomeAndApprover() {
        #expect(CallStatus(Fx.call("1", outcome: .ok)) == .allowed)
        #expect(CallStatus(Fx.call("1", outcome: .ok, approver: "bob")) == .approved)
        #expect(CallStatus(Fx.call("1", outcome: .forwarded, approver: "bob")) == .approved)
        #expect(CallStatus(Fx.call("1", outcome: .ok, approver: "timeout")) == .allowed)
        #expect(CallStatus(Fx.call("1", outcome: .held)) == .held)
        #expect(CallStatus(Fx.call("1", outcome: .rateLimited)) == .rateLimited)
        #expect(CallStatus(Fx.call("1", outcome: .timedOut)) == .timedOut)
        #expect(CallStatus(Fx.call("1", outcome: .cancelled)) == .cancelled)
        #expect(CallStatus(Fx.call("1", outcome: .error)) == .errored)
        var toolError = Fx.call("1", outcome: .ok)
        toolError.resultIsError = true
        #expect(CallStatus(toolError) == .errored)
        // Every status has its own glyph, in both glyph sets: colour is never the only signal.
        for glyphs in [Glyphs.unicode, .ascii] {
            #expect(Set(CallStatus.allCases.map { $0.glyph(glyphs) }).count == CallStatus.allCases.count)
        }
    }

    @Test func rateMeterAveragesTheLastCompleteSeconds() {
        var m = RateMeter()
        for i in 0..<50 { m.record(at: Fx.t0 + Double(i) / 10) }  // 10 per second for 5 s
        #expect(m.perSecond(at: Fx.t0 + 5.5) == 10)
        #expect(m.perSecond(at: Fx.t0 + 30) == 0)
    }

    @Test func backoffGrowsAndCaps() {
        let b = Backoff()
        #expect((1...7).map { b.delay(afterFailures: $0) } == [0.25, 0.5, 1, 2, 4, 5, 5])
        #expect(b.delay(afterFailures: 0) == 0)
    }

    @Test func framePacerCoalesces() {
        var p = FramePacer(maxFPS: 30)
        #expect(p.due(at: 0))
        p.drew(at: 0)
        #expect(!p.due(at: 0.01))
        p.invalidate()
        p.invalidate()
        #expect(!p.due(at: 0.02))
        #expect(abs((p.wait(at: 0.02) ?? 0) - (1.0 / 30 - 0.02)) < 1e-9)
        #expect(p.due(at: 0.034))
        p.drew(at: 0.034)
        #expect(p.wait(at: 1) == nil)  // nothing changed: no frame, no timeout
    }
}
