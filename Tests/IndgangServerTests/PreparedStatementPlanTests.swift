import Foundation
import PostgresNIO
import Testing

@testable import IndgangStore

/// A prepared statement settles on a generic plan after five runs, planned with parameters instead of values: an
/// index whose expression holds a constant the statement passes as a parameter cannot serve it, and every probe
/// becomes a sequential scan (it did: the idempotency look-up, 790 µs per event instead of 107). Each ingest statement's
/// generic plan is checked here with sequential scans priced out, so only a plan that has no index to use shows one,
/// and the look-up's index condition is checked to bind all of the index's columns.
@Suite("Prepared statements' generic plans")
struct PreparedStatementPlanTests {
    static let statements: [(name: String, sql: String)] = [
        ("look_up_known", IngestSession.LookUpKnown.sql),
        ("insert_citizens_and_cases", ChangeSet.InsertCitizensAndCases.sql),
        ("insert_handoffs", ChangeSet.InsertHandoffs.sql),
        ("insert_records", ChangeSet.InsertRecords.sql),
    ]

    @Test("every table the ingest statements read is probed by an index, also under a generic plan", arguments: statements)
    func genericPlanUsesIndexes(statement: (name: String, sql: String)) async throws {
        let databaseURL = try await TestCluster.shared.freshDatabase()
        let plan = try await TestSQL.withClient(databaseURL: databaseURL) { client in
            try await client.withConnection { connection in
                try await connection.query("SET plan_cache_mode = force_generic_plan", logger: TestCluster.logger)
                try await connection.query("SET enable_seqscan = off", logger: TestCluster.logger)
                try await connection.query(PostgresQuery(unsafeSQL: "PREPARE checked AS \(statement.sql)"), logger: TestCluster.logger)
                let parameters = Self.parameterCount(statement.sql)
                let explain = "EXPLAIN EXECUTE checked(\(Array(repeating: "NULL", count: parameters).joined(separator: ", ")))"
                var lines: [String] = []
                for try await line in try await connection.query(PostgresQuery(unsafeSQL: explain), logger: TestCluster.logger).decode(String.self) {
                    lines.append(line)
                }
                return lines.joined(separator: "\n")
            }
        }
        #expect(!plan.isEmpty)
        #expect(!plan.contains("Seq Scan"), "\(statement.name):\n\(plan)")
        if statement.name == "look_up_known" {
            // All three of the index's columns bound: with a parameter in place of the nil UUID, the plan scanned the
            // whole index on its last two columns and filtered on the first.
            #expect(plan.contains("Index Cond: ((COALESCE(posting_actor_id, '00000000-0000-0000-0000-000000000000'::uuid) = k.actor)"), "\(plan)")
        }
    }

    /// The highest `$n` in the text.
    static func parameterCount(_ sql: String) -> Int {
        var highest = 0
        var rest = Substring(sql)
        while let dollar = rest.firstIndex(of: "$") {
            let digits = rest[rest.index(after: dollar)...].prefix { $0.isNumber }
            highest = max(highest, Int(digits) ?? 0)
            rest = rest[rest.index(after: dollar)...]
        }
        return highest
    }
}
