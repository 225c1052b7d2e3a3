import Foundation
import PostgresNIO

/// The audit log's monthly partitions (migration 0024): creates the months ahead, so an audit row always has a
/// partition to go to, and — when a retention period is set — drops whole months once they are past it. The SQL
/// functions refuse to drop anything younger than six months, whatever the caller asks.
public struct AuditPartitions: Sendable {
    public let database: Database
    /// Months created ahead of the current one: a replica that does not run for this long still leaves room.
    public static let monthsAhead = 3
    /// The least retention the SQL side accepts (personal-data access logs are kept at least six months).
    public static let minimumRetentionMonths = 6

    public init(database: Database) {
        self.database = database
    }

    /// Creates the missing months ahead and drops the months that ended `retentionMonths` or more whole months
    /// before the current one; answers how many were created and the names of those dropped.
    public func maintain(retentionMonths: Int?) async throws -> (created: Int, dropped: [String]) {
        try await database.transaction { connection in
            var created = 0
            for try await count in try await connection.query("SELECT audit_log_add_partitions(\(Self.monthsAhead)::integer)", logger: database.logger)
                .decode(Int.self)
            {
                created = count
            }
            var dropped: [String] = []
            if let retentionMonths {
                let months = max(retentionMonths, Self.minimumRetentionMonths)
                let rows = try await connection.query(
                    """
                    SELECT audit_log_drop_partitions(
                        (date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => \(months)::integer)) AT TIME ZONE 'UTC')
                    """, logger: database.logger)
                for try await name in rows.decode(String.self) { dropped.append(name) }
            }
            return (created, dropped)
        }
    }
}
