import Foundation
import IndgangStore
import Logging
import PostgresNIO

/// Direct SQL for assertions about what the database holds (not how the API answers).
enum TestSQL {
    static func rows(databaseURL: String, query: String) async throws -> [[String?]] {
        try await withClient(databaseURL: databaseURL) { client in
            // Every column is cast to text by the caller's query (e.g. `SELECT count(*)::text`).
            let rows = try await client.query(PostgresQuery(unsafeSQL: query), logger: TestCluster.logger)
            var result: [[String?]] = []
            for try await row in rows {
                result.append(try row.makeRandomAccess().map { try $0.decode(String?.self) })
            }
            return result
        }
    }

    /// A running connection pool on the test's database, for store-level checks.
    static func withClient<T: Sendable>(databaseURL: String, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: try DatabaseURL.configuration(from: databaseURL), backgroundLogger: TestCluster.logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// A store `Database` on the test's database, for calling repositories directly.
    static func withDatabase<T: Sendable>(_ databaseURL: String, _ body: @Sendable (Database) async throws -> T) async throws -> T {
        try await withClient(databaseURL: databaseURL) { try await body(Database(client: $0, logger: TestCluster.logger)) }
    }

    static func scalar(_ api: TestAPI, _ query: String) async throws -> String? {
        try await api.sql(query).first?.first ?? nil
    }
}
