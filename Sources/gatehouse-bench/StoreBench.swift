import Foundation
import GatehouseCore
import GatehouseGateway
import Histogram

/// `gatehouse-bench store`: the durability floor of a call through the gateway, in process: the
/// two durable writes every allowed call needs (its audit row before forwarding, its final row
/// before answering), with and without a counter reservation (a SQLite commit: it must be seen by
/// every gateway at once) and its settlement. The audit rows and the settlement go to the journal;
/// the background ingester's cost shows as the time to get every row into SQLite.
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
        print("store: the durable writes of an allowed call, \(calls) calls, in process (µs)")
        print("")
        print(Table.row(["", "p50", "p90", "p99", "p99.9", "calls/s", "in SQLite after"]))
        // A fresh store for each row, checkpointed in the background as the gateway does.
        for limited in [false, true] {
            let dir = Options.tempDirectory("store")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            guard let store = try? StateStore(directory: dir) else { BenchChain.die("cannot open a state store in \(dir)") }
            let checkpointer = try? WALCheckpointer(store: store)
            defer { checkpointer?.stop() }
            let counters = SQLiteCounterStore(store: store)
            var h = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
            let start = nowNanos()
            for i in 0..<calls {
                let id = i + (limited ? calls : 0)
                let t0 = nowNanos()
                var reservation: Reservation?
                if limited, case .reserved(let r)? = try? counters.reserve([charge], now: Date().timeIntervalSince1970) { reservation = r }
                try? store.record(record(id, outcome: .forwarded), arguments: .full, now: Double(id))
                if let reservation { try? counters.commit(reservation) }
                try? store.complete(record(id, outcome: .ok), arguments: .full, now: Double(id))
                h.record(nowNanos() - t0)
            }
            let end = nowNanos()
            store.flushJournal()
            let drained = nowNanos()
            let rate = Double(calls) / (Double(end - start) / 1e9)
            func us(_ v: UInt64) -> String { String(format: "%.1f", Double(v) / 1000) }
            let label = limited ? "audit+counter" : "audit"
            print(Table.row([label, us(h.valueAtPercentile(50)), us(h.valueAtPercentile(90)),
                             us(h.valueAtPercentile(99)), us(h.valueAtPercentile(99.9)), String(format: "%.0f", rate),
                             String(format: "%.0f ms", Double(drained - start) / 1e6)]))
            store.close()
        }
    }
}
