import Foundation
import GatehouseCore
import Histogram

/// How fast `PolicyEngine.decide` is on a large, realistic policy: 1,000 tool keys (exact names
/// and globs of several shapes), conditions on nested arguments, and limits in every scope,
/// with the counters committed or rolled back as the gateway would.
enum DecisionBench {
    static func run(_ args: [String]) {
        let decisions = intOption(args, "--decisions") ?? 300_000
        let toolCount = intOption(args, "--tools") ?? 1_000

        let text = policyText(tools: toolCount)
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let loaded = PolicyLoader.load(text, file: "bench.json")
        let loadNanos = DispatchTime.now().uptimeNanoseconds - loadStart
        guard let policy = loaded.policy else {
            print("generated policy does not load:\n" + loaded.errors.prefix(5).map(\.description).joined(separator: "\n"))
            exit(1)
        }
        let engine = PolicyEngine(policy: policy, counters: InMemoryCounterStore())
        var rng = SplitMix64(seed: 42)
        let calls = (0..<4096).map { _ in makeCall(tools: toolCount, rng: &rng) }

        // Warm up caches, allocators and the counters' steady state.
        var clock = 1_700_000_000.0
        for i in 0..<min(50_000, decisions) { _ = decideAndSettle(engine, calls[i & 4095], now: &clock, i: i) }

        var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var kinds: [String: Int] = [:]
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<decisions {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let kind = decideAndSettle(engine, calls[i & 4095], now: &clock, i: i)
            histogram.record(DispatchTime.now().uptimeNanoseconds - t0)
            kinds[kind, default: 0] += 1
        }
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        print("decide: \(policy.tools.count) tool keys (\(policy.tools.filter { $0.pattern.isGlob }.count) globs), \(policy.counters.count) counters, \(text.utf8.count / 1024) KiB policy loaded in \(ms(loadNanos))")
        print("")
        print(row("decisions", "\(decisions)"))
        print(row("decisions/s", String(format: "%.0f", Double(decisions) / total)))
        for p in [50.0, 90.0, 99.0, 99.9] {
            print(row("p\(p == p.rounded() ? String(Int(p)) : String(p))", us(histogram.valueAtPercentile(p))))
        }
        print(row("max", us(histogram.max)))
        print(row("mix", kinds.sorted { $0.key < $1.key }.map { "\($0.key) \(pct($0.value, decisions))" }.joined(separator: ", ")))
    }

    /// Decides, then settles an allowed call the way the gateway does: commit, or (1 in 20) roll back.
    @inline(__always)
    static func decideAndSettle(_ engine: PolicyEngine, _ call: CallContext, now: inout Double, i: Int) -> String {
        now += 0.0005  // 2,000 calls per simulated second: enough for limits to bite
        let d = engine.decide(call, now: now)
        if let r = d.reservation {
            if i % 20 == 0 { try? engine.counters.rollback(r) } else { try? engine.counters.commit(r) }
        }
        return d.verdict.kind
    }

    // MARK: - The generated policy

