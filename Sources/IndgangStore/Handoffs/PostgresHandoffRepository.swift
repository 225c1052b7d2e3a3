import Foundation
import IndgangCore
import Logging
import PostgresNIO

public struct PostgresHandoffRepository: HandoffRepository {
    let database: Database
    /// Default hours until a handoff is due, per pathway (from the rule files).
    let dueHours: [String: Int]
    /// The actor slug told about overdue handoffs, per pathway (from the rule files).
    let escalationActors: EscalationActors
    let audits: AuditCommitter

    public init(
        database: Database, dueHours: [String: Int] = [:], escalationActors: EscalationActors = EscalationActors(), audits: AuditCommitter? = nil
    ) {
        self.database = database
        self.dueHours = dueHours
        self.escalationActors = escalationActors
        self.audits = audits ?? AuditCommitter(database: database)
    }

    private var logger: Logger { database.logger }

    static let selectHandoff = """
        SELECT h.id, h.case_id, fa.slug, ta.slug, h.status, h.reason, h.requested_at, h.due_at, h.decided_at, h.decision_reason, c.pathway
        FROM handoffs h JOIN actors fa ON fa.id = h.from_actor_id JOIN actors ta ON ta.id = h.to_actor_id JOIN cases c ON c.id = h.case_id
        """

    public func request(caseID: UUID, toActor: String, reason: String, dueAt: Date?, access: AccessContext) async throws -> HandoffRecord {
        let actorID = try access.requireActor()
        return try await database.transaction { connection in
            var locked = try await CaseSQL.lockCase(id: caseID, visibleTo: actorID, on: connection, logger: logger)
            guard let receiverID = try await CaseSQL.actorID(slug: toActor, on: connection, logger: logger) else {
                throw IndgangError.invalid(field: "to_actor", "no actor with slug \(toActor)")
            }
            let handoffID = UUID.v7()
            try locked.state.requestHandoff(id: handoffID, by: actorID, to: receiverID)
            let due = dueAt ?? Date().addingTimeInterval(TimeInterval(dueHours[locked.pathway] ?? 24) * 3600)
            var changes = ChangeSet()
            changes.handoffs.append(.init(id: handoffID, caseID: caseID, from: actorID, to: receiverID, reason: reason, dueAt: due))
            changes.bumpVersion(caseID)
            changes.addTimeline(caseID, .handoffRequested, actor: actorID, ["handoff_id": handoffID.lowercasedString, "to_actor": toActor, "reason": reason])
            changes.notify(
                .handoffRequested, to: [receiverID], caseID: caseID, handoffID: handoffID, ["from_actor": access.principal.actorSlug ?? "", "to_actor": toActor])
            changes.audit(.handoffRequest, citizenID: locked.citizenID, caseID: caseID, access: access)
            try await changes.flush(on: connection, logger: logger)
            return try await fetch(id: handoffID, on: connection)
        }
    }

    public func decide(_ action: HandoffAction, handoffID: UUID, reason: String?, access: AccessContext) async throws -> HandoffRecord {
        let actorID = try access.requireActor()
        return try await database.transaction { connection in
            // Lock order is always case, then handoff: find the case without locking, lock it, then re-read.
            let parties = try await connection.query(
                "SELECT case_id, from_actor_id, to_actor_id FROM handoffs WHERE id = \(handoffID)", logger: logger)
            var found: (caseID: UUID, from: UUID, to: UUID)?
            for try await row in parties.decode((UUID, UUID, UUID).self) { found = row }
            // Only the two parties know a handoff exists.
            guard let found, found.from == actorID || found.to == actorID else { throw IndgangError.notFound("no such handoff") }
            let locked = try await connection.query(
                "SELECT citizen_id, status, responsible_actor_id FROM cases WHERE id = \(found.caseID) FOR NO KEY UPDATE", logger: logger)
            var caseRow: (citizenID: UUID, status: String, responsible: UUID)?
            for try await row in locked.decode((UUID, String, UUID).self) { caseRow = row }
            guard let caseRow else { throw IndgangError.notFound("no such handoff") }
            let current = try await handoffState(id: handoffID, on: connection)
            var state = CaseState(
                status: try CaseStatus(decoding: caseRow.status), responsible: caseRow.responsible,
                openHandoff: current.status.isOpen ? current : nil)
            guard try state.decide(action, on: current, by: actorID) else {
                // An idempotent repeat changes nothing, but shows the handoff again: it is a read of personal data.
                try await AuditLog.record(.handoff(action), citizenID: caseRow.citizenID, caseID: found.caseID, access: access, on: connection, logger: logger)
                return try await fetch(id: handoffID, on: connection)
            }
            try await connection.query(
                """
                UPDATE handoffs SET status = \(action.resultingStatus.rawValue), decided_at = now(),
                       decided_by_key = \(access.principal.keyID), decision_reason = \(reason)
                WHERE id = \(handoffID)
                """,
                logger: logger
            )
            try await connection.query(
                "UPDATE cases SET responsible_actor_id = \(state.responsible), version = version + 1 WHERE id = \(found.caseID)", logger: logger)
            let record = try await fetch(id: handoffID, on: connection)
            var changes = ChangeSet()
            changes.addTimeline(found.caseID, action.timelineKind, actor: actorID, ["handoff_id": handoffID.lowercasedString, "reason": reason])
            changes.notify(
                action.notificationKind, to: [action == .cancel ? found.to : found.from], caseID: found.caseID, handoffID: handoffID,
                ["from_actor": record.fromActor, "to_actor": record.toActor])
            changes.audit(.handoff(action), citizenID: caseRow.citizenID, caseID: found.caseID, access: access)
            try await changes.flush(on: connection, logger: logger)
            logger.info(
                "handoff decided",
                metadata: ["handoff_id": "\(handoffID)", "case_id": "\(found.caseID)", "status": "\(action.resultingStatus.rawValue)"])
            return record
        }
    }

