import Foundation
import GRDB

/// Writes and reads on the store's connection. A write is one IMMEDIATE transaction (a counter
/// reservation, a batch of journal entries, a prune), so two gateways checking the same shared
/// budget at the same moment are serialised.
extension StateStore {
    /// What GRDB's `write` does, with BEGIN and COMMIT as cached statements: GRDB compiles them
    /// afresh for every transaction, which cost more than the write itself. Throws when it could
    /// not commit: then nothing written inside it reached the database.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        try counted {
            try db.writeWithoutTransaction { db in
                try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
                do {
                    let value = try updates(db)
                    try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                    return value
                } catch {
                    if db.isInsideTransaction { try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute() }
                    throw error
                }
            }
        }
    }

    /// Runs `body`, counting its failure in `rollbacks` (so in-memory mirrors know to reload).
    private func counted<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            rollbacks.add(1, ordering: .relaxed)
            throw error
        }
    }

    /// A read. Not `db.read`: GRDB guards it with `PRAGMA query_only`, and toggling that pragma
    /// expires every prepared statement, so each cached statement would be compiled again after
    /// every such read.
    func read<T>(_ value: (Database) throws -> T) throws -> T {
        try db.writeWithoutTransaction(value)
    }
}
