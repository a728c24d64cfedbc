#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GatehouseControl
import GatehouseCore

/// Measures the dashboard under a flood: events arrive as wire lines at a steady rate, are
/// decoded (as `ControlClient` does) and applied to the model, and frames are drawn into a
/// RecordingScreen at most 30 times a second, as the event loop does. Reports CPU time per
/// second, frames per second and resident memory over time (it must stay flat: the call log
/// is a bounded ring). `gatehouse-bench dash` prints it.
public enum IngestBenchmark {
    public struct Options: Sendable {
        public var eventsPerSecond = 10_000
        public var seconds = 10
        public var size = Size(rows: 40, cols: 120)
        public var historyCapacity = 10_000
        public init() {}
    }

    public struct Second: Sendable {
        public var events: Int
        public var frames: Int
        /// CPU seconds (user + system) used during this wall-clock second.
        public var cpu: Double
        public var residentMiB: Double
        public var calls: Int
    }

    public struct Report: Sendable {
        public var seconds: [Second]
        public var decodeMicros: Double
        /// Of which parsing the line into a JSONValue (the rest is Codable decoding).
        public var parseMicros: Double
        public var applyMicros: Double
        public var frameMillis: Double

        public var summary: String {
            var lines = ["second  events  frames  cpu(s)  rss(MiB)  calls kept"]
            for (i, s) in seconds.enumerated() {
                lines.append(String(format: "%6d  %6d  %6d  %6.3f  %8.1f  %10d", i + 1, s.events, s.frames, s.cpu, s.residentMiB, s.calls))
            }
            let n = Double(max(1, seconds.count))
            lines.append(String(format: "mean: %.0f events/s, %.1f frames/s, %.3f CPU s per s", Double(seconds.map(\.events).reduce(0, +)) / n,
                                Double(seconds.map(\.frames).reduce(0, +)) / n, seconds.map(\.cpu).reduce(0, +) / n))
            lines.append(String(format: "per event: decode %.1f µs (of which JSON parsing %.1f µs), model %.1f µs; per frame: %.2f ms",
                                decodeMicros, parseMicros, applyMicros, frameMillis))
            return lines.joined(separator: "\n")
        }
    }

    public static func run(_ o: Options = Options()) -> Report {
        let gateway: GatewayID = "/bench/exchange.sock"
        let lines = wireLines(count: 2 * o.historyCapacity)
        var state = DashboardState(options: .init(historyCapacity: o.historyCapacity))
        let t0 = Date().timeIntervalSince1970
        _ = state.apply(.gatewayFound(gateway), now: t0)
        _ = state.apply(.snapshot(gateway, snapshot()), now: t0)
        let screen = RecordingScreen(rows: o.size.rows, cols: o.size.cols)
        var pacer = FramePacer(maxFPS: 30)

        var report = Report(seconds: [], decodeMicros: 0, parseMicros: 0, applyMicros: 0, frameMillis: 0)
        let parseStart = DispatchTime.now().uptimeNanoseconds
        for line in lines { _ = try? JSONParser.parse(line) }
        report.parseMicros = Double(DispatchTime.now().uptimeNanoseconds - parseStart) / 1e3 / Double(lines.count)
        var decodeNanos: UInt64 = 0, applyNanos: UInt64 = 0, frameNanos: UInt64 = 0, totalEvents = 0, totalFrames = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var next = 0
        var secondStart = (events: 0, frames: 0, cpu: cpuSeconds())
        for second in 1...o.seconds {
            while true {
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if elapsed >= Double(second) { break }
                let due = Int(elapsed * Double(o.eventsPerSecond))
                while totalEvents < due {
                    let a = DispatchTime.now().uptimeNanoseconds
                    guard case .event(let e)? = try? ControlMessage.decode(lines[next]) else { fatalError("bench line does not decode") }
                    let b = DispatchTime.now().uptimeNanoseconds
                    _ = state.apply(.event(gateway, e), now: Date().timeIntervalSince1970)
                    applyNanos += DispatchTime.now().uptimeNanoseconds - b
                    decodeNanos += b - a
                    next = (next + 1) % lines.count
                    totalEvents += 1
                    pacer.invalidate()
                }
                if pacer.due(at: elapsed) {
                    let a = DispatchTime.now().uptimeNanoseconds
                    screen.beginFrame()
                    let map = DashboardView.draw(state, on: screen, context: ViewContext(now: Date().timeIntervalSince1970))
                    screen.endFrame()
                    if map != state.screen { _ = state.apply(.layout(map), now: Date().timeIntervalSince1970) }
                    frameNanos += DispatchTime.now().uptimeNanoseconds - a
                    pacer.drew(at: elapsed)
                    totalFrames += 1
                }
                usleep(1000)
            }
            let cpu = cpuSeconds()
            report.seconds.append(Second(events: totalEvents - secondStart.events, frames: totalFrames - secondStart.frames,
                                         cpu: cpu - secondStart.cpu, residentMiB: residentMiB(), calls: state.log.count))
            secondStart = (totalEvents, totalFrames, cpu)
        }
        report.decodeMicros = Double(decodeNanos) / 1e3 / Double(max(1, totalEvents))
        report.applyMicros = Double(applyNanos) / 1e3 / Double(max(1, totalEvents))
        report.frameMillis = Double(frameNanos) / 1e6 / Double(max(1, totalFrames))
        return report
    }