    public func list(_ query: HandoffListQuery, access: AccessContext) async throws -> Page<HandoffRecord> {
        try await lists([query], access: access)[0]
    }

    /// Several lists in one transaction with one audit statement (each case shown is audited once): the console's
    /// inbox shows three, and three transactions would be three durable commits for one page.
    public func lists(_ queries: [HandoffListQuery], access: AccessContext) async throws -> [Page<HandoffRecord>] {
        let actorID = try access.requireActor()
        let pages = try await database.read { connection in
            var pages: [Page<HandoffRecord>] = []
            for query in queries { pages.append(try await page(query, of: actorID, on: connection)) }
            return pages
        }
        try await audits.record(.handoffList, cases: Array(Set(pages.flatMap { $0.items.map(\.caseID) })), access: access)
        return pages
    }

    private func page(_ query: HandoffListQuery, of actorID: UUID, on connection: PostgresConnection) async throws -> Page<HandoffRecord> {
        let incoming = query.direction != .outgoing
        let outgoing = query.direction != .incoming
        let rows = try await connection.query(
            """
            \(unescaped: Self.selectHandoff)
            WHERE ((\(incoming) AND h.to_actor_id = \(actorID)) OR (\(outgoing) AND h.from_actor_id = \(actorID)))
              AND (\(query.status?.rawValue)::text IS NULL OR h.status = \(query.status?.rawValue))
              AND (NOT \(query.openOnly) OR h.status IN ('pending', 'overdue'))
              AND (\(query.cursor)::uuid IS NULL OR h.id < \(query.cursor))
            ORDER BY \(unescaped: query.dueFirst ? "h.due_at, h.id" : "h.id DESC") LIMIT \(query.limit + 1) OFFSET \(query.offset)
            """,
            logger: logger
        )
        return Page(fetched: try await decode(rows), limit: query.limit) { $0.id.uuidString }
    }

    public func openCounts(upTo cap: Int, access: AccessContext) async throws -> OpenHandoffCounts {
        let actorID = try access.requireActor()
        // Index-only counts over the open handoffs by party and due time (an overdue one is past its due time), each
        // stopping after `cap + 1`: an exact count reads every open handoff, 3.7 ms for a municipality with 11,577
        // open (most of the inbox page's database time at a million citizens), 0.7 ms when capped at 1,000.
        let limit = cap + 1
        let rows = try await database.client.query(
            """
            SELECT (SELECT count(*) FROM (SELECT FROM handoffs WHERE to_actor_id = \(actorID) AND status IN ('pending', 'overdue') LIMIT \(limit)) AS open)::int,
                   (SELECT count(*) FROM (SELECT FROM handoffs WHERE to_actor_id = \(actorID) AND status IN ('pending', 'overdue') AND due_at <= now() LIMIT \(limit)) AS late)::int,
                   (SELECT count(*) FROM (SELECT FROM handoffs WHERE from_actor_id = \(actorID) AND status IN ('pending', 'overdue') LIMIT \(limit)) AS sent)::int
            """,
            logger: logger)
        for try await (incoming, overdue, outgoing) in rows.decode((Int, Int, Int).self) {
            return OpenHandoffCounts(incoming: incoming, incomingOverdue: overdue, outgoing: outgoing)
        }
        return OpenHandoffCounts(incoming: 0, incomingOverdue: 0, outgoing: 0)
    }

