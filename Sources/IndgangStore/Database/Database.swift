import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// The connection pool plus the one way this codebase runs a command: a transaction that is retried on
/// serialization failure or deadlock, and that rethrows the command's own error (not postgres-nio's wrapper).
public struct Database: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            let began = NIOLockedValueBox(false)
            do {
                return try await client.withConnection { connection in
                    try await Self.whileOpen(connection) {
                        try await connection.query("BEGIN", logger: logger)
                        began.withLockedValue { $0 = true }
                        do {
                            let result = try await body(connection)
                            try await connection.query("COMMIT", logger: logger)
                            return result
                        } catch {
                            _ = try? await connection.query("ROLLBACK", logger: logger)
                            if Self.isReadOnlyServer(error) {
                                // A connection to a primary that was demoted to a standby (made while haproxy still
                                // pointed at it) answers every write this way for as long as it lives: close it, so
                                // the pool connects afresh — to the new primary — instead of failing writes for good.
                                try? await connection.close()
                            }
                            throw error
                        }
                    }
                }
            } catch {
                // Safe to try again: a serialization failure or deadlock (all rolled back), or a connection lost
                // before the transaction began (a pooled connection the server had already closed).
                // A read-only server rolled everything back too; its connection is closed, so another one is tried.
                let retryable = Self.isTransient(error) || Self.isReadOnlyServer(error) || (error is ConnectionLost && !began.withLockedValue { $0 })
                if attempt < 4, retryable {
                    logger.debug("retrying transaction", metadata: ["attempt": "\(attempt)"])
                    continue
                }
                throw error
            }
        }
    }

    /// Runs reads on one pooled connection, outside a transaction (each statement sees its own snapshot): one round
    /// trip per statement, no BEGIN or COMMIT. Given up on, like a transaction, when the connection dies under it.
    public func read<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in try await Self.whileOpen(connection) { try await body(connection) } }
    }

    /// Refreshes statistics and visibility after a bulk load, as a bulk loader should; without a statement timeout,
    /// because vacuuming a large load can take longer than a request may.
    public func vacuumAnalyze(_ tables: [String]) async throws {
        try await client.withConnection { connection in
            try await connection.query("SET statement_timeout = 0", logger: logger)
            for table in tables {
                try await connection.query(PostgresQuery(unsafeSQL: "VACUUM ANALYZE \(table)"), logger: logger)
            }
            try await connection.query("RESET statement_timeout", logger: logger)
        }
    }

    /// The connection of a transaction died under it (the server restarted, failed over, or ended the session).
    public struct ConnectionLost: Error {}

    /// Runs `work` on `connection` until it ends or the connection closes, whichever comes first. Needed because a
    /// query written to a connection whose channel has already closed is never answered by postgres-nio (the write
    /// fails with no one to tell); found with `pg_ctl stop -m immediate` under load, where requests hung for good
    /// and held graceful shutdown (issue 15, and the replica hanging after a failover in issue 19).
    static func whileOpen<T: Sendable>(_ connection: PostgresConnection, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let token = NIOLockedValueBox<UUID?>(nil)
        defer { token.withLockedValue { $0 }.map { ConnectionWatch.shared.stop($0, on: connection) } }
        return try await Abandonable.run(work) { giveUp in
            token.withLockedValue { $0 = ConnectionWatch.shared.watch(connection) { giveUp(ConnectionLost()) } }
        }
    }

    /// Serialization failures and deadlocks are safe to retry: the whole transaction rolled back.
    static func isTransient(_ error: any Error) -> Bool {
        guard let state = (error as? PSQLError)?.sqlState else { return false }
        return transientStates.contains(state)
    }

    /// `25006`: a write on a server in recovery (a standby, or a primary demoted by a failover).
    static func isReadOnlyServer(_ error: any Error) -> Bool {
        (error as? PSQLError)?.sqlState == "25006"
    }

    /// Serialization failure and deadlock: retried here, and "busy, try again" (`DatabaseFailure`) once retries run out.
    static let transientStates: Set<String> = ["40001", "40P01"]
}

extension PSQLError {
    /// The SQLSTATE of a server error, e.g. `23505` for a unique violation.
    public var sqlState: String? { serverInfo?[.sqlState] }
    public var constraintName: String? { serverInfo?[.constraintName] }
}
