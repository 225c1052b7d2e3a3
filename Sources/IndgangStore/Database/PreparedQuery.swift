import PostgresNIO

/// A statement written once, as an interpolated `PostgresQuery` that keeps its text and its values together, and run
/// prepared: PostgreSQL parses and plans it once per pooled connection instead of at every execution. For the writes of
/// a batch's 250-event chunks, parsing and planning were ~10 µs per event, a tenth of the database's work (perf,
/// 2026-12-05). Each conforming type declares `static let sql` from a template instance (any values give the same text).
protocol PreparedQuery: PostgresPreparedStatement {
    var query: PostgresQuery { get }
}

extension PreparedQuery {
    func makeBindings() throws -> PostgresBindings { query.binds }
}

extension PreparedQuery where Row == () {
    func decodeRow(_ row: PostgresRow) throws {}
}

extension PostgresConnection {
    /// Runs a statement that returns no rows, to its end: an error it meets is thrown here. (PostgresNIO's `execute`
    /// overload that answers the command tag traps on a statement without rows — `commandTag` demands a consumed
    /// stream — so the row sequence is drained instead.)
    func run<Statement: PreparedQuery>(_ statement: Statement, logger: Logger) async throws where Statement.Row == () {
        for try await _ in try await execute(statement, logger: logger) {}
    }
}
