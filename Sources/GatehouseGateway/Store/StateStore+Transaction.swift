import Foundation
import GRDB
import Synchronization

/// The write transaction `StateStore.transaction` has open, and the thread it runs on.
/// Unchecked: `db` is used only by that thread, and only while the transaction is open.
struct JoinedTransaction: @unchecked Sendable {
    let thread: pthread_t
    let db: Database
}

/// One write transaction for several writes: the gateway commits a call's counter reservation and
/// its audit row together (one BEGIN, one COMMIT, one WAL append) instead of one transaction each.
/// Writes made on the thread that opened it join it, each inside a savepoint so that a failed write
/// still undoes only itself; other threads wait for it, as for any write.
extension StateStore {
    /// Runs `body` in one IMMEDIATE transaction that this thread's store writes join. Throws when
    /// it could not commit: then nothing written inside it reached the database.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if joinedTransaction() != nil { return try body() }
        return try immediateTransaction { db in
            joined.withLock { $0 = JoinedTransaction(thread: pthread_self(), db: db) }
            defer { joined.withLock { $0 = nil } }
            return try body()
        }
    }

    /// A write of its own, or a savepoint inside this thread's open transaction. `oneStatement`:
    /// the write is a single statement, atomic by itself, so it needs no savepoint.
    func write<T>(oneStatement: Bool = false, _ updates: (Database) throws -> T) throws -> T {
        guard let t = joinedTransaction() else { return try immediateTransaction(updates) }
        let db = t.db
        if oneStatement { return try counted { try updates(db) } }
        return try counted {
            try db.cachedStatement(sql: "SAVEPOINT joined_write").execute()
            do {
                let value = try updates(db)
                try db.cachedStatement(sql: "RELEASE SAVEPOINT joined_write").execute()
                return value
            } catch {
                try? db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT joined_write").execute()
                try? db.cachedStatement(sql: "RELEASE SAVEPOINT joined_write").execute()
                throw error
            }
        }
    }

    /// What GRDB's `write` does, with BEGIN and COMMIT as cached statements: GRDB compiles them
    /// afresh for every transaction, which cost more than the audit row itself.
    private func immediateTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try counted {
            try db.writeWithoutTransaction { db in
                try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
                do {
                    let value = try body(db)
                    try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                    return value
                } catch {
                    if db.isInsideTransaction { try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute() }
                    throw error
                }
            }
        }
    }

    /// Runs `body`, counting its failure in `rollbacks`.
    private func counted<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            rollbacks.add(1, ordering: .relaxed)
            throw error
        }
    }

    /// A read, inside this thread's open transaction if there is one (a nested `db.read` would trap).
    /// Not `db.read`: GRDB guards it with `PRAGMA query_only`, and toggling that pragma expires every
    /// prepared statement, so each cached statement would be compiled again after every such read.
    func read<T>(_ value: (Database) throws -> T) throws -> T {
        if let t = joinedTransaction() { return try value(t.db) }
        return try db.writeWithoutTransaction(value)
    }

    private func joinedTransaction() -> JoinedTransaction? {
        joined.withLock { t in
            guard let t, pthread_equal(t.thread, pthread_self()) != 0 else { return nil }
            return t
        }
    }
}
