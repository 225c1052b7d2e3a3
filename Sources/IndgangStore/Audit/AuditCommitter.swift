import Foundation
import IndgangCore
import PostgresNIO

/// The audit rows of reads (issue 20). A read is answered only after its audit row is durable, as before; but the
/// read's own query runs outside any transaction (one round trip), and the audit rows of concurrent reads share one
/// statement and one commit flush (`GroupCommit`): under load, a case read costs its SELECT plus a small share of
/// an INSERT, instead of BEGIN, SELECT, INSERT and COMMIT of its own with a WAL flush each.
public final class AuditCommitter: Sendable {
    private let database: Database
    private let group = GroupCommit<[AuditRow], Void>(maximumInFlight: 2, maximumBatch: 256)
    private static let noID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    public init(database: Database) {
        self.database = database
    }

    /// One row per case `action` showed, about the case's citizen.
    func record(_ action: AuditAction, cases: [UUID], access: AccessContext) async throws {
        try await record(cases.map { AuditRow(action, citizenID: nil, caseID: $0, access: access) })
    }

    /// Returns once `rows` are committed; throws if they could not be (the read must then fail too).
    func record(_ rows: [AuditRow]) async throws {
        guard !rows.isEmpty else { return }
        try await group.submit(rows) { [database] groups in
            do {
                try await Self.insert(groups.flatMap { $0 }, into: database)
                return groups.map { _ in .success(()) }
            } catch where groups.count > 1 && DatabaseFailure(error) == nil {
                // A row the database refused fails its own read only, never its neighbours': each on its own.
                var results: [Result<Void, any Error>] = []
                for rows in groups {
                    do { results.append(.success(try await Self.insert(rows, into: database))) } catch { results.append(.failure(error)) }
                }
                return results
            } catch {
                return groups.map { _ in .failure(error) }
            }
        }.get()
    }

    private static func insert(_ rows: [AuditRow], into database: Database) async throws {
        _ = try await database.transaction { connection in
            try await connection.query(
                """
                INSERT INTO audit_log (key_id, actor_id, role, action, citizen_id, case_id, purpose, request_id, details)
                SELECT NULLIF(key_id, \(noID)), NULLIF(actor_id, \(noID)), role, action,
                       coalesce(NULLIF(citizen_id, \(noID)), (SELECT c.citizen_id FROM cases c WHERE c.id = t.case_id)),
                       NULLIF(case_id, \(noID)), purpose, NULLIF(request_id, ''), NULLIF(details, '')::jsonb
                FROM unnest(\(rows.map { $0.key ?? noID })::uuid[], \(rows.map { $0.actor ?? noID })::uuid[], \(rows.map(\.role))::text[],
                            \(rows.map(\.action.rawValue))::text[], \(rows.map { $0.citizen ?? noID })::uuid[],
                            \(rows.map { $0.caseID ?? noID })::uuid[], \(rows.map(\.purpose))::text[], \(rows.map { $0.requestID ?? "" })::text[],
                            \(rows.map { $0.details ?? "" })::text[])
                     AS t(key_id, actor_id, role, action, citizen_id, case_id, purpose, request_id, details)
                """,
                logger: database.logger)
        }
    }
}
