import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `gatehouse-bench fanout`: a real gateway process, 10 control-socket subscribers reading its
/// event stream, and a client driving calls through it as fast as it answers (K in flight).
/// Counts what every subscriber received and any gap in `seq` or `resync` (events lost).
enum FanoutBench {
    /// Written by the subscriber's thread, read by the main thread.
    final class Subscriber: Sendable {
        let events = Atomic<Int>(0)
        let gaps = Atomic<Int>(0)
        let resyncs = Atomic<Int>(0)
        let missed = Atomic<Int>(0)
        let lastSeq = Atomic<UInt64>(0)
        let lastAt = Atomic<UInt64>(0)
        let ready = DispatchSemaphore(value: 0)
    }

    static func run(_ args: [String]) {
        let count = Options.int(args, "--subscribers") ?? 10
        let calls = Options.int(args, "--calls") ?? 50_000
        let depth = Options.int(args, "--pipeline") ?? 16
        let policy = #"{"version": "1", "default": "deny", "tools": {"echo": {}}}"#

        // Without subscribers first: what the stream costs the gateway is the difference.
        let bare = BenchGateway.start(policy: policy, tag: "fanout0", args: args)
        var unused = ProxyBench.Result()
        ProxyBench.pipelined(bare.chain, calls: calls, depth: depth, into: &unused)
        let bareRate = Double(unused.pipelinedCalls) / (Double(unused.pipelinedNanos) / 1e9)
        bare.stop()

        let gw = BenchGateway.start(policy: policy, tag: "fanout", args: args)
        defer { gw.stop() }
        var subs: [Subscriber] = []
        for k in 0..<count {
            let s = Subscriber()
            subs.append(s)
            let control = gw.control
            let t = Thread { follow(control, s, name: "sub\(k)") }
            t.start()
            s.ready.wait()
        }
        let startSeq = subs.map { $0.lastSeq.load(ordering: .relaxed) }.max() ?? 0
        var result = ProxyBench.Result()
        let t0 = nowNanos()
        ProxyBench.pipelined(gw.chain, calls: calls, depth: depth, into: &result)
        let driven = nowNanos()
        // Every call makes two events (forwarded, ok); the last one's seq is the target.
        let finalSeq: UInt64
        if let c = ControlClient.waitFor(path: gw.control, name: "fanout-status"),
           let answer = try? c.call("status", "{}") {
            finalSeq = answer.withUnsafeBufferPointer { b in
                // The snapshot's own seq is its last top-level field.
                var last: UInt64 = 0
                var i = 0
                while let at = Scan.value(of: "seq", in: UnsafeBufferPointer(rebasing: b[i...])) {
                    let tok = Scan.token(at: at, in: UnsafeBufferPointer(rebasing: b[i...]))
                    last = UInt64(String(decoding: tok, as: UTF8.self)) ?? last
                    i += at + tok.count
                }
                return last
            }
            c.close()
        } else {
            finalSeq = startSeq + UInt64(2 * calls)
        }
        let deadline = nowNanos() + 30_000_000_000
        while nowNanos() < deadline, subs.contains(where: { $0.lastSeq.load(ordering: .relaxed) < finalSeq }) { usleep(1000) }
        let finished = subs.filter { $0.lastSeq.load(ordering: .relaxed) >= finalSeq }.count
        let lastDelivered = subs.map { $0.lastAt.load(ordering: .relaxed) }.max() ?? driven
        let published = finalSeq - startSeq
        let seconds = Double(lastDelivered - t0) / 1e9
        let gaps = subs.reduce(0) { $0 + $1.gaps.load(ordering: .relaxed) }
        let resyncs = subs.reduce(0) { $0 + $1.resyncs.load(ordering: .relaxed) }
        let missed = subs.reduce(0) { $0 + $1.missed.load(ordering: .relaxed) }
        let delivered = subs.reduce(0) { $0 + $1.events.load(ordering: .relaxed) }

        print("fanout: \(count) subscribers on the control socket of a gatehouse serve process, \(calls) calls, \(depth) in flight")
        print("")
        print(Table.row(["", "value"]))
        print(Table.row(["events published", "\(published)"]))
        print(Table.row(["events/s published", String(format: "%.0f", Double(published) / seconds)]))
        print(Table.row(["events delivered", "\(delivered) (\(count) × \(published) = \(UInt64(count) * published) expected)"]))
        print(Table.row(["deliveries/s", String(format: "%.0f", Double(delivered) / seconds)]))
        print(Table.row(["seq gaps", "\(gaps)"]))
        print(Table.row(["resyncs", "\(resyncs) (\(missed) events missed)"]))
        print(Table.row(["caught up", "\(finished)/\(count) subscribers"]))
        print(Table.row(["calls/s, 0 subs", String(format: "%.0f", bareRate)]))
        print(Table.row(["calls/s, \(count) subs", String(format: "%.0f", Double(result.pipelinedCalls) / (Double(result.pipelinedNanos) / 1e9))]))
    }

    /// One subscriber: hello, subscribe, then read events until the gateway hangs up.
    static func follow(_ path: String, _ s: Subscriber, name: String) {
        guard let c = ControlClient.waitFor(path: path, name: name) else { BenchChain.die("\(name): no control socket") }
        defer { c.close() }
        do {
            let answer = try c.call("subscribe", "{}")
            s.lastSeq.store(answer.withUnsafeBufferPointer { b in
                Scan.value(of: "seq", in: b).map { UInt64(String(decoding: Scan.token(at: $0, in: b), as: UTF8.self)) ?? 0 } ?? 0
            }, ordering: .relaxed)
        } catch {
            BenchChain.die("\(name): subscribe failed: \(error)")
        }
        s.ready.signal()
        let reader = c.connection.reader
        while let event = try? reader.next() {
            guard case .line(let bytes) = event else { continue }
            bytes.withUnsafeBufferPointer { b in
                if Scan.contains(#""method":"resync""#, in: b) {
                    s.resyncs.add(1, ordering: .relaxed)
                    if let m = Scan.value(of: "missed", in: b) {
                        s.missed.add(Int(String(decoding: Scan.token(at: m, in: b), as: UTF8.self)) ?? 0, ordering: .relaxed)
                    }
                    return
                }
                guard let at = Scan.value(of: "seq", in: b),
                      let seq = UInt64(String(decoding: Scan.token(at: at, in: b), as: UTF8.self)) else { return }
                if seq != s.lastSeq.load(ordering: .relaxed) + 1 { s.gaps.add(1, ordering: .relaxed) }
                s.events.add(1, ordering: .relaxed)
                s.lastAt.store(nowNanos(), ordering: .relaxed)
                s.lastSeq.store(seq, ordering: .relaxed)
            }
        }
    }
}
