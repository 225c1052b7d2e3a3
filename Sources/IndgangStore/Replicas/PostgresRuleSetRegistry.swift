import Foundation
import PostgresNIO

/// Which rule set each running replica decides by (the digest of its rule files), so that replicas that
/// disagree — a variant deployed to some machines only — are visible.
public struct PostgresRuleSetRegistry: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Records that `replica` runs `digest` now, and answers how many replicas seen within `recent` run each digest
    /// (this one included).
    public func announce(replica: String, digest: String, recent: Duration) async throws -> [String: Int] {
        try await database.transaction { connection in
            try await connection.query(
                """
                INSERT INTO rule_set_replicas (replica, digest) VALUES (\(replica), \(digest))
                ON CONFLICT (replica) DO UPDATE SET digest = EXCLUDED.digest, seen_at = now()
                """,
                logger: database.logger)
            try await connection.query("DELETE FROM rule_set_replicas WHERE seen_at < now() - interval '1 day'", logger: database.logger)
            let rows = try await connection.query(
                """
                SELECT digest, count(*)::int FROM rule_set_replicas
                WHERE seen_at > now() - make_interval(secs => \(Double(recent.components.seconds))) OR replica = \(replica)
                GROUP BY digest
                """,
                logger: database.logger)
            var counts: [String: Int] = [:]
            for try await (digest, count) in rows.decode((String, Int).self) { counts[digest] = count }
            return counts
        }
    }
}
