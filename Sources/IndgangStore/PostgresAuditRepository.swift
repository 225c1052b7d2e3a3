import Foundation
import IndgangCore
import PostgresNIO

public struct PostgresAuditRepository: AuditRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func entries(citizenID: UUID, cursor: Int64?, limit: Int) async throws -> Page<AuditEntry> {
        let rows = try await database.client.query(
            """
            SELECT l.id, l.at, l.key_id, a.slug, l.role, l.action, l.citizen_id, l.case_id, l.purpose, l.request_id
            FROM audit_log l LEFT JOIN actors a ON a.id = l.actor_id
            WHERE l.citizen_id = \(citizenID) AND (\(cursor)::bigint IS NULL OR l.id < \(cursor))
            ORDER BY l.id DESC LIMIT \(limit + 1)
            """,
            logger: database.logger
        )
        var entries: [AuditEntry] = []
        for try await (id, at, keyID, actor, role, action, citizen, caseID, purpose, requestID) in rows.decode(
            (Int64, Date, UUID?, String?, String, String, UUID?, UUID?, String, String?).self)
        {
            entries.append(
                AuditEntry(
                    sequence: id, at: at, keyID: keyID, actor: actor, role: role, action: action, citizenID: citizen, caseID: caseID,
                    purpose: purpose, requestID: requestID))
        }
        return Page(fetched: entries, limit: limit) { String($0.sequence) }
    }
}
