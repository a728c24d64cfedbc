import Foundation
import Histogram
#if canImport(Glibc)
import Glibc
#endif

/// `gatehouse-bench proxy`: one MCP client, one fast upstream, the same `tools/call` made
/// directly, through a bare byte relay, through `gatehouse serve` (with and without a counter)
/// and through a peer gateway. Every chain is started once; the rounds then take turns, in a
/// rotating order, so noise on this shared machine falls on all of them alike.
enum ProxyBench {
    struct Mode {
        var name: String
        var command: [String]
        var note: String
    }

    struct Result {
        var sequential = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var roundP50: [UInt64] = []
        var calls = 0
        var nanos: UInt64 = 0
        var bad = 0
        var pipelinedCalls = 0
        var pipelinedNanos: UInt64 = 0
        var pipelined = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    }

    static func run(_ args: [String]) {
        let calls = Options.int(args, "--calls") ?? 20_000
        let rounds = Options.int(args, "--rounds") ?? 5
        let warmup = Options.int(args, "--warmup") ?? 2_000
        let depth = Options.int(args, "--pipeline") ?? 16
        let pipelineCalls = Options.int(args, "--pipeline-calls") ?? calls
        let me = Options.selfPath()
        let gatehouse = Options.string(args, "--gatehouse") ?? (me as NSString).deletingLastPathComponent + "/gatehouse"
        let peer = Options.string(args, "--mcp-proxy-plus")
        let only = Options.string(args, "--modes").map { Set($0.split(separator: ",").map(String.init)) }

        let work = Options.tempDirectory("proxy")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let upstream = [me, "upstream"]
        var modes = [
            Mode(name: "direct", command: upstream, note: "client ↔ upstream"),
            Mode(name: "relay", command: [me, "relay", "--"] + upstream, note: "two threads copying bytes"),
        ]
        // --before PATH adds the same two gateway modes run by another build, for before/after
        // comparisons under the same noise.
        var gateways = [("gatehouse", limitedPolicy, gatehouse), ("gatehouse-nolimit", plainPolicy, gatehouse),
                        ("gatehouse-shared", sharedPolicy, gatehouse)]
        if let before = Options.string(args, "--before") {
            gateways += [("before", limitedPolicy, before), ("before-nolimit", plainPolicy, before)]
        }
        for (name, policy, binary) in gateways {
            let dir = work + "/" + name
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let policyPath = dir + "/policy.json"
            try? policy.write(toFile: policyPath, atomically: false, encoding: .utf8)
            modes.append(Mode(name: name, command: [binary, "serve", "--policy", policyPath, "--state-dir", dir + "/state",
                                                   "--control", dir + "/control.sock", "--name", name, "--log-level", "warning", "--"] + upstream,
                              note: policy == limitedPolicy ? "audit on, session counter"
                                  : policy == sharedPolicy ? "audit on, grant counter (shared by gateways)" : "audit on, no counter"))
        }
        if let peer {
            modes.append(Mode(name: "mcp-proxy-plus", command: ["/bin/sh", "-c", peer + " \"$@\"", "sh"] + upstream, note: "PyPI mcp-proxy-plus, stdio"))
        }
        if let only { modes = modes.filter { only.contains($0.name) } }

        let log = work + "/stderr.log"
        var chains: [BenchChain] = []
        for m in modes {
            do {
                let c = try BenchChain(name: m.name, command: m.command, log: log)
                if let problem = c.handshake() {
                    let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.suffix(2000) ?? ""
                    BenchChain.die("\(m.name): \(problem)\n\(tail)")
                }
                chains.append(c)
            } catch {
                BenchChain.die("\(m.name): cannot start \(m.command.joined(separator: " ")): \(error)")
            }
        }
        defer { for c in chains { c.stop() } }

        var results = [Result](repeating: Result(), count: chains.count)
        let pids = chains.map(\.child)
        let watchdog = Watchdog(seconds: 60) {
            for c in pids { c.signal(SIGKILL) }
            try? FileManager.default.removeItem(atPath: work)
        }
        for c in chains { c.watchdog = watchdog }
        for c in chains { for _ in 0..<warmup { _ = c.send(); _ = c.receive() } }
        for round in 0..<rounds {
            for k in 0..<chains.count {
                let i = (k + round) % chains.count
                sequential(chains[i], calls: calls, into: &results[i])
                watchdog.progress()
            }
        }
        if depth > 1 {
            for round in 0..<max(1, rounds / 2) {
                for k in 0..<chains.count {
                    let i = (k + round) % chains.count
                    pipelined(chains[i], calls: pipelineCalls, depth: depth, into: &results[i])
                    watchdog.progress()
                }
            }
        }
        watchdog.stop()
        report(modes, results, calls: calls, rounds: rounds, depth: depth)
    }

    /// N calls one after another, each timed from write to answer.
    static func sequential(_ c: BenchChain, calls: Int, into r: inout Result) {
        var h = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        let start = nowNanos()
        for _ in 0..<calls {
            let t0 = nowNanos()
            let id = c.send()
            var answer = c.receive()
            while answer.id != id { answer = c.receive() }
            h.record(nowNanos() - t0)
            if !answer.ok { r.bad += 1 }
        }
        r.nanos += nowNanos() - start
        r.calls += calls
        r.roundP50.append(h.valueAtPercentile(50))
        r.sequential.add(h)
    }

