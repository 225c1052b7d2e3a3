import Foundation
import IndgangStore
import PostgresNIO
import Testing

/// The audit log by month (migration 0024, issue 19): the maintenance creates the months ahead, retention drops
/// whole months past it and never one younger than six months, and the log stays append-only partition by partition.
@Suite("Audit log partitions")
struct AuditPartitionTests {
    @Test("months ahead are created; retention drops whole months past it, keeps the rest, and refuses anything under six months")
    func maintenance() async throws {
        let databaseURL = try await TestCluster.shared.freshDatabase()
        @Sendable func scalar(_ query: String) async throws -> String? { try await TestSQL.rows(databaseURL: databaseURL, query: query).first?.first ?? nil }
        // As if the log had been partitioned in January 2020: the rows before then in the first partition.
        for statement in [
            "ALTER TABLE audit_log DETACH PARTITION audit_log_before_partitioning",
            """
            DO $$ DECLARE part text; BEGIN
                FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_log'::regclass
                LOOP EXECUTE format('DROP TABLE %I', part); END LOOP;
            END $$
            """,
            "ALTER TABLE audit_log ATTACH PARTITION audit_log_before_partitioning FOR VALUES FROM (MINVALUE) TO ('2020-01-01 00:00:00+00')",
        ] {
            _ = try await TestSQL.rows(databaseURL: databaseURL, query: statement)
        }
        try await TestSQL.withDatabase(databaseURL) { database in
            let partitions = AuditPartitions(database: database)
            let first = try await partitions.maintain(retentionMonths: nil)
            let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
            let monthsSince2020 = (now.year! - 2020) * 12 + now.month! - 1
            #expect(first.created == monthsSince2020 + 1 + AuditPartitions.monthsAhead && first.dropped.isEmpty)
            #expect(try await partitions.maintain(retentionMonths: nil).created == 0, "a second run has nothing to do")

            _ = try await TestSQL.rows(
                databaseURL: databaseURL,
                query: """
                    INSERT INTO audit_log (at, role, action, purpose) VALUES
                        ('2019-12-31 23:00:00+00', 'admin', 'old', 'p'), ('2020-03-15 12:00:00+00', 'admin', 'old', 'p'),
                        ('2021-06-01 00:00:00+00', 'admin', 'old', 'p'), (now(), 'admin', 'new', 'p'), (now() - interval '4 months', 'admin', 'kept', 'p')
                    """)
            #expect(try await scalar("SELECT tableoid::regclass::text FROM audit_log WHERE at = '2020-03-15 12:00:00+00'") == "audit_log_2020_03")

            let retention = try await partitions.maintain(retentionMonths: 24)
            #expect(retention.dropped.first == "audit_log_before_partitioning" && retention.dropped.contains("audit_log_2021_06"))
            #expect(retention.dropped.count == 1 + monthsSince2020 - 24, "\(retention.dropped)")
            #expect(try await scalar("SELECT string_agg(action, ',' ORDER BY at) FROM audit_log") == "kept,new")

            // Retention shorter than six months is raised to six by the store, and refused outright by the database.
            let short = try await partitions.maintain(retentionMonths: 1)
            #expect(!short.dropped.contains { $0.hasSuffix(String(format: "_%04d_%02d", now.year!, now.month!)) })
            #expect(try await scalar("SELECT count(*)::text FROM audit_log WHERE action = 'kept'") == "1")
            await #expect(throws: PSQLError.self) {
                _ = try await database.client.query("SELECT audit_log_drop_partitions(now() - interval '1 month')", logger: database.logger).collect()
            }
        }
        // Append-only in every partition: no update, no delete, no truncate of the log or of one month.
        for statement in [
            "UPDATE audit_log SET purpose = 'x'", "DELETE FROM audit_log",
            "TRUNCATE audit_log", "TRUNCATE audit_log_\(try #require(try await scalar("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')")))",
        ] {
            await #expect(throws: (any Error).self, "\(statement)") { _ = try await TestSQL.rows(databaseURL: databaseURL, query: statement) }
        }
        #expect(try await scalar("SELECT count(*)::text FROM audit_log") == "2")
    }
}
