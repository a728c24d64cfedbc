import Foundation
import GRDB
import GatehouseCore
import Logging
import Synchronization

/// The gateway's durable state: one SQLite file in the state directory, shared by every gateway
/// process that uses that directory (that is how `grant` and `global` counters span gateways).
///
/// WAL with `synchronous = NORMAL`: a commit survives the process being killed at any point
/// (the kill -9 tests check this); only a power cut may lose the last transactions. Audit rows and
/// counter settlements reach it through the write-ahead `AuditJournal`, which makes the same
/// promise for one `write(2)` instead of a commit.
public final class StateStore: Sendable {
    public let path: String
    let db: DatabaseQueue
    let journalFile: AuditJournal
    /// The time of the newest audit entry, in microseconds (see `entryTime`).
    let lastEntryAt = Mutex(Int64.min)
    /// Started by the first journal entry, so a store opened only to read starts no thread.
    let ingester = Mutex<JournalIngester?>(nil)
    /// Counts writes that failed or were rolled back, so in-memory mirrors know to reload.
    let rollbacks = Atomic<UInt64>(0)

    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        path = (directory as NSString).appendingPathComponent("gatehouse.sqlite")
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(10)
        config.label = "gatehouse-state"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        db = try DatabaseQueue(path: path, configuration: config)
        // The audit log holds call arguments: keep it readable by its owner only.
        chmod(path, 0o600)
        try Self.migrator.migrate(db)
        journalFile = AuditJournal(stateDirectory: directory)
        try FileManager.default.createDirectory(atPath: journalFile.directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try replayOrphanedJournals()
    }

    deinit { close() }

    /// Moves what the journal still holds into SQLite and deletes it. Entries SQLite refuses stay
    /// in the journal for the next process to replay.
    public func close() {
        let running = ingester.withLock { i -> JournalIngester? in
            defer { i = nil }
            return i
        }
        running?.stop()
        journalFile.close()
    }

    func startIngesterIfNeeded() {
        ingester.withLock { i in
            guard i == nil else { return }
            i = JournalIngester(journal: journalFile, logger: Logger(label: "gatehouse.store")) { [weak self] entries in
                try self?.applyJournal(entries)
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE counter_charge (
                    id INTEGER PRIMARY KEY,
                    counter TEXT NOT NULL, scope TEXT NOT NULL, subject TEXT NOT NULL,
                    at REAL NOT NULL, amount REAL NOT NULL, window REAL NOT NULL,
                    reservation TEXT NOT NULL, committed INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX counter_charge_key ON counter_charge(counter, scope, subject, at);
                CREATE INDEX counter_charge_reservation ON counter_charge(reservation);
                CREATE TABLE tool_override (
                    gateway TEXT NOT NULL, tool TEXT NOT NULL, action TEXT NOT NULL,
                    set_by TEXT NOT NULL, set_at REAL NOT NULL, PRIMARY KEY (gateway, tool)
                );
                CREATE TABLE kill_switch (
                    gateway TEXT PRIMARY KEY, engaged_by TEXT NOT NULL, engaged_at REAL NOT NULL, reason TEXT
                );
                CREATE TABLE approval_grant (
                    id TEXT PRIMARY KEY, gateway TEXT NOT NULL, tool TEXT NOT NULL, session TEXT,
                    expires_at REAL, granted_by TEXT NOT NULL, created_at REAL NOT NULL
                );
                CREATE TABLE audit (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    call_id TEXT NOT NULL UNIQUE,
                    gateway TEXT NOT NULL, session TEXT NOT NULL, grant_id TEXT NOT NULL, tool TEXT NOT NULL,
                    arguments TEXT, args_hash TEXT NOT NULL,
                    received_at REAL NOT NULL, decision TEXT NOT NULL, outcome TEXT NOT NULL, rule TEXT NOT NULL,
                    reason TEXT, trace TEXT NOT NULL, counters TEXT NOT NULL,
                    approver TEXT, approval_scope TEXT, latency_ms REAL, result_preview TEXT, result_is_error INTEGER,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX audit_received ON audit(received_at);
                CREATE INDEX audit_tool ON audit(tool);
                """)
        }
        return m
    }
}
