import Foundation
import PostgresNIO
import Testing

@testable import IndgangStore

/// The histogram columns' hand-written decoder against what PostgreSQL really sends, compared with PostgresNIO's own.
@Suite("Integer array columns")
struct IntArrayColumnTests {
    @Test("bigint[] and integer[] decode like PostgresNIO's [Int64], empty arrays too; NULL elements and other types are refused")
    func decodesWhatPostgresSends() async throws {
        let databaseURL = try await TestCluster.shared.freshDatabase()
        try await TestSQL.withClient(databaseURL: databaseURL) { client in
            let rows = try await client.query(
                "SELECT ARRAY[0, 1, -2, 9223372036854775807]::bigint[], ARRAY[]::bigint[], ARRAY[7, -2147483648]::int[], ARRAY[3, 4]::bigint[]",
                logger: TestCluster.logger)
            for try await (big, empty, small, reference) in rows.decode((IntArrayColumn, IntArrayColumn, IntArrayColumn, [Int64]).self) {
                #expect(big.values == [0, 1, -2, Int.max])
                #expect(empty.values == [])
                #expect(small.values == [7, -2_147_483_648])
                #expect(reference.map(Int.init) == [3, 4])
            }
            for refused in ["SELECT ARRAY[1, NULL]::bigint[]", "SELECT ARRAY['a']::text[]", "SELECT ARRAY[[1, 2], [3, 4]]::bigint[]"] {
                await #expect(throws: (any Error).self, "\(refused)") {
                    for try await _ in try await client.query(PostgresQuery(unsafeSQL: refused), logger: TestCluster.logger).decode(IntArrayColumn.self) {}
                }
            }
        }
    }
}
