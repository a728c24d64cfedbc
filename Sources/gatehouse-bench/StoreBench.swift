import Foundation
import GatehouseCore
import GatehouseGateway
import Histogram

/// `gatehouse-bench store`: the durability floor of a call through the gateway, in process: the
/// two commits every allowed call needs (its audit row before forwarding, its final row before
/// answering), with and without a counter reservation in the first and its commit in the second.
/// What the proxy bench's gateway adds beyond this and the relay is parsing and bookkeeping.
enum StoreBench {
    static func run(_ args: [String]) {
        let calls = Options.int(args, "--calls") ?? 20_000
        let charge = CounterCharge(key: CounterKey(counter: "bench", scope: .global, subject: "*"), window: 3600, max: 100_000_000, amount: 1)
        let args: JSONValue = ["text": "hello"]

        func record(_ i: Int, outcome: CallRecord.Outcome) -> CallRecord {
            CallRecord(id: "call-\(i)", gateway: "bench", session: "s", grant: "g", tool: "echo", arguments: args,
                       argsHash: "0", receivedAt: Double(i), decision: "allow", outcome: outcome, rule: "echo",
                       trace: ["tool echo: allow"], counters: [])
        }
        print("store: the two commits of an allowed call, \(calls) calls, in process (µs)")
        print("")
        print(Table.row(["", "p50", "p90", "p99", "p99.9", "calls/s"]))
        // A fresh store for each row; the gateway checkpoints in the background (see WALCheckpointer).
        for (limited, background) in [(false, false), (false, true), (true, true)] {
            let dir = Options.tempDirectory("store")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            guard let store = try? StateStore(directory: dir) else { BenchChain.die("cannot open a state store in \(dir)") }
            let checkpointer = background ? try? WALCheckpointer(store: store) : nil
            defer { checkpointer?.stop() }
            let counters = SQLiteCounterStore(store: store)
            var h = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
            let start = nowNanos()
            for i in 0..<calls {
                let id = i + (limited ? calls : 0)
                let t0 = nowNanos()
                var reservation: Reservation?
                try? store.transaction {
                    if limited, case .reserved(let r)? = try? counters.reserve([charge], now: Date().timeIntervalSince1970) { reservation = r }
                    try store.record(record(id, outcome: .forwarded), arguments: .full, now: Double(id))
                }
                try? store.transaction {
                    if let reservation { try counters.commit(reservation) }
                    try store.complete(record(id, outcome: .ok), arguments: .full, now: Double(id))
                }
                h.record(nowNanos() - t0)
            }
            let rate = Double(calls) / (Double(nowNanos() - start) / 1e9)
            func us(_ v: UInt64) -> String { String(format: "%.1f", Double(v) / 1000) }
            let label = (limited ? "audit+counter" : "audit") + (background ? ", bg ckpt" : ", inline ckpt")
            print(Table.row([label, us(h.valueAtPercentile(50)), us(h.valueAtPercentile(90)),
                             us(h.valueAtPercentile(99)), us(h.valueAtPercentile(99.9)), String(format: "%.0f", rate)]))
        }
    }
}
