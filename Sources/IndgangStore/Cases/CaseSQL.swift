import Foundation
import IndgangCore
import PostgresNIO

/// SQL shared by the case and handoff repositories: reading case records, row locks and visibility.
enum CaseSQL {
    /// A case row with its responsible actor's slug and its open handoff, if any.
    static let selectCase = """
        SELECT c.id, c.citizen_id, c.pathway, c.status, ra.slug, c.summary, c.external_ref, c.flags, c.opened_at,
               c.closed_at, c.close_outcome, c.version,
               h.id, fa.slug, ta.slug, h.status, h.reason, h.requested_at, h.due_at, c.pathway_variant, c.pathway_version
        FROM cases c
        JOIN actors ra ON ra.id = c.responsible_actor_id
        LEFT JOIN handoffs h ON h.case_id = c.id AND h.status IN ('pending', 'overdue')
        LEFT JOIN actors fa ON fa.id = h.from_actor_id
        LEFT JOIN actors ta ON ta.id = h.to_actor_id
        """

    static func decodeCases(_ rows: PostgresRowSequence) async throws -> [CaseRecord] {
        var cases: [CaseRecord] = []
        for try await row in rows {
            let (id, citizenID, pathway, status, responsible, summary, externalRef, flags, openedAt, closedAt, outcome, version) =
                try row.decode((UUID, UUID, String, String, String, String, String?, [String], Date, Date?, String?, Int).self)
            let cells = row.makeRandomAccess()
            var pending: HandoffRecord?
            if let handoffID = try cells[12].decode(UUID?.self) {
                pending = HandoffRecord(
                    id: handoffID, caseID: id, fromActor: try cells[13].decode(String.self), toActor: try cells[14].decode(String.self),
                    status: try HandoffStatus(decoding: try cells[15].decode(String.self)),
                    reason: try cells[16].decode(String.self), requestedAt: try cells[17].decode(Date.self),
                    dueAt: try cells[18].decode(Date.self), decidedAt: nil, decisionReason: nil
                )
            }
            var variant: VariantReference?
            if let variantID = try cells[19].decode(String?.self), let variantVersion = try cells[20].decode(Int?.self) {
                variant = VariantReference(id: variantID, version: variantVersion)
            }
            cases.append(
                CaseRecord(
                    id: id, citizenID: citizenID, pathway: pathway, variant: variant, status: try CaseStatus(decoding: status),
                    responsibleActor: responsible, pendingHandoff: pending, openedAt: openedAt, closedAt: closedAt,
                    closeOutcome: try outcome.map { try CloseOutcome(decoding: $0) }, summary: summary, externalRef: externalRef,
                    version: version, flags: flags
                ))
        }
        return cases
    }

    static func fetchCase(id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> CaseRecord {
        let rows = try await connection.query("\(unescaped: selectCase) WHERE c.id = \(id)", logger: logger)
        guard let record = try await decodeCases(rows).first else { throw IndgangError.notFound("no such case") }
        return record
    }

    /// The case as the warm-handoff rules see it, locked (`FOR NO KEY UPDATE`, which lets foreign-key checks through) until the transaction ends. Every
    /// command on a case takes this lock first, so commands on one case run one at a time.
    struct LockedCase {
        let id: UUID
        let citizenID: UUID
        let pathway: String
        let version: Int
        var state: CaseState
    }

    static func lockCase(id: UUID, visibleTo actorID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> LockedCase {
        let rows = try await connection.query(
            """
            SELECT c.citizen_id, c.pathway, c.status, c.responsible_actor_id, c.version, case_visible_to(c.id, \(actorID))
            FROM cases c WHERE c.id = \(id) FOR NO KEY UPDATE
            """,
            logger: logger
        )
        var found: LockedCase?
        for try await (citizenID, pathway, status, responsible, version, isVisible) in rows.decode((UUID, String, String, UUID, Int, Bool).self) {
            guard isVisible else { break }
            found = LockedCase(
                id: id, citizenID: citizenID, pathway: pathway, version: version,
                state: CaseState(status: try CaseStatus(decoding: status), responsible: responsible))
        }
        guard var locked = found else { throw IndgangError.notFound("no such case") }
        let handoffs = try await connection.query(
            "SELECT id, from_actor_id, to_actor_id, status FROM handoffs WHERE case_id = \(id) AND status IN ('pending', 'overdue')",
            logger: logger
        )
        for try await (handoffID, from, to, status) in handoffs.decode((UUID, UUID, UUID, String).self) {
            locked.state.openHandoff = HandoffState(id: handoffID, from: from, to: to, status: try HandoffStatus(decoding: status))
        }
        return locked
    }

    static func actorID(slug: String, on connection: PostgresConnection, logger: Logger) async throws -> UUID? {
        let rows = try await connection.query("SELECT id FROM actors WHERE slug = \(slug)", logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        return nil
    }

    /// Actors that held responsibility for the case, other than `actor`: who is told that it closed.
    static func formerlyResponsible(caseID: UUID, except actor: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [UUID?] {
        let rows = try await connection.query(
            "SELECT DISTINCT actor_id FROM case_responsibility WHERE case_id = \(caseID) AND actor_id <> \(actor)", logger: logger)
        var actors: [UUID?] = []
        for try await id in rows.decode(UUID.self) { actors.append(id) }
        return actors
    }
}
