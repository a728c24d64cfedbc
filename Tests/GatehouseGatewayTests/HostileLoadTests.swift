import Foundation
import GatehouseControl
import GatehouseCore
import GatehouseTesting
import GatehouseTransport
import Synchronization
import Testing
@testable import GatehouseGateway

/// Load: a thousand held calls, twenty dashboards, ten thousand calls in a burst. Nothing is lost
/// (every call is answered exactly once), and what the gateway keeps is bounded.
/// GATEHOUSE_HEAVY=1 multiplies the burst by ten.
@Suite(.serialized) struct HostileLoadTests {
    static let heavy = ProcessInfo.processInfo.environment["GATEHOUSE_HEAVY"] == "1"

    static func residentMiB() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return (line?.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0) / 1024
    }

    /// Polls without holding a thread of the cooperative pool (2 on this machine): other suites'
    /// async tests, e.g. the SDK client's, must keep running while this one waits.
    static func eventually(timeout: Duration = .seconds(120), _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    /// How many answers (responses, not notifications) the client got for each id.
    static func answerCounts(_ h: Harness) -> [JSONValue: Int] {
        var counts: [JSONValue: Int] = [:]
        for m in h.toClient.messages where m["method"] == nil {
            if let id = m["id"] { counts[id, default: 0] += 1 }
        }
        return counts
    }

    @Test func aThousandPendingApprovalsAreAllResolvedOnceAndTimeoutsFire() async throws {
        let h = try Harness(policy: Policies.shortTimeout(onTimeout: "deny"))
        let before = Self.residentMiB()
        let held = 1_000, timing = 300
        for i in 0..<held { h.call(.number(i), "slow", ["i": .number(i)]) }
        for i in held..<(held + timing) { h.call(.number(i), "transfer", ["i": .number(i)]) }
        #expect(await Self.eventually { h.enforcer.pendingApprovals().count + Self.answerCounts(h).count >= held + timing })
        let pending = h.enforcer.pendingApprovals().filter { $0.call.tool == "slow" }
        #expect(pending.count == held)
        let mid = Self.residentMiB()
        // Half approved, the rest denied, from several operators at once.
        DispatchQueue.concurrentPerform(iterations: pending.count) { k in
            let p = pending[k]
            if k % 2 == 0 {
                _ = try? h.enforcer.approve(ApproveParams(id: p.id), by: "op\(k % 7)")
            } else {
                _ = try? h.enforcer.deny(DenyParams(id: p.id, reason: "load"), by: "op\(k % 7)")
            }
        }
        // Approved calls went upstream; answer them.
        for m in h.toUpstream.messages where m["method"] == "tools/call" { h.upstreamAnswers(m["id"]!) }
        // The 300 short ones time out by themselves.
        #expect(await Self.eventually { Self.answerCounts(h).count == held + timing })
        let counts = Self.answerCounts(h)
        #expect(counts.values.allSatisfy { $0 == 1 }, "some call was answered more than once")
        #expect(h.enforcer.pendingApprovals().isEmpty)
        let answers = h.toClient.messages.filter { $0["method"] == nil }
        #expect(answers.filter { $0.gatehouseDecision == "timeout" }.count == timing)
        #expect(answers.filter { $0.gatehouseDecision == "deny" }.count == held / 2)
        #expect(answers.filter { $0.resultText == "done" }.count == held / 2)
        // What stays in memory is bounded by the recent-calls window, not by the calls seen.
        let kept = h.enforcer.state.withLock { ($0.recentCalls.count, $0.held.count, $0.inFlight.count, $0.heldByRequest.count) }
        #expect(kept.0 <= 2 * 500 && kept.1 == 0 && kept.2 == 0 && kept.3 == 0, "\(kept)")
        let rows = try h.auditRows()
        #expect(rows.count == held + timing)
        #expect(Set(rows.map(\.outcome)) == [.ok, .denied, .timedOut])
        print("1,000 held + 300 timed out: RSS \(Int(before)) -> \(Int(mid)) (held) -> \(Int(Self.residentMiB())) MiB")
    }

    @Test func twentyDashboardsAndABurstOfTenThousandCallsLoseNothing() async throws {
        let f = try ControlFixture()
        let h = f.harness
        let dashboards = try (0..<20).map { _ in try f.raw() }
        for d in dashboards {
            try d.hello()
            try d.send(Msg.request("sub", "subscribe"))
            #expect(try d.next()?["result"]?["seq"] != nil)
        }
        // Each dashboard is read on its own thread, keeping the highest seq it has seen.
        let seen = (0..<20).map { _ in SeqBox() }
        let readers = (0..<20).map { i in
            let t = Thread {
                // Read directly, not through `next(within:)`: a watchdog per read would pile up
                // hundreds of thousands of pending timers in this process and blur its memory figure.
                // The test closes the connections at the end, which ends these loops.
                let d = dashboards[i]
                while case .line(let bytes)? = try? d.connection.reader.next(), let m = try? JSONParser.parse(bytes) {
                    if let s = m["params"]?["seq"]?.intValue { seen[i].raise(s) }
                    if let s = m["params"]?["snapshot"]?["seq"]?.intValue { seen[i].raise(s); seen[i].resync() }
                }
            }
            t.start()
            return t
        }
        _ = readers
        let n = Self.heavy ? 100_000 : 10_000
        var rss = [Self.residentMiB()]
        let started = Date()
        // Two halves: memory taken by the first should be reused by the second, not added to.
        for half in 0..<2 {
            for i in (half * n / 2)..<((half + 1) * n / 2) {
                if i % 50 == 0 { await Task.yield() }
                let id = JSONValue.number(i)
                switch i % 4 {
                case 0, 1:
                    h.call(id, "get_time")
                    h.upstreamAnswers(id)
                case 2: h.call(id, "delete_everything")
                default: h.call(id, "limited")
                    // (Looked up in the enforcer: scanning everything sent upstream would make this quadratic.)
                    if h.enforcer.state.withLock({ $0.inFlight[JSONRPC.key(id)] != nil }) { h.upstreamAnswers(id) }
                }
            }
            let upTo = Int(h.enforcer.snapshot().seq)
            #expect(await Self.eventually { seen.allSatisfy { $0.value >= upTo } })
            rss.append(Self.residentMiB())
        }
        let elapsed = Date().timeIntervalSince(started)
        // Bounded: the second half reuses what the first took (test-side recorders grow a little).
        #expect(rss[2] - rss[1] < 64, "RSS grew \(rss) MiB")
        let counts = Self.answerCounts(h)
        #expect(counts.count == n)
        #expect(counts.values.allSatisfy { $0 == 1 })
        // Every dashboard catches up with the last event (directly or through a resync).
        let last = Int(h.enforcer.snapshot().seq)
        #expect(await Self.eventually { seen.allSatisfy { $0.value >= last } })
        let rows = try h.auditRows()
        #expect(rows.count == n)
        let resyncs = seen.map(\.resyncs).reduce(0, +)
        print("burst of \(n) calls with 20 dashboards: \(Int(Double(n) / elapsed)) calls/s, \(resyncs) resyncs, RSS MiB \(rss.map { Int($0) })")
        for d in dashboards { d.close() }
        #expect(await Self.eventually { h.hub.subscriberCount == 0 })
        // The hub holds at most its capacity per subscriber, and nothing once they are gone.
        #expect(h.enforcer.state.withLock { $0.recentCalls.count } <= 1_000)
    }
}

final class SeqBox: Sendable {
    private let state = Mutex((seq: 0, resyncs: 0))
    func raise(_ s: Int) { state.withLock { $0.seq = max($0.seq, s) } }
    func resync() { state.withLock { $0.resyncs += 1 } }
    var value: Int { state.withLock { $0.seq } }
    var resyncs: Int { state.withLock { $0.resyncs } }
}