    static let symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "ADAUSDT", "DOGEUSDT"]

    /// Rule bodies, chosen by index so every shape appears many times.
    static func body(_ i: Int) -> String {
        switch i % 8 {
        case 0: return "{}"
        case 1: return #"{"rate_limit": "600/minute"}"#
        case 2:
            return #"""
                {"require": [{"path": "args.order.symbol", "op": "in", "value": ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"]}],
                 "deny_if": [{"path": "args.order.legs[0].qty", "op": "gt", "value": 90}],
                 "limits": [{"counter": "orders", "window": "minute", "max": 3000, "scope": "grant"}]}
                """#
        case 3: return #"{"action": "require_approval", "approval": {"timeout": "1m"}}"#
        case 4: return #"{"action": "deny", "reason": "Not for agents."}"#
        case 5:
            return #"""
                {"deny_if": [{"path": "args.meta.region", "op": "not_in", "value": ["eu", "us", "apac"]}],
                 "limits": [{"counter": "spend", "window": "hour", "max": 50000000, "scope": "grant", "increment_from": "args.order.notional"}]}
                """#
        case 6:
            return #"""
                {"require": [{"path": "args.order.symbol", "op": "regex", "value": "^[A-Z]{3,5}USDT$"}],
                 "limits": [{"counter": "session_calls", "window": "minute", "max": 500, "scope": "session"}]}
                """#
        default:
            return #"""
                {"require": [{"path": "args.meta.tags", "op": "contains", "value": "ok"}, {"path": "args.order.qty", "op": "lte", "value": 50}],
                 "limits": [{"counter": "global_writes", "window": "second", "max": 400, "scope": "global"}]}
                """#
        }
    }

    /// 70% exact names, 30% globs of four shapes with different literal/star counts.
    static func key(_ i: Int, tools: Int) -> String {
        let exact = tools * 7 / 10
        if i < exact { return "svc\(i % 40)_op\(i)" }
        let g = i - exact
        switch g % 4 {
        case 0: return "svc\(g % 40)_read_\(g)*"
        case 1: return "grp\(g)_*"
        case 2: return "*_report_\(g)"
        default: return "tenant\(g)_??_*"
        }
    }

    static func policyText(tools: Int) -> String {
        var rules: [String] = []
        for i in 0..<tools { rules.append("    \"\(key(i, tools: tools))\": \(body(i))") }
        return """
            // Generated by gatehouse-bench decide.
            {
              "version": "1",
              "default": "deny",
              "hide": ["internal_*", "debug_*"],
              "all_tools": {
                "limits": [{"counter": "all_calls", "window": "minute", "max": 1000000, "scope": "global"}],
                "deny_if": [{"path": "args.dry_run", "op": "eq", "value": "never"}]
              },
              "tools": {
            \(rules.joined(separator: ",\n"))
              }
            }
            """
    }

    /// A call to an exact tool (60%), a glob-matched tool (30%), an unknown tool (8%) or a hidden one (2%).
    static func makeCall(tools: Int, rng: inout SplitMix64) -> CallContext {
        let exact = tools * 7 / 10
        let globs = tools - exact
        let r = rng.next(100)
        let name: String
        if r < 60 {
            let i = rng.next(exact)
            name = "svc\(i % 40)_op\(i)"
        } else if r < 90 {
            let g = rng.next(globs)
            switch g % 4 {
            case 0: name = "svc\(g % 40)_read_\(g)_positions"
            case 1: name = "grp\(g)_list"
            case 2: name = "daily_report_\(g)"
            default: name = "tenant\(g)_eu_orders"
            }
        } else if r < 98 {
            name = "unknown_tool_\(rng.next(1000))"
        } else {
            name = "internal_\(rng.next(10))"
        }
        let qty = rng.next(100)
        let args: JSONValue = [
            "order": [
                "symbol": .string(symbols[rng.next(symbols.count)]),
                "qty": .number(qty),
                "notional": .number(Double(qty) * 1234.5),
                "legs": [["qty": .number(qty), "side": "BUY"], ["qty": 1, "side": "SELL"]],
            ],
            "meta": ["region": .string(["eu", "us", "apac", "mars"][rng.next(4)]), "tags": ["ok", "batch"]],
            "dry_run": false,
        ]
        return CallContext(tool: name, arguments: args, grant: "desk-\(rng.next(20))", session: "sess-\(rng.next(200))")
    }

    // MARK: - Output

    static func intOption(_ args: [String], _ name: String) -> Int? {
        guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
        return Int(args[i + 1])
    }

    static func row(_ label: String, _ value: String) -> String {
        "  " + label.padding(toLength: 12, withPad: " ", startingAt: 0) + value
    }

    static func us(_ nanos: UInt64) -> String { String(format: "%.2f µs", Double(nanos) / 1000) }
    static func ms(_ nanos: UInt64) -> String { String(format: "%.1f ms", Double(nanos) / 1e6) }
    static func pct(_ n: Int, _ total: Int) -> String { String(format: "%.1f%%", 100 * Double(n) / Double(total)) }
}

extension SplitMix64 {
    mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