    /// Realistic traffic, one JSON line each as the gateway sends it: calls arriving and
    /// finishing (most allowed, some denied or rate-limited), a hold now and then with its
    /// resolution, counter updates. Sequence numbers are 0 so the lines can be replayed.
    static func wireLines(count: Int) -> [[UInt8]] {
        let tools = ["get_price", "get_order_book", "place_order", "cancel_order", "get_balance", "list_orders"]
        let encoder = JSONEncoder()
        var out: [[UInt8]] = []
        out.reserveCapacity(count)
        let now = Date().timeIntervalSince1970
        for i in 0..<count {
            let id = String(format: "%012x", i)
            let tool = tools[i % tools.count]
            let outcome: CallRecord.Outcome = i % 50 == 7 ? .denied : i % 40 == 3 ? .rateLimited : .ok
            let args: JSONValue = ["symbol": .string(["BTC-USD", "ETH-USD", "SOL-USD"][i % 3]), "side": .string(i % 2 == 0 ? "buy" : "sell"),
                                   "qty": .number(Double(i % 17) / 4), "client_order_id": .string("co-\(i)")]
            let call = CallRecord(id: id, gateway: "exchange", session: "7f3a9c01", grant: "trading-bot", tool: tool, arguments: args,
                                  argsHash: String(repeating: "a", count: 64), receivedAt: now, decision: outcome == .ok ? "allow" : "deny",
                                  outcome: outcome, rule: "tools[\"\(tool)\"]", reason: outcome == .ok ? nil : "limit",
                                  trace: ["tool \(tool): rule tools[\"\(tool)\"]", "action: allow"], counters: ["orders[grant:trading-bot] +1"],
                                  latencyMs: 2.5, resultPreview: outcome == .ok ? "{\"ok\":true,\"price\":64000.5}" : nil,
                                  resultIsError: outcome == .ok ? false : nil)
            let event: ControlEvent
            if i % 10 == 9 {
                event = ControlEvent(seq: 0, at: now, type: .counter, counters: [
                    CounterInfo(key: "orders[grant:trading-bot]", counter: "orders", scope: "grant", subject: "trading-bot",
                                used: Double(i % 100), max: 100, windowSeconds: 60, resetsIn: 30)])
            } else {
                event = ControlEvent(seq: 0, at: now, type: .call, call: call)
            }
            let params = (try? encoder.encode(event)).map { Array($0) } ?? []
            out.append(Array(#"{"jsonrpc":"2.0","method":"event","params":"#.utf8) + params + [UInt8(ascii: "}")])
        }
        return out
    }

    static func snapshot() -> Snapshot {
        let now = Date().timeIntervalSince1970
        return Snapshot(
            gateway: GatewayInfo(name: "exchange", pid: 1, upstream: ["exchange"], startedAt: now, grant: "trading-bot", user: "bench",
                                 version: "bench"),
            policy: PolicySummary(file: "bench.json", version: "1", defaultAction: "deny", toolRules: 6, counters: 1, hidden: [],
                                  loadedAt: now, sha256: String(repeating: "0", count: 64)),
            killSwitch: KillSwitchInfo(engaged: false), tools: [], counters: [], pending: [], recent: [], seq: 0, upstreamRunning: true)
    }

    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    static func residentMiB() -> Double {
        guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = s.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}
