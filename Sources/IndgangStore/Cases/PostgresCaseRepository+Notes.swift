import Foundation
import IndgangCore
import PostgresNIO

/// Revealing the citizen behind a case, and caseworkers' notes (API.md, "Audit granularity, identifying the
/// citizen, notes").
extension PostgresCaseRepository {
    /// The CPR, shown on purpose to a caseworker who may see the case (the case itself never carries it).
    public func revealCitizen(caseID: UUID, access: AccessContext) async throws -> (citizenID: UUID, cpr: CPR) {
        let actorID = try access.requireActor()
        let rows = try await database.client.query(
            """
            SELECT c.citizen_id, z.cpr_sealed FROM cases c JOIN citizens z ON z.id = c.citizen_id
            WHERE c.id = \(caseID) AND case_visible_to(c.id, \(actorID))
            """,
            logger: logger)
        for try await (citizenID, sealed) in rows.decode((UUID, Data).self) {
            let cpr = try cipher.open(sealed)
            try await audits.record([AuditRow(.citizenReveal, citizenID: citizenID, caseID: caseID, access: access)])
            return (citizenID, cpr)
        }
        throw IndgangError.notFound("no such case")
    }

    /// A note on the timeline by the responsible actor. The text is personal data: it goes to the timeline
    /// only, never to logs, notifications or webhooks.
    public func addNote(caseID: UUID, text: String, access: AccessContext) async throws -> TimelineEntry {
        let actorID = try access.requireActor()
        return try await database.transaction { connection in
            let locked = try await CaseSQL.lockCase(id: caseID, visibleTo: actorID, on: connection, logger: logger)
            guard locked.state.responsible == actorID else { throw IndgangError.forbidden("only the responsible actor may add notes") }
            var changes = ChangeSet()
            changes.addTimeline(caseID, .note, actor: actorID, ["text": text])
            changes.audit(.caseNote, citizenID: locked.citizenID, caseID: caseID, access: access)
            try await changes.flush(on: connection, logger: logger)
            // The case row is locked until commit, so the newest note on it is the one just written.
            let rows = try await connection.query(
                """
                SELECT t.id, t.at, a.slug, t.data::text FROM case_timeline t LEFT JOIN actors a ON a.id = t.actor_id
                WHERE t.case_id = \(caseID) AND t.kind = \(TimelineKind.note.rawValue) ORDER BY t.id DESC LIMIT 1
                """,
                logger: logger)
            for try await (sequence, at, actor, data) in rows.decode((Int64, Date, String?, String).self) {
                return TimelineEntry(sequence: sequence, at: at, kind: TimelineKind.note.rawValue, actor: actor, data: data)
            }
            throw IndgangError.notFound("no such case")
        }
    }
}
