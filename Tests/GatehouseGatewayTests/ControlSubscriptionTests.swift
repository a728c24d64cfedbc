import Foundation
import GatehouseControl
import GatehouseCore
import GatehouseTesting
import GatehouseTransport
import Synchronization
import Testing
@testable import GatehouseGateway

/// Subscribers get a snapshot, then every event in order; a slow one is resynchronised.
@Suite struct ControlSubscriptionTests {
    /// Subscribes and returns the snapshot that answers it.
    static func subscribe(_ c: ControlClient) throws -> Snapshot {
        let id = try c.send(.subscribe, EmptyParams())
        guard case .response(let rid, let result)? = try c.checkedNext() else {
            Issue.record("the first message after subscribe was not its answer")
            throw ControlClientError.closed
        }
        #expect(rid == .number(id))
        return try result.get().decode(Snapshot.self)
    }

    @Test func theSnapshotComesFirstThenEveryEventInOrder() throws {
        let f = try ControlFixture()
        f.harness.call(1, "transfer")
        _ = try #require(f.harness.pending(1))
        let c = try f.client()
        let snapshot = try Self.subscribe(c)
        #expect(snapshot.pending.map(\.call.tool) == ["transfer"])
        #expect(snapshot.recent.map(\.tool) == ["transfer"])
        #expect(snapshot.gateway.name == "test")

        f.harness.call(2, "get_time")
        f.harness.upstreamAnswers(2)
        f.harness.call(3, "delete_everything")
        _ = try f.enforcer.deny(DenyParams(id: snapshot.pending[0].id), by: "bob")

        var events: [ControlEvent] = []
        while events.last?.type != .approvalResolved {
            guard case .event(let e)? = try c.checkedNext() else { Issue.record("stream ended"); return }
            events.append(e)
        }
        // Sequence numbers continue from the snapshot without a gap.
        #expect(events.map(\.seq) == Array((snapshot.seq + 1)...(snapshot.seq + UInt64(events.count))))
        let calls = events.compactMap(\.call).map { "\($0.tool):\($0.outcome.rawValue)" }
        #expect(calls == ["get_time:forwarded", "get_time:ok", "delete_everything:denied", "transfer:denied"])
        #expect(events.last?.resolution?.outcome == "denied")
        #expect(events.last?.resolution?.by == "bob")
        c.close()
    }

    @Test func aSecondSubscribeOnOneConnectionIsRefused() throws {
        let f = try ControlFixture()
        let c = try f.raw()
        try c.hello()
        #expect(try c.request(1, "subscribe")?["result"]?["gateway"]?["name"] == "test")
        #expect(try c.request(2, "subscribe")?.errorMessage == "already subscribed")
    }

    @Test func twoSubscribersSeeTheSameEventsAndEachOthersResolutions() throws {
        let f = try ControlFixture()
        let alice = try f.client("alice")
        let bob = try f.client("bob")
        _ = try Self.subscribe(alice)
        _ = try Self.subscribe(bob)
        f.harness.call(1, "transfer", ["amount": 5])
        let seenByAlice = try #require(try alice.nextEvent { $0.type == .approvalPending })
        let seenByBob = try #require(try bob.nextEvent { $0.type == .approvalPending })
        #expect(seenByAlice == seenByBob)
        let id = try #require(seenByAlice.approval?.id)

        // Alice approves over a separate command connection; Bob sees it resolved.
        let command = try f.client("alice-cmd")
        _ = try command.checkedCall(.approve, ApproveParams(id: id), as: ResolveResult.self)
        let resolved = try #require(try bob.nextEvent { $0.type == .approvalResolved })
        #expect(resolved.resolution?.id == id)
        #expect(resolved.resolution?.outcome == "approved")
        #expect(resolved.resolution?.by == command.hello.operatorName)
        _ = try #require(try alice.nextEvent { $0.type == .approvalResolved })

        // Bob acting on what he saw is told it is already resolved.
        let bobCommand = try f.client("bob-cmd")
        do {
            _ = try bobCommand.checkedCall(.deny, DenyParams(id: id), as: ResolveResult.self)
            Issue.record("a resolved call was denied")
        } catch let error as ControlClientError {
            #expect(error.code == -32003)
            #expect(error.description.contains("already approved"))
        }
        for c in [alice, bob, command, bobCommand] { c.close() }
    }