    /// N calls with `depth` in flight: a new call is written as each answer arrives.
    static func pipelined(_ c: BenchChain, calls: Int, depth: Int, into r: inout Result) {
        var sentAt = [UInt64](repeating: 0, count: calls)
        var sent = 0
        var base = -1
        let start = nowNanos()
        func sendOne() {
            let t = nowNanos()
            let id = c.send()
            if base < 0 { base = id }
            sentAt[id - base] = t
            sent += 1
        }
        for _ in 0..<min(depth, calls) { sendOne() }
        var received = 0
        while received < calls {
            let a = c.receive()
            let k = a.id - base
            guard k >= 0, k < calls else { continue }
            r.pipelined.record(nowNanos() - sentAt[k])
            if !a.ok { r.bad += 1 }
            received += 1
            if sent < calls { sendOne() }
        }
        r.pipelinedNanos += nowNanos() - start
        r.pipelinedCalls += calls
    }

    static func report(_ modes: [Mode], _ results: [Result], calls: Int, rounds: Int, depth: Int) {
        func us(_ n: UInt64) -> String { String(format: "%.1f", Double(n) / 1000) }
        let direct = modes.firstIndex { $0.name == "direct" }.map { results[$0] }
        let relay = modes.firstIndex { $0.name == "relay" }.map { results[$0] }
        print("proxy: \(calls) sequential tools/call per mode per round, \(rounds) rounds, modes alternating; latencies in µs")
        print("")
        print(Table.row(["mode", "p50", "p90", "p99", "p99.9", "max", "calls/s", "+p50", "+p99", "round p50s"]))
        for (m, r) in zip(modes, results) {
            let h = r.sequential
            let tput = r.nanos > 0 ? Double(r.calls) / (Double(r.nanos) / 1e9) : 0
            var addP50 = "", addP99 = ""
            if let d = direct, m.name != "direct" {
                addP50 = us(h.valueAtPercentile(50) &- min(h.valueAtPercentile(50), d.sequential.valueAtPercentile(50)))
                addP99 = us(h.valueAtPercentile(99) &- min(h.valueAtPercentile(99), d.sequential.valueAtPercentile(99)))
            }
            let spread = "\(us(r.roundP50.min() ?? 0))–\(us(r.roundP50.max() ?? 0))"
            print(Table.row([m.name, us(h.valueAtPercentile(50)), us(h.valueAtPercentile(90)), us(h.valueAtPercentile(99)),
                             us(h.valueAtPercentile(99.9)), us(h.max), String(format: "%.0f", tput), addP50, addP99, spread]))
        }
        print("")
        print("p50 of each round, in the order run:")
        for (m, r) in zip(modes, results) { print("  " + m.name.padding(toLength: 19, withPad: " ", startingAt: 0) + r.roundP50.map(us).joined(separator: "  ")) }
        if depth > 1 {
            print("")
            print("pipelined: \(depth) calls in flight")
            print(Table.row(["mode", "p50", "p99", "calls/s"]))
            for (m, r) in zip(modes, results) where r.pipelinedCalls > 0 {
                let tput = Double(r.pipelinedCalls) / (Double(r.pipelinedNanos) / 1e9)
                print(Table.row([m.name, us(r.pipelined.valueAtPercentile(50)), us(r.pipelined.valueAtPercentile(99)), String(format: "%.0f", tput)]))
            }
        }
        print("")
        if let d = direct, let rl = relay {
            let relayAdded = Double(rl.sequential.valueAtPercentile(50)) - Double(d.sequential.valueAtPercentile(50))
            for (m, r) in zip(modes, results) where m.name != "direct" && m.name != "relay" {
                let added = Double(r.sequential.valueAtPercentile(50)) - Double(d.sequential.valueAtPercentile(50))
                print(String(format: "%@ added p50 / relay added p50 = %.1f / %.1f µs = %.2fx", m.name, added / 1000, relayAdded / 1000,
                             relayAdded > 0 ? added / relayAdded : .nan))
            }
        }
        let bad = zip(modes, results).filter { $0.1.bad > 0 }
        for (m, r) in bad { print("WARNING: \(m.name): \(r.bad) calls did not answer ok") }
    }

    static let plainPolicy = #"{"version": "1", "default": "deny", "tools": {"echo": {}}}"#
    /// Far above what the bench sends, so every call is allowed and charged.
    static let limitedPolicy = #"{"version": "1", "default": "deny", "tools": {"echo": {"rate_limit": "100000000/hour"}}}"#
    /// A counter every gateway on the state directory shares: its reservation is a SQLite commit.
    static let sharedPolicy = #"""
        {"version": "1", "default": "deny", "tools": {"echo": {"limits": [
            {"counter": "all_echo", "window": "hour", "max": 100000000, "scope": "grant"}]}}}
        """#
}

/// Ends the bench (and every chain it started) if a chain stops answering for `seconds`.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var last = nowNanos()
    private var stopped = false

    init(seconds: UInt64, onTimeout: @escaping @Sendable () -> Void) {
        let t = Thread { [self] in
            while true {
                sleep(1)
                let (l, s) = lock.withLock { (last, stopped) }
                if s { return }
                if nowNanos() - l > seconds * 1_000_000_000 {
                    warn("gatehouse-bench: no answer for \(seconds) s; giving up")
                    onTimeout()
                    exit(3)
                }
            }
        }
        t.start()
    }

    func progress() { lock.withLock { last = nowNanos() } }
    func stop() { lock.withLock { stopped = true } }
}
