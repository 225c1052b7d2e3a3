import Foundation
import IndgangCore
import PostgresNIO

/// Writes audit rows on the caller's connection, so they commit or roll back with the command they describe.
enum AuditLog {
    static func record(
        _ action: AuditAction, citizenID: UUID?, caseID: UUID?, details: String? = nil, access: AccessContext, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let principal = access.principal
        try await connection.query(
            """
            INSERT INTO audit_log (key_id, actor_id, role, action, citizen_id, case_id, purpose, request_id, details)
            VALUES (\(principal.keyID), \(principal.actorID), \(principal.role.rawValue), \(action.rawValue), \(citizenID), \(caseID),
                    \(access.purpose), \(access.requestID), \(details)::jsonb)
            """,
            logger: logger
        )
    }

    /// One row per case, in one statement (list reads).
    static func recordCases(
        _ action: AuditAction, caseIDs: [UUID], access: AccessContext, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !caseIDs.isEmpty else { return }
        let principal = access.principal
        try await connection.query(
            """
            INSERT INTO audit_log (key_id, actor_id, role, action, citizen_id, case_id, purpose, request_id)
            SELECT \(principal.keyID), \(principal.actorID), \(principal.role.rawValue), \(action.rawValue), c.citizen_id, c.id,
                   \(access.purpose), \(access.requestID)
            FROM cases c WHERE c.id = ANY(\(caseIDs))
            """,
            logger: logger
        )
    }
}