    @Test func aSubscriberThatStopsReadingDoesNotSlowTheGatewayAndIsResynchronised() throws {
        let f = try ControlFixture(hubCapacity: 8, storage: .memory)
        let c = try f.raw()
        try c.hello()
        let answer = try #require(try c.request(1, "subscribe"))
        let firstSeq = try #require(answer["result"]?["seq"]?.intValue)

        // The subscriber reads nothing while the gateway does a lot: far more than the queue
        // and the socket's buffers hold. Every call must still be decided.
        let done = LineRecorder()
        let worker = Thread {
            for i in 0..<600 { f.harness.call(.number(i), "delete_everything", ["padding": .string(String(repeating: "x", count: 2500))]) }
            done.append([1])
        }
        worker.start()
        #expect(done.waitForCount(1), "the gateway was slowed down by a subscriber that does not read")
        #expect(f.harness.toClient.count == 600)

        // Reading again, the subscriber gets what was sent before it fell behind, and resyncs
        // (snapshots) for what it missed; nothing ever goes back in time, and it catches up.
        let target = f.enforcer.snapshot().seq
        var resyncs = 0
        var lastSeq = firstSeq
        var caughtUp = false
        while !caughtUp {
            guard let m = try c.next() else { Issue.record("the stream ended before the subscriber caught up"); return }
            let seq: Int
            if m["method"] == "resync" {
                resyncs += 1
                #expect((m["params"]?["missed"]?.intValue ?? 0) > 0)
                seq = try #require(m["params"]?["snapshot"]?["seq"]?.intValue)
                #expect(seq >= lastSeq, "a resync went back in time")
            } else {
                seq = try #require(m["params"]?["seq"]?.intValue)
                #expect(seq > lastSeq, "event \(seq) came after \(lastSeq)")
            }
            lastSeq = seq
            caughtUp = seq >= Int(target)
        }
        #expect(resyncs > 0)

        // Live events follow (or, should the queue overflow again, the next resync covers them).
        f.harness.call("after", "get_time")
        var sawLive = false
        while !sawLive {
            guard let m = try c.next() else { Issue.record("stream ended"); return }
            if let seq = m["params"]?["seq"]?.intValue {
                #expect(seq > lastSeq, "event \(seq) came after \(lastSeq)")
                lastSeq = seq
            }
            let recent = m["params"]?["snapshot"]?["recent"]?.arrayValue ?? []
            sawLive = m["params"]?["call"]?["tool"] == "get_time" || recent.contains { $0["tool"] == "get_time" }
        }
    }

    @Test func aSubscriberStuckPastTheWriteTimeoutIsDisconnectedNotSilentlyDropped() throws {
        let f = try ControlFixture(hubCapacity: 8, storage: .memory)
        let c = try f.raw()
        try c.hello()
        #expect(try c.request(1, "subscribe")?["result"] != nil)
        #expect(f.enforcer.hub.subscriberCount == 1)
        // Fill the socket so the subscriber's writes block, then keep it stuck past the
        // server's write timeout (5 s).
        for i in 0..<600 { f.harness.call(.number(i), "delete_everything", ["padding": .string(String(repeating: "x", count: 2500))]) }
        #expect(waitUntil { f.enforcer.hub.subscriberCount == 0 }, "the stuck subscriber was never dropped")
        // A dashboard that resumes reading must learn that its stream ended, or it would show
        // a frozen gateway forever: after what was buffered, the connection ends.
        let dog = Watchdog(after: .seconds(20)) { c.close() }
        // (The last line may be cut short: the write that timed out left part of it.)
        while try c.connection.reader.next() != nil {}
        #expect(!dog.fired, "the connection stayed open after its subscription was dropped")
        dog.cancel()
    }
}
