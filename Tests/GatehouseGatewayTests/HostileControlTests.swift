import Foundation
import GatehouseControl
import GatehouseCore
import GatehouseTesting
import GatehouseTransport
import Synchronization
import Testing
@testable import GatehouseGateway

/// Hostile control-socket peers: garbage, half messages, floods, too many connections, commands
/// that make no sense. Each gets a clear error or is refused, and the gateway is unaffected.
@Suite struct HostileControlTests {
    /// The gateway still decides calls and still answers a fresh operator.
    static func unaffected(_ f: ControlFixture, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let h = f.harness
        let id: JSONValue = .string("probe-\(UUID().uuidString)")
        h.call(id, "get_time")
        #expect(h.forwarded(id), sourceLocation: sourceLocation)
        h.upstreamAnswers(id, text: "ok")
        #expect(h.toClient.response(id: id)?.resultText == "ok", sourceLocation: sourceLocation)
        let c = try f.raw()
        try c.hello()
        #expect(try c.request(1, "status")?["result"]?["gateway"]?["name"] == "test", sourceLocation: sourceLocation)
        c.close()
    }

    @Test func garbageOfEveryKindGetsAnErrorAndTheConnectionStaysUsable() throws {
        let f = try ControlFixture(storage: .memory)
        let c = try f.raw()
        var lines: [[UInt8]] = [
            [0xFF, 0xFE, 0xFD], Array("\u{0}\u{1}\u{2}".utf8), Array(String(repeating: "[", count: 50_000).utf8),
            Array(#"{"jsonrpc":"2.0","id":1,"method":"hello","method":"kill"}"#.utf8),
            Array(#"{"jsonrpc":"2.0","id":1,"method":"st"#.utf8) + [0xC3, 0x28] + Array(#"atus"}"#.utf8),
            Array("null".utf8), Array("\"hello\"".utf8), Array("1e99999".utf8),
        ]
        lines.append(Array(#"{"jsonrpc":"2.0","id":{"deep":\#(String(repeating: "[", count: 300))}}"#.utf8))
        for l in lines { try c.connection.send(l) }
        for _ in lines {
            let answer = try #require(try c.next())
            #expect(answer["error"]?["code"]?.intValue.map { [-32700, -32600].contains($0) } == true, "\(answer)")
        }
        try c.hello()
        #expect(try c.request(2, "pending")?["result"] == [])
        try Self.unaffected(f)
    }

    @Test func unknownCommandsAndOddIdsGetClearErrors() throws {
        let f = try ControlFixture(storage: .memory)
        let c = try f.raw()
        try c.hello()
        for (i, m) in ["approve_all", "KILL", "kill ", "", "rpc.discover", "hello/../kill", String(repeating: "x", count: 10_000)].enumerated() {
            let answer = try #require(try c.request(.number(i), m))
            #expect(answer.errorCode == -32601)
            #expect(answer["id"] == .number(i))
        }
        // An unknown command as a notification gets no answer and does nothing; a known one
        // does nothing either and is told it needs an id.
        try c.send(Msg.notification("approve_all"))
        try c.send(Msg.notification("kill", ["reason": "sneaky"]))
        let idless = try #require(try c.next())
        #expect(idless.errorCode == -32600)
        #expect(idless["id"] == .null)
        #expect(idless.errorMessage?.contains("needs an id") == true)
        // Ids of any JSON type are echoed back as sent.
        for id: JSONValue in [.null, true, 1.5, "x", ["a": 1], [1, 2], .number(JSONNumber(literal: "123456789012345678901234567890"))] {
            let answer = try #require(try c.request(id, "pending"))
            #expect(answer["id"] == id)
        }
        // The notifications above did nothing: the kill switch is not engaged.
        #expect(f.enforcer.snapshot().killSwitch.engaged == false)
        try Self.unaffected(f)
    }

    @Test func aCommandWithoutAnIdDoesNothingEvenBeforeTheHandshake() throws {
        let f = try ControlFixture(storage: .memory)
        let c = try f.raw()
        try c.send(Msg.notification("kill", ["reason": "before hello"]))
        let answer = try #require(try c.next())
        #expect(answer.errorCode == -32600)
        #expect(f.enforcer.snapshot().killSwitch.engaged == false)
    }

    @Test func aHalfMessageThenDisconnectLeavesNothingBehind() throws {
        let f = try ControlFixture(storage: .memory)
        for text in [#"{"jsonrpc":"2.0","id":1,"method":"hel"#, #"{"jsonrpc":"2.0","id":1,"method":"kill","params":{}}"#, "{"] {
            // No newline, then gone: a complete request without newline is still read as the last
            // line, but it is the first and not a hello, so it cannot act.
            let c = try f.raw()
            try c.connection.writer.write(Array(text.utf8))
            c.close()
        }
        // A greeted connection that sends half a kill command and disconnects.
        let c = try f.raw()
        try c.hello()
        try c.connection.writer.write(Array(#"{"jsonrpc":"2.0","id":9,"method":"kill","par"#.utf8))
        c.close()
        #expect(waitUntil { f.enforcer.hub.subscriberCount == 0 })
        #expect(f.enforcer.snapshot().killSwitch.engaged == false)
        try Self.unaffected(f)
    }

    @Test func aMessageOverTheLimitIsRefusedAndTheConnectionGoesOn() throws {
        let f = try ControlFixture(storage: .memory)
        let c = try f.raw()
        try c.hello()
        let big = #"{"jsonrpc":"2.0","id":1,"method":"status","params":{"pad":""# + String(repeating: "a", count: ControlServer.maxMessageBytes) + #""}}"#
        try c.send(big)
        let answer = try #require(try c.next())
        #expect(answer.errorCode == -32600)
        #expect(answer.errorMessage?.contains("exceeds") == true)
        #expect(try c.request(2, "pending")?["result"] == [])
    }

    @Test func aFloodOfTenThousandPipelinedRequestsIsAnsweredInOrder() throws {
        let f = try ControlFixture(storage: .memory)
        let c = try f.raw()
        try c.hello()
        let count = 10_000
        // Written from one thread while read on this one, so neither side's buffer can wedge the other.
        let writer = Thread {
            for i in 0..<count {
                let method = i % 3 == 0 ? "pending" : (i % 3 == 1 ? "status" : "no_such_method")
                try? c.send(Msg.request(.number(i), method))
            }
        }
        writer.start()
        var answered = 0
        for i in 0..<count {
            guard let m = try c.next() else { break }
            #expect(m["id"] == .number(i))
            if i % 3 == 2 { #expect(m.errorCode == -32601) } else { #expect(m["result"] != nil) }
            answered += 1
        }
        #expect(answered == count)
        try Self.unaffected(f)
    }

    @Test func aThousandConnectionsAreServedOrRefusedAndOthersAreUnaffected() throws {
        let f = try ControlFixture(storage: .memory)
        // A dashboard already attached must keep its stream through the storm.
        let dashboard = try f.client("dashboard")
        _ = try dashboard.checkedCall(.subscribe, as: Snapshot.self)
        let total = 1_000
        let (served, refused, connections) = try f.helloStorm(total, client: "storm")
        // The dashboard holds one of the 256.
        #expect(served == ControlServer.maxConnections - 1)
        #expect(refused == total - served)
        // The gateway decided a call meanwhile, and the dashboard heard of it.
        f.harness.call("during", "delete_everything")
        #expect(f.harness.answer("during")?.gatehouseDecision == "deny")
        let event = try dashboard.nextEvent { $0.type == .call && $0.call?.tool == "delete_everything" }
        #expect(event != nil)
        for c in connections { c.close() }
        // Once the storm is gone, new operators are served again.
        #expect(waitUntil {
            guard let c = try? f.client() else { return false }
            c.close()
            return true
        })
        dashboard.close()
        try Self.unaffected(f)
    }

    @Test func silentAndNonReadingPeersDoNotBlockOthers() throws {
        let f = try ControlFixture(storage: .memory)
        // One connects and never speaks; another greets, subscribes, and never reads.
        let silent = try f.raw()
        let deaf = try f.raw()
        try deaf.hello()
        try deaf.send(Msg.request("s", "subscribe"))
        // Plenty of events for the deaf subscriber's socket buffer to fill.
        for i in 0..<3_000 { f.harness.call(.number(i), "delete_everything") }
        // Others are served at once all the while.
        try Self.unaffected(f)
        silent.close()
        deaf.close()
        #expect(waitUntil { f.enforcer.hub.subscriberCount == 0 })
    }

    // MARK: - Approvals that cannot be resolved

    @Test func resolvingAnApprovalTwiceOrAfterItEndedIsAClearError() throws {
        let f = try ControlFixture(policy: Policies.shortTimeout(onTimeout: "deny"), storage: .memory)
        let h = f.harness
        let op = try f.client("op")
        h.call(1, "slow")
        h.call(2, "slow")
        h.call(3, "transfer")  // times out after 1 s
        let a = try #require(h.pending(1)), b = try #require(h.pending(2)), t = try #require(h.pending(3))

        _ = try op.checkedCall(.approve, ApproveParams(id: a.id), as: ResolveResult.self)
        _ = try op.checkedCall(.deny, DenyParams(id: b.id), as: ResolveResult.self)
        #expect(waitUntil { h.enforcer.pendingApprovals().allSatisfy { $0.id != t.id } })

        let raw = try f.raw()
        try raw.hello()
        let cases: [(String, String, String)] = [
            ("approve", a.id, "already approved"), ("deny", a.id, "already approved"),
            ("approve", b.id, "already denied"), ("deny", b.id, "already denied"),
            ("approve", t.id, "timed out"), ("deny", t.id, "timed out"),
        ]
        for (i, (method, id, words)) in cases.enumerated() {
            let answer = try #require(try raw.request(.number(i), method, ["id": .string(id)]))
            #expect(answer.errorCode == -32003, "\(method) \(id): \(answer)")
            #expect(answer.errorMessage?.contains(words) == true, "\(answer)")
        }
        for (i, id) in ["", "nope", "x", String(repeating: "f", count: 5_000)].enumerated() {
            let answer = try #require(try raw.request(.number(100 + i), "approve", ["id": .string(id)]))
            #expect(answer.errorCode == -32002)
        }
        let wrongScope = try #require(try raw.request(200, "approve", ["id": .string(a.id), "scope": "forever"]))
        #expect(wrongScope.errorCode == -32602)
        // Each call was answered exactly once, as resolved first.
        h.upstreamAnswers(1)
        #expect(h.toClient.messages.filter { $0["id"] == 1 }.count == 1)
        #expect(h.toClient.messages.filter { $0["id"] == 2 }.count == 1)
        #expect(h.toClient.messages.filter { $0["id"] == 3 }.count == 1)
        #expect(h.answer(2)?.gatehouseDecision == "deny")
        #expect(h.answer(3)?.gatehouseDecision == "timeout")
        op.close()
    }

    @Test func concurrentApprovalsOfOneCallResolveItOnce() throws {
        let f = try ControlFixture(storage: .memory)
        let h = f.harness
        h.call(1, "transfer")
        let p = try #require(h.pending(1))
        let ops = try (0..<8).map { try f.client("op\($0)") }
        let wins = Counter()
        DispatchQueue.concurrentPerform(iterations: ops.count) { i in
            let ok: Bool
            if i % 2 == 0 {
                ok = (try? ops[i].checkedCall(.approve, ApproveParams(id: p.id), as: ResolveResult.self)) != nil
            } else {
                ok = (try? ops[i].checkedCall(.deny, DenyParams(id: p.id), as: ResolveResult.self)) != nil
            }
            if ok { wins.increment() }
        }
        #expect(wins.value == 1)
        let forwarded = h.forwarded(1)
        if forwarded { h.upstreamAnswers(1) }
        #expect(waitUntil { h.toClient.messages.contains { $0["id"] == 1 } })
        #expect(h.toClient.messages.filter { $0["id"] == 1 }.count == 1)
        for o in ops { o.close() }
    }
}

/// A thread-safe count.
final class Counter: Sendable {
    private let storage = Synchronization.Mutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var value: Int { storage.withLock { $0 } }
}
