import Foundation
import GatehouseCore
import Histogram
#if canImport(Glibc)
import Glibc
#endif

/// `gatehouse-bench approval`: how long after an operator's `approve` the upstream gets the call.
/// A real gateway holds N calls; an operator approves them one at a time over the control
/// socket; the upstream stamps each call with the monotonic clock when it reads it.
enum ApprovalBench {
    static func run(_ args: [String]) {
        let n = Options.int(args, "--calls") ?? 1_000
        let policy = #"{"version": "1", "default": "deny", "tools": {"echo": {"action": "require_approval", "approval": {"timeout": "1h"}}}}"#
        let gw = BenchGateway.start(policy: policy, tag: "approval", args: args, upstream: ["--stamp"])
        defer { gw.stop() }
        guard let op = ControlClient.waitFor(path: gw.control, name: "approval-bench") else { BenchChain.die("no control socket") }
        defer { op.close() }

        // Hold N calls (tools/call ids count up; nothing comes back while they are held).
        var rpcIDs: [Int] = []
        for _ in 0..<n { rpcIDs.append(gw.chain.send()) }
        var held: [PendingApproval] = []
        let deadline = Date().addingTimeInterval(60)
        while held.count < n, Date() < deadline {
            guard let answer = try? op.call("pending", "{}") else { BenchChain.die("pending failed") }
            held = decodePending(answer)
            if held.count < n { usleep(10_000) }
        }
        guard held.count == n else { BenchChain.die("only \(held.count) of \(n) calls were held") }

        var toUpstream = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var roundTrip = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var failures = 0
        for p in held {
            let t0 = nowNanos()
            guard let reply = try? op.call("approve", #"{"id":"\#(p.id)"}"#) else { BenchChain.die("approve failed") }
            roundTrip.record(nowNanos() - t0)
            if reply.withUnsafeBufferPointer({ Scan.contains(#""error""#, in: $0) }) { failures += 1; continue }
            // The call's answer carries the upstream's arrival stamp.
            var stamp: UInt64?
            while stamp == nil {
                guard gw.chain.output.next({ line in
                    guard let at = Scan.value(of: "text", in: line) else { return }
                    let tok = Scan.token(at: at, in: line)  // "ok NANOS"
                    let text = String(decoding: tok, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    stamp = text.split(separator: " ").last.flatMap { UInt64($0) }
                }) else { BenchChain.die("the gateway closed its output") }
            }
            toUpstream.record(stamp! &- t0)
        }

        func us(_ v: UInt64) -> String { String(format: "%.1f µs", Double(v) / 1000) }
        print("approval: \(n) held calls approved one at a time over the control socket (scope once)")
        print("")
        print(Table.row(["", "p50", "p90", "p99", "max"]))
        print(Table.row(["approve→upstream", us(toUpstream.valueAtPercentile(50)), us(toUpstream.valueAtPercentile(90)),
                         us(toUpstream.valueAtPercentile(99)), us(toUpstream.max)]))
        print(Table.row(["approve→reply", us(roundTrip.valueAtPercentile(50)), us(roundTrip.valueAtPercentile(90)),
                         us(roundTrip.valueAtPercentile(99)), us(roundTrip.max)]))
        if failures > 0 { print("WARNING: \(failures) approvals failed") }
    }

    static func decodePending(_ answer: [UInt8]) -> [PendingApproval] {
        struct Reply: Decodable { var result: [PendingApproval]? }
        return ((try? JSONDecoder().decode(Reply.self, from: Data(answer)))?.result ?? []).sorted { $0.heldAt < $1.heldAt }
    }
}
