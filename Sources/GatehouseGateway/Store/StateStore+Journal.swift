import Foundation
import GRDB
import GatehouseCore

/// How journal entries reach SQLite: the ingester's batches, and the replay of journals whose
/// process died before its ingester had moved everything.
extension StateStore {
    /// Puts entries on the journal (durable once this returns) for the ingester to move into SQLite.
    func journal(_ entry: JournalEntry) throws {
        try journalFile.append(entry)
        startIngesterIfNeeded()
    }

    /// Several entries together, with nothing from another thread between them.
    func journal(_ entries: [JournalEntry]) throws {
        try journalFile.append(contentsOf: entries)
        startIngesterIfNeeded()
    }

    /// Backpressure: returns once the journal has room (see `AuditJournal.backpressureLimit`), or
    /// false after `timeout` seconds without it (the next entries may then be refused).
    public func waitForJournalRoom(timeout: Double = 10) -> Bool {
        journalFile.waitForRoom(timeout: timeout) { ingester.withLock { $0 }?.nudge() }
    }

    /// Moves everything waiting in this process's journal into SQLite now; false if SQLite refused.
    @discardableResult
    public func flushJournal() -> Bool {
        ingester.withLock { $0 }?.ingest() ?? true
    }

    /// Writes a batch in one transaction. Within the batch a call's entries are folded into one
    /// row (a full entry replaces it, a completion lays its result over it), written at the place
    /// of the call's first entry, so rows keep the order their calls arrived in.
    func applyJournal(_ entries: [JournalEntry]) throws {
        var rows: [String: (call: CallRecord, at: Double)] = [:]
        for case .audit(let c, _, let complete, let at) in entries {
            if complete, var row = rows[c.id]?.call {
                row.takeResult(from: c)
                rows[c.id] = (row, at)
            } else {
                rows[c.id] = (c, at)
            }
        }
        var written: Set<String> = []
        try write { db in
            let statements = try AuditStatements(db)
            for e in entries {
                switch e {
                case .settle(let reservation, _, let commit):
                    try SQLiteCounterStore.settle(reservation, commit: commit, db: db)
                case .charge(let charge, let at, let reservation):
                    try SQLiteCounterStore.insert(charge, at: at, reservation: reservation, db: db)
                case .audit(let first, let keepsArguments, let firstIsCompletion, _):
                    guard written.insert(first.id).inserted, let (call, at) = rows[first.id] else { continue }
                    // A call whose earlier entries went in with an earlier batch gets its result
                    // (an UPDATE); otherwise its first entry (which alone carries the arguments) is here.
                    if firstIsCompletion {
                        try Self.complete(call, arguments: nil, now: at, db: db, statements)
                    } else {
                        try Self.upsert(call, arguments: keepsArguments ? JSONWriter.string(first.arguments) : nil, now: at, db: db, statements)
                    }
                }
            }
        }
    }

    /// Replays every journal whose process is gone (its lock is free), then deletes it. Entries
    /// that are already in SQLite are written again to the same effect: a row never goes back
    /// to an older state (see `upsertSQL`).
    func replayOrphanedJournals() throws {
        let dir = journalFile.directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for name in names.sorted() {
            let path = (dir as NSString).appendingPathComponent(name)
            let isJournal = name.hasSuffix("." + AuditJournal.fileExtension)
            guard isJournal || name.hasSuffix(".tmp") else { continue }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { Glibc.close(fd) }
            // Held: its process is alive and moves its own entries.
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            // A `.tmp` is a compaction that never finished; its journal still holds everything.
            if isJournal {
                let entries = Self.entries(in: Self.readAll(fd))
                if !entries.isEmpty { try applyJournal(entries) }
            }
            unlink(path)
        }
    }

    /// The newest journaled state of each call not yet (or not fully) in SQLite, across every
    /// journal in the directory, live ones included: what `audit` merges into its answer.
    /// `order`: when the call first appears, so calls not in SQLite yet keep their journal order.
    /// `resultOnly`: only completions were found (the rest of the row is in SQLite).
    func journaledCalls() -> [String: (call: CallRecord, at: Double, order: Int, resultOnly: Bool)] {
        let dir = journalFile.directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [:] }
        var calls: [String: (call: CallRecord, at: Double, order: Int, resultOnly: Bool)] = [:]
        var order = 0
        for name in names.sorted() where name.hasSuffix("." + AuditJournal.fileExtension) {
            let fd = open((dir as NSString).appendingPathComponent(name), O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { Glibc.close(fd) }
            for case .audit(let c, _, let complete, let at) in Self.entries(in: Self.readAll(fd)) {
                order += 1
                if let old = calls[c.id] {
                    guard old.at <= at else { continue }
                    var call = c
                    if complete {
                        call = old.call
                        call.takeResult(from: c)  // a completion carries only the result
                    } else if case .null = c.arguments {
                        call.arguments = old.call.arguments
                    }
                    calls[c.id] = (call, at, old.order, old.resultOnly && complete)
                } else {
                    calls[c.id] = (c, at, order, complete)
                }
            }
        }
        return calls
    }

    static func entries(in file: [UInt8]) -> [JournalEntry] {
        // The file is allocated ahead and zero past its last entry (JSON text never holds a NUL).
        let bytes = file.firstIndex(of: 0).map { file[..<$0] } ?? file[...]
        // A last line without its newline was cut short: its append never returned, so the call
        // it belongs to was neither forwarded nor answered on its strength.
        return bytes.split(separator: 0x0A, omittingEmptySubsequences: true).compactMap { line in
            line.endIndex < bytes.endIndex ? JournalEntry.parse(line) : nil
        }
    }

    static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return out }
            out.append(contentsOf: buffer[..<n])
        }
    }
}
