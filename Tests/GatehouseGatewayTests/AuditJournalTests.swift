import Foundation
import GRDB
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// The audit journal: durable on append, moved into SQLite in the background, replayed after a
/// crash, never able to put a row back to an older state.
@Suite struct AuditJournalTests {
    static func call(_ id: String, _ outcome: CallRecord.Outcome = .forwarded, tool: String = "echo") -> CallRecord {
        CallRecord(id: id, gateway: "g", session: "s", grant: "default", tool: tool, arguments: ["text": "hi \"there\"\n"],
                   argsHash: "h", receivedAt: 1_700_000_000.25, decision: "allow", outcome: outcome, rule: "echo",
                   reason: "why", trace: ["a", "b"], counters: ["c +1"],
                   latencyMs: outcome == .ok ? 1.5 : nil, resultPreview: outcome == .ok ? "done" : nil,
                   resultIsError: outcome == .ok ? false : nil)
    }

    static func sqlRows(_ store: StateStore) throws -> [String: String] {
        try store.db.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT call_id, outcome FROM audit").map {
                (($0["call_id"] as String), ($0["outcome"] as String))
            })
        }
    }

    static func journalFiles(_ dir: TemporaryDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.file("journal"))) ?? []).sorted()
    }

    @Test func anEntryRoundTripsThroughItsLine() throws {
        let c = Self.call("abc", .ok)
        let line = JournalEntry.audit(c, keepsArguments: true, complete: false, at: 1_700_000_001.125).line()
        #expect(line.last == 0x0A)
        #expect(line.dropLast().contains(0x0A) == false, "an entry must be one line")
        guard case .audit(let back, let keeps, let complete, let at)? = JournalEntry.parse(line.dropLast()) else {
            Issue.record("the line did not parse back")
            return
        }
        #expect(back == c)
        #expect(keeps)
        #expect(!complete)
        #expect(at == 1_700_000_001.125)
        let settle = JournalEntry.settle(reservation: "r1", at: 5.5, commit: false).line()
        guard case .settle("r1", 5.5, false)? = JournalEntry.parse(settle.dropLast()) else {
            Issue.record("a settlement did not parse back")
            return
        }
    }

    /// A completion carries only the call's result; laid over the call's previous entry, it reads
    /// back whole. A first entry without what the call is, is not an entry.
    @Test func aCompletionCarriesOnlyTheResult() throws {
        let first = Self.call("abc")
        let done = Self.call("abc", .ok)
        let line = JournalEntry.audit(done, keepsArguments: false, complete: true, at: 2).line()
        let text = String(decoding: line, as: UTF8.self)
        for left in ["gateway", "session", "grant", "tool", "arguments", "argsHash", "receivedAt", "decision", "rule",
                     "reason", "trace", "counters", "approver", "approvalScope"] {
            #expect(!text.contains("\"\(left)\":"), "a completion repeats \(left)")
        }
        for kept in ["outcome", "latencyMs", "resultPreview", "resultIsError"] {
            #expect(text.contains("\"\(kept)\":"), "a completion lacks \(kept)")
        }
        guard case .audit(let back, false, true, 2)? = JournalEntry.parse(line.dropLast()) else {
            Issue.record("the completion did not parse back")
            return
        }
        var merged = first
        merged.takeResult(from: back)
        #expect(merged == done)
        // A first entry must say what the call is.
        let firstLine = String(decoding: JournalEntry.audit(first, keepsArguments: true, complete: false, at: 1).line(), as: UTF8.self)
        let withoutTool = firstLine.replacingOccurrences(of: #","tool":"echo""#, with: "")
        #expect(withoutTool != firstLine)
        #expect(JournalEntry.parse(Array(withoutTool.utf8).dropLast()) == nil)
        // Journals written when completions repeated everything still read whole.
        let old = firstLine.replacingOccurrences(of: #""complete":false"#, with: #""complete":true"#)
        guard case .audit(let whole, _, true, _)? = JournalEntry.parse(Array(old.utf8).dropLast()) else {
            Issue.record("an older completion did not parse back")
            return
        }
        #expect(whole == first)
    }

    /// A completion waiting in the journal, its call's first row already in SQLite: the audit
    /// log reads the call whole, and so does SQLite once the completion is in.
    @Test func aCompletionAfterItsFirstRowReachedSQLiteReadsWhole() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(directory: dir.path)
        try store.record(Self.call("c1"), arguments: .full, now: 1)
        #expect(store.flushJournal())
        try store.complete(Self.call("c1", .ok), arguments: .full, now: 2)
        let read = try store.audit(.init()).first?.call
        #expect(read == Self.call("c1", .ok))
        #expect(store.flushJournal())
        store.close()
        let reopened = try StateStore(directory: dir.path)
        #expect(try reopened.audit(.init()).first?.call == Self.call("c1", .ok))
        reopened.close()
    }

    /// Text reaches SQLite as it is: empty, non-ASCII, with quotes and newlines in the JSON columns.
    @Test func textReachesSQLiteWhole() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(directory: dir.path)
        var c = Self.call("c1", .ok)
        c.reason = ""
        c.resultPreview = "naïve ✓"
        c.trace = ["say \"hi\"\n", "", "é ✓"]
        c.counters = []
        try store.record(c, arguments: .full, now: 1)
        #expect(store.flushJournal())
        store.close()
        let reopened = try StateStore(directory: dir.path)
        let back = try #require(try reopened.audit(.init()).first?.call)
        #expect(back.reason == c.reason)
        #expect(back.resultPreview == c.resultPreview)
        #expect(back.trace == c.trace)
        #expect(back.counters == c.counters)
        #expect(back == c)
        reopened.close()
    }

    @Test func aRecordedCallIsReadableAtOnceAndReachesSQLite() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(directory: dir.path)
        try store.record(Self.call("c1"), arguments: .full, now: 1)
        // Readable before the ingester has run: `audit` merges the journal.
        #expect(try store.audit(.init()).map(\.call.id) == ["c1"])
        try store.complete(Self.call("c1", .ok), arguments: .full, now: 2)
        #expect(try store.audit(.init()).first?.call.outcome == .ok)
        #expect(store.flushJournal())
        #expect(try Self.sqlRows(store) == ["c1": "ok"])
        let row = try #require(try store.audit(.init()).first)
        #expect(row.seq > 0)
        #expect(row.call == Self.call("c1", .ok))
        store.close()
        #expect(Self.journalFiles(dir).isEmpty, "a journal fully moved into SQLite is deleted on close")
    }

    @Test func anOrphanedJournalIsReplayedAndATornTailSkipped() throws {
        let dir = try TemporaryDirectory()
        try StateStore(directory: dir.path).close()
        var bytes: [UInt8] = []
        bytes += JournalEntry.audit(Self.call("a"), keepsArguments: true, complete: false, at: 1).line()
        bytes += JournalEntry.audit(Self.call("b"), keepsArguments: false, complete: false, at: 1).line()
        bytes += JournalEntry.audit(Self.call("a", .ok), keepsArguments: true, complete: true, at: 2).line()
        // A kill in the middle of a write leaves part of a line and no newline.
        bytes += JournalEntry.audit(Self.call("c"), keepsArguments: true, complete: false, at: 3).line().prefix(40)
        try Data(bytes).write(to: URL(fileURLWithPath: dir.file("journal/999-dead.jsonl")))
        try Data("half".utf8).write(to: URL(fileURLWithPath: dir.file("journal/999-dead2.tmp")))

        let store = try StateStore(directory: dir.path)
        #expect(try Self.sqlRows(store) == ["a": "ok", "b": "forwarded"])
        #expect(Self.journalFiles(dir).isEmpty, "replayed journals and abandoned compactions are deleted")
        store.close()
    }

    /// A held call approved and answered, replayed from its lines: the approval's entry replaces
    /// the held one and the completion lays the result over it, whether or not the held entry
    /// had reached SQLite before, or only the completion was left in the journal.
    @Test func aReplayedCallFoldsItsEntries() throws {
        var held = Self.call("h", .held)
        held.decision = "hold"
        var approved = held
        approved.outcome = .forwarded
        approved.approver = "alice"
        approved.approvalScope = "once"
        var answered = approved
        answered.outcome = .ok
        answered.latencyMs = 3.5
        answered.resultPreview = "done"
        answered.resultIsError = false
        let lines = [
            JournalEntry.audit(held, keepsArguments: true, complete: false, at: 1).line(),
            JournalEntry.audit(approved, keepsArguments: true, complete: false, at: 2).line(),
            JournalEntry.audit(answered, keepsArguments: false, complete: true, at: 3).line(),
        ]
        for inSQLiteFirst in [false, true] {
            let dir = try TemporaryDirectory()
            let setup = try StateStore(directory: dir.path)
            if inSQLiteFirst {
                try setup.record(held, arguments: .full, now: 0.5)
                #expect(setup.flushJournal())
            }
            setup.close()
            try Data(lines.joined()).write(to: URL(fileURLWithPath: dir.file("journal/999-dead.jsonl")))
            // Opening the store replays the dead process's journal.
            let reader = try StateStore(directory: dir.path)
            #expect(try reader.audit(.init()).first?.call == answered, "after replay, in SQLite first: \(inSQLiteFirst)")
            reader.close()
        }
        // Only the completion left in the journal, the rest in SQLite.
        let dir = try TemporaryDirectory()
        let setup = try StateStore(directory: dir.path)
        try setup.record(held, arguments: .full, now: 0.5)
        try setup.record(approved, arguments: .full, now: 0.6)
        #expect(setup.flushJournal())
        setup.close()
        try Data(lines[2]).write(to: URL(fileURLWithPath: dir.file("journal/999-dead.jsonl")))
        let reader = try StateStore(directory: dir.path)
        #expect(try reader.audit(.init()).first?.call == answered)
        reader.close()
    }

    @Test func replayingAnOlderEntryNeverMovesARowBack() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(directory: dir.path)
        try store.record(Self.call("x"), arguments: .full, now: 1)
        try store.complete(Self.call("x", .ok), arguments: .full, now: 2)
        #expect(store.flushJournal())
        // The same call's first entry again, as a replay of a journal not yet compacted would.
        try store.applyJournal([.audit(Self.call("x"), keepsArguments: true, complete: false, at: 1)])
        try store.applyJournal([.audit(Self.call("x"), keepsArguments: true, complete: true, at: 1.5)])
        #expect(try Self.sqlRows(store) == ["x": "ok"])
        store.close()
    }

    @Test func aClockSteppedBackDoesNotLeaveACallUnfinished() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(directory: dir.path)
        try store.record(Self.call("y"), arguments: .full, now: 1_000)
        try store.complete(Self.call("y", .ok), arguments: .full, now: 400)
        #expect(store.flushJournal())
        // Replaying the first entry again (a journal not yet compacted) must not undo the answer.
        try store.applyJournal([.audit(Self.call("y"), keepsArguments: true, complete: false, at: 1_000)])
        #expect(try Self.sqlRows(store) == ["y": "ok"])
        store.close()
    }

    @Test func aLiveJournalIsLeftToItsOwnerButReadByOthers() throws {
        let dir = try TemporaryDirectory()
        let owner = try StateStore(directory: dir.path)
        try owner.record(Self.call("live", tool: "t1"), arguments: .full, now: 1)
        #expect(Self.journalFiles(dir).count == 1)
        // Another process opening the directory (here: another store) must not take the file...
        let reader = try StateStore(directory: dir.path)
        #expect(Self.journalFiles(dir).count == 1)
        // ...but its reads include what the owner has journaled, filters applied.
        #expect(try reader.audit(.init(tool: "t1")).map(\.call.id) == ["live"])
        #expect(try reader.audit(.init(tool: "other")).isEmpty)
        #expect(try reader.audit(.init(afterSeq: 0)).allSatisfy { $0.seq > 0 }, "a follower sees rows once they have a seq")
        // A completion does not repeat the arguments; a reader still shows them.
        try owner.complete(Self.call("live", .ok, tool: "t1"), arguments: .full, now: 2)
        let completed = try #require(try reader.audit(.init(tool: "t1")).first?.call)
        #expect(completed.outcome == .ok)
        #expect(completed.arguments == Self.call("live").arguments)
        reader.close()
        owner.close()
        let after = try StateStore(directory: dir.path)
        #expect(try Self.sqlRows(after) == ["live": "ok"])
        #expect(try after.audit(.init()).first?.call == Self.call("live", .ok, tool: "t1"))
    }

    @Test func aGrowingJournalIsCompactedAndLosesNothing() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(directory: dir.path)
        let n = 8_000
        var written = 0
        for i in 0..<n {
            var c = Self.call("call-\(i)")
            c.reason = String(repeating: "r", count: 2_000)
            written += JournalEntry.audit(c, keepsArguments: true, complete: false, at: 0).line().count
            try store.record(c, arguments: .full, now: Double(i))
            if i % 500 == 0 { store.flushJournal() }
        }
        #expect(written > AuditJournal.fileBytes, "the test must write more than one journal file holds")
        #expect(store.flushJournal())
        let files = Self.journalFiles(dir)
        #expect(files.count == 1)
        // The file is allocated whole; what counts is how much of it is in use (up to the zeros).
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.file("journal/" + files[0])))
        let used = data.firstIndex(of: 0) ?? data.count
        #expect(data.count == AuditJournal.fileBytes)
        #expect(used < AuditJournal.compactionBytes + 2_500 * 500, "the journal holds \(used) bytes")
        #expect(try Self.sqlRows(store).count == n)
        store.close()
    }

    @Test func settlementsGoThroughTheJournalAndSurviveAMirrorReload() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(directory: dir.path)
        let counters = SQLiteCounterStore(store: store)
        let key = CounterKey(counter: "c", scope: .global, subject: "")
        let charge = CounterCharge(key: key, window: 3600, max: 10, amount: 1)
        guard case .reserved(let kept) = try counters.reserve([charge], now: 100),
              case .reserved(let dropped) = try counters.reserve([charge], now: 101) else {
            Issue.record("reservations refused")
            return
        }
        try counters.commit(kept)
        try counters.rollback(dropped)
        #expect(try counters.usage(key, window: 3600, max: 10, now: 102).used == 1)
        // Another connection's commit makes the mirror reload from SQLite, which does not have
        // the rollback yet: the journal's waiting settlement must still apply.
        var patient = Configuration()
        patient.busyMode = .timeout(10)  // the store's ingester may be writing
        let other = try DatabaseQueue(path: store.path, configuration: patient)
        try other.write { try $0.execute(sql: "CREATE TABLE IF NOT EXISTS poke (x)") }
        #expect(try counters.usage(key, window: 3600, max: 10, now: 102).used == 1)
        #expect(store.flushJournal())
        let rows = try store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM counter_charge WHERE committed = 1") }
        #expect(rows == 1)
        #expect(try store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM counter_charge") } == 1)
        store.close()
    }

    @Test func aFullJournalHoldsNewCallsBackUntilTheIngesterCatchesUp() throws {
        let dir = try TemporaryDirectory()
        let journal = AuditJournal(stateDirectory: dir.path)
        defer { journal.close() }
        for i in 0..<AuditJournal.backpressureLimit {
            try journal.append(.settle(reservation: "r\(i)", at: Double(i), commit: true))
        }
        // Nobody drains it: the wait gives up and says so.
        #expect(!journal.waitForRoom(timeout: 0.05, nudge: {}))
        // The ingester's pass (here: the nudge) makes room, and the wait ends.
        var nudged = 0
        #expect(journal.waitForRoom(timeout: 5) {
            nudged += 1
            _ = journal.take()
            journal.committed()
        })
        #expect(nudged == 1)
        #expect(journal.waitingCount == 0)
    }

    @Test func sessionChargesAreJournaledCountedAtOnceAndReplayedOnce() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(directory: dir.path)
        let key = CounterKey(counter: "c", scope: .session, subject: "s1")
        let charge = CounterCharge(key: key, window: 3600, max: 3, amount: 1)
        let counters = SQLiteCounterStore(store: store)
        for t in 0..<3 {
            guard case .reserved = try counters.reserve([charge], now: 100 + Double(t)) else {
                Issue.record("charge \(t) refused")
                return
            }
        }
        guard case .exceeded = try counters.reserve([charge], now: 104) else {
            Issue.record("a fourth charge within the window was admitted")
            return
        }
        // A mirror loaded afresh (another store object in this process) still sees the charges
        // the ingester has not moved yet, each once.
        let fresh = SQLiteCounterStore(store: store)
        #expect(try fresh.usage(key, window: 3600, max: 3, now: 105).used == 3)
        #expect(store.flushJournal())
        #expect(try fresh.usage(key, window: 3600, max: 3, now: 105).used == 3)
        func rows(_ s: StateStore) throws -> Int {
            try s.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM counter_charge") ?? -1 }
        }
        #expect(try rows(store) == 3)
        // Replaying a journal whose charges are already in SQLite adds none.
        store.close()
        var bytes: [UInt8] = []
        bytes += JournalEntry.charge(charge, at: 100, reservation: "again").line()
        bytes += JournalEntry.charge(charge, at: 100, reservation: "again").line()
        try Data(bytes).write(to: URL(fileURLWithPath: dir.file("journal/1-dead.jsonl")))
        let reopened = try StateStore(directory: dir.path)
        #expect(try rows(reopened) == 4)
        reopened.close()
    }

    @Test func movingASessionChargeIntoSQLiteLooksItUpByReservation() throws {
        // Taking the counter's key index instead scans every charge of the counter per insert:
        // ingest slowed with every call, until the backlog held calls up for seconds.
        let dir = try TemporaryDirectory()
        let store = try StateStore(directory: dir.path)
        defer { store.close() }
        let plan = try store.db.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteCounterStore.insertSQL,
                             arguments: ["c", "session", "s", 1.0, 1.0, 60.0, "r", "r", "c", "session", "s"])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("counter_charge_reservation") }, "\(plan)")
        #expect(!plan.contains { $0.contains("counter_charge_key") }, "\(plan)")
    }

    @Test func aClosedJournalRefusesEntriesSoCallsFailClosed() throws {
        let h = try Harness(policy: Policies.standard)
        let store = try #require(h.store)
        store.close()
        h.call(1, "get_time")
        #expect(!h.forwarded(1), "a call that could not be audited was forwarded")
        #expect(h.answer(1)?.gatehouseDecision == "deny")
    }
}
