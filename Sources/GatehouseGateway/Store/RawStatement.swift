import GRDB
import GRDBSQLite

/// Runs a cached GRDB statement with its parameters bound through SQLite's C API. The ingester
/// writes every audit row through here: building GRDB's `StatementArguments` (an existential per
/// column, then a `DatabaseValue` each) cost twice what SQLite's own insert did.
struct RawStatement {
    let statement: Statement
    private var index: Int32 = 0
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Not cleared: `run` insists that every parameter is bound again.
    init(_ statement: Statement) {
        self.statement = statement
        sqlite3_reset(statement.sqliteStatement)
    }

    /// Binds the next parameter (a nil binds NULL). From the string's own UTF-8, with its length:
    /// no C string is made, and a NUL inside the text is kept.
    mutating func bind(_ value: String?) {
        guard var value else {
            index += 1
            return null()
        }
        value.withUTF8 { bind(text: UnsafeRawBufferPointer($0)) }
    }

    /// Binds the next parameter to UTF-8 text.
    mutating func bind(text utf8: UnsafeRawBufferPointer) {
        index += 1
        // An empty buffer may have no address; SQLite reads a null pointer as NULL, not "".
        let start = utf8.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
        sqlite3_bind_text(statement.sqliteStatement, index, start.assumingMemoryBound(to: CChar.self), Int32(utf8.count),
                          Self.transient)
    }

    mutating func bind(_ value: Double?) {
        index += 1
        if let value { sqlite3_bind_double(statement.sqliteStatement, index, value) } else { null() }
    }

    mutating func bind(_ value: Bool?) {
        index += 1
        if let value { sqlite3_bind_int64(statement.sqliteStatement, index, value ? 1 : 0) } else { null() }
    }

    private func null() { sqlite3_bind_null(statement.sqliteStatement, index) }

    /// Steps the statement to completion and resets it, so GRDB finds it as it left it.
    func run(_ db: Database) throws {
        let handle = statement.sqliteStatement
        precondition(Int(index) == Int(sqlite3_bind_parameter_count(handle)), "every parameter must be bound")
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }
}