    public func markOverdue(limit: Int) async throws -> Int {
        try await database.transaction { connection in
            // SKIP LOCKED: a handoff (or its case) that another sweeper or a command holds is left for the next
            // sweep, so replicas never wait on each other and never mark one handoff twice.
            let rows = try await connection.query(
                """
                WITH due AS (
                    SELECT h.id FROM handoffs h JOIN cases c ON c.id = h.case_id
                    WHERE h.status = 'pending' AND h.due_at <= now()
                    ORDER BY h.due_at LIMIT \(limit)
                    FOR NO KEY UPDATE OF h, c SKIP LOCKED)
                UPDATE handoffs h SET status = 'overdue', overdue_at = now()
                FROM due, cases c WHERE h.id = due.id AND c.id = h.case_id
                RETURNING h.id, h.case_id, h.from_actor_id, h.to_actor_id, h.due_at, c.pathway, c.pathway_variant, c.pathway_version
                """,
                logger: logger
            )
            var marked: [(UUID, UUID, UUID, UUID, Date, String, VariantReference?)] = []
            for try await (id, caseID, from, to, dueAt, pathway, variant, version) in rows.decode((UUID, UUID, UUID, UUID, Date, String, String?, Int?).self) {
                marked.append((id, caseID, from, to, dueAt, pathway, variant.flatMap { id in version.map { VariantReference(id: id, version: $0) } }))
            }
            guard !marked.isEmpty else { return 0 }
            // Timeline entries and notifications for the whole sweep go in a few set-based statements, so a
            // backlog of thousands (after an outage, say) is worked off in seconds, not one round trip each.
            var writes = ChangeSet()
            var escalationIDs: [String: UUID?] = [:]
            for (handoffID, caseID, from, to, dueAt, pathway, variant) in marked {
                let handoff = handoffID.lowercasedString
                writes.addTimeline(caseID, .handoffOverdue, ["handoff_id": handoff, "due_at": RFC3339.format(dueAt)])
                var escalationActor: UUID?
                if let slug = escalationActors.slug(pathway: pathway, variant: variant) {
                    if escalationIDs[slug] == nil {
                        let found = try await CaseSQL.actorID(slug: slug, on: connection, logger: logger)
                        if found == nil { logger.warning("escalation actor is not registered", metadata: ["pathway": "\(pathway)", "actor_slug": "\(slug)"]) }
                        escalationIDs[slug] = found
                    }
                    escalationActor = escalationIDs[slug] ?? nil
                    if escalationActor != nil {
                        writes.addTimeline(caseID, .escalated, ["reason": "handoff overdue", "handoff_id": handoff, "to_actor": slug])
                    }
                }
                writes.notify(.handoffOverdue, to: [from, to, escalationActor], caseID: caseID, handoffID: handoffID, ["due_at": RFC3339.format(dueAt)])
            }
            try await writes.flush(on: connection, logger: logger)
            logger.info("handoffs overdue", metadata: ["count": "\(marked.count)"])
            return marked.count
        }
    }

    private func handoffState(id: UUID, on connection: PostgresConnection) async throws -> HandoffState {
        let rows = try await connection.query("SELECT from_actor_id, to_actor_id, status FROM handoffs WHERE id = \(id)", logger: logger)
        for try await (from, to, status) in rows.decode((UUID, UUID, String).self) {
            return HandoffState(id: id, from: from, to: to, status: try HandoffStatus(decoding: status))
        }
        throw IndgangError.notFound("no such handoff")
    }

    private func fetch(id: UUID, on connection: PostgresConnection) async throws -> HandoffRecord {
        let rows = try await connection.query("\(unescaped: Self.selectHandoff) WHERE h.id = \(id)", logger: logger)
        guard let record = try await decode(rows).first else { throw IndgangError.notFound("no such handoff") }
        return record
    }

    private func decode(_ rows: PostgresRowSequence) async throws -> [HandoffRecord] {
        var records: [HandoffRecord] = []
        for try await (id, caseID, from, to, status, reason, requestedAt, dueAt, decidedAt, decisionReason, pathway) in rows.decode(
            (UUID, UUID, String, String, String, String, Date, Date, Date?, String?, String).self)
        {
            var record = HandoffRecord(
                id: id, caseID: caseID, fromActor: from, toActor: to, status: try HandoffStatus(decoding: status),
                reason: reason, requestedAt: requestedAt, dueAt: dueAt, decidedAt: decidedAt, decisionReason: decisionReason)
            record.pathway = pathway
            records.append(record)
        }
        return records
    }
}
