import Foundation
import Logging
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
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    try await body(connection)
                }
            } catch let error as PostgresTransactionError {
                let underlying = error.closureError ?? error.commitError ?? error.beginError ?? error
                if attempt < 4, Self.isTransient(underlying) {
                    logger.debug("retrying transaction", metadata: ["attempt": "\(attempt)"])
                    continue
                }
                throw underlying
            }
        }
    }

    /// Serialization failures and deadlocks are safe to retry: the whole transaction rolled back.
    static func isTransient(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }
}

extension PSQLError {
    /// The SQLSTATE of a server error, e.g. `23505` for a unique violation.
    public var sqlState: String? { serverInfo?[.sqlState] }
    public var constraintName: String? { serverInfo?[.constraintName] }
}
