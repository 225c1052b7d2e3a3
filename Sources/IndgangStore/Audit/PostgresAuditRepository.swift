import Foundation
import IndgangCore
import PostgresNIO

public struct PostgresAuditRepository: AuditRepository {
    let database: Database
    let cipher: CPRCipher
    let audits: AuditCommitter

    public init(database: Database, cipher: CPRCipher, audits: AuditCommitter? = nil) {
        self.database = database
        self.cipher = cipher
        self.audits = audits ?? AuditCommitter(database: database)
    }

    public func entries(_ subject: AuditSubject, cursor: Int64?, limit: Int) async throws -> Page<AuditEntry> {
        try await database.transaction { connection in try await entries(subject, cursor: cursor, limit: limit, on: connection) }
    }

    public func record(_ action: AuditAction, details: String, access: AccessContext) async throws {
        try await audits.record([AuditRow(action, citizenID: nil, caseID: nil, details: details, access: access)])
    }

    public func search(cpr: CPR, cursor: Int64?, limit: Int, access: AccessContext) async throws -> (citizenID: UUID, page: Page<AuditEntry>)? {
        let citizenID = try await database.read { connection in
            try await CitizenSQL.find(index: cipher.blindIndex(cpr), on: connection, logger: database.logger)
        }
        // Recorded before the entries are read, so the search itself is the newest entry it shows.
        try await audits.record([AuditRow(.auditSearch, citizenID: citizenID, caseID: nil, access: access)])
        guard let citizenID else { return nil }
        return (citizenID, try await entries(.citizen(citizenID), cursor: cursor, limit: limit))
    }

    private func entries(_ subject: AuditSubject, cursor: Int64?, limit: Int, on connection: PostgresConnection) async throws -> Page<AuditEntry> {
        var citizenID: UUID?
        var actorSlug: String?
        switch subject {
        case .citizen(let id): citizenID = id
        case .actor(let slug): actorSlug = slug
        }
        let rows = try await connection.query(
            """
            SELECT l.id, l.at, l.key_id, a.slug, l.role, l.action, l.citizen_id, l.case_id, l.purpose, l.request_id, l.details::text
            FROM audit_log l LEFT JOIN actors a ON a.id = l.actor_id
            WHERE (\(citizenID)::uuid IS NULL OR l.citizen_id = \(citizenID))
              AND (\(actorSlug)::text IS NULL OR l.actor_id = (SELECT id FROM actors WHERE slug = \(actorSlug)))
              AND (\(cursor)::bigint IS NULL OR l.id < \(cursor))
            ORDER BY l.id DESC LIMIT \(limit + 1)
            """,
            logger: database.logger
        )
        var entries: [AuditEntry] = []
        for try await (id, at, keyID, actor, role, action, citizen, caseID, purpose, requestID, details) in rows.decode(
            (Int64, Date, UUID?, String?, String, String, UUID?, UUID?, String, String?, String?).self)
        {
            entries.append(
                AuditEntry(
                    sequence: id, at: at, keyID: keyID, actor: actor, role: role, action: action, citizenID: citizen, caseID: caseID,
                    purpose: purpose, requestID: requestID, details: details))
        }
        return Page(fetched: entries, limit: limit) { String($0.sequence) }
    }
}
