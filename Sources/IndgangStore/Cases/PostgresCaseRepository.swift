import Foundation
import IndgangCore
import Logging
import PostgresNIO

public struct PostgresCaseRepository: CaseRepository {
    let database: Database
    let cipher: CPRCipher
    /// Which local variant a case opened by a caseworker runs under: the one in force today for the municipality
    /// the citizen lives in (the latest `citizen.moved` known), as for a case a rule opens.
    let ruleSet: PathwayRuleSet
    /// Where the audit rows of reads go (shared with the other repositories, so concurrent reads share commits).
    let audits: AuditCommitter

    public init(database: Database, cipher: CPRCipher, ruleSet: PathwayRuleSet = PathwayRuleSet(bases: []), audits: AuditCommitter? = nil) {
        self.database = database
        self.cipher = cipher
        self.ruleSet = ruleSet
        self.audits = audits ?? AuditCommitter(database: database)
    }

    var logger: Logger { database.logger }

    public func open(_ command: OpenCaseCommand, access: AccessContext) async throws -> CaseRecord {
        let actorID = try access.requireActor()
        let index = cipher.blindIndex(command.cpr)
        var attempt = 0
        while true {
            attempt += 1
            do {
                switch try await openOrRefuse(command, index: index, actorID: actorID, access: access) {
                case .opened(let record): return record
                case .duplicate(let visibleCaseID):
                    throw IndgangError.duplicateCase("the citizen already has an open \(command.pathway) case", visibleCaseID: visibleCaseID)
                }
            } catch let error as PSQLError where error.sqlState == "23505" && error.constraintName == "cases_one_open_per_citizen_pathway" && attempt < 3 {
                // A concurrent request (an event, say) opened the case between our check and our insert: look again.
                continue
            }
        }
    }

    private enum OpenResult {
        case opened(CaseRecord)
        /// Refused; the existing case's id when the caller may see it.
        case duplicate(UUID?)
    }

    /// Opens the case, or records the refusal (audit row, and a contact request to a holder the caller may not
    /// see) in a transaction that commits, so that the refusal is audited although the request fails.
    private func openOrRefuse(_ command: OpenCaseCommand, index: Data, actorID: UUID, access: AccessContext) async throws -> OpenResult {
        try await database.transaction { connection in
            try await CitizenSQL.lock(index: index, on: connection, logger: logger)
            let citizenID = try await CitizenSQL.findOrCreate(cpr: command.cpr, cipher: cipher, on: connection, logger: logger)
            if let existing = try await openCase(citizenID: citizenID, pathway: command.pathway, visibleTo: actorID, on: connection) {
                var changes = ChangeSet()
                changes.audit(.caseDuplicateRefused, citizenID: citizenID, caseID: existing.visible ? existing.id : nil, access: access)
                if !existing.visible {
                    // The citizen keeps one entry: the holder makes contact, without the requester learning who it is
                    // (asked once while the holder has not read it; the citizen's lock serialises the asking).
                    let requester = access.principal.actorSlug ?? ""
                    let holders = try await connection.query(
                        """
                        SELECT c.responsible_actor_id FROM cases c WHERE c.id = \(existing.id)
                          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.case_id = c.id AND n.actor_id = c.responsible_actor_id
                                            AND n.kind = \(NotificationKind.caseContactRequested.rawValue) AND n.read_at IS NULL
                                            AND n.data ->> 'requesting_actor' = \(requester))
                        """,
                        logger: logger
                    )
                    for try await holder in holders.decode(UUID.self) {
                        changes.notify(.caseContactRequested, to: [holder], caseID: existing.id, ["requesting_actor": requester])
                    }
                }
                try await changes.flush(on: connection, logger: logger)
                return .duplicate(existing.visible ? existing.id : nil)
            }
            let caseID = UUID.v7()
            var variant: VariantReference?
            if ruleSet.hasVariants(command.pathway) {
                let now = Date()
                let history = try await CitizenSQL.histories(of: [citizenID], on: connection, logger: logger)[citizenID] ?? []
                let moves = history.filter { $0.type == .citizenMoved && $0.occurredAt <= now }.sorted(by: CitizenEvent.chronological)
                let municipality = moves.last?.attributes["municipality_code"]
                variant = ruleSet.governing(command.pathway, municipality: municipality, on: CalendarDate(now))?.variant
            }
            try await connection.query(
                """
                INSERT INTO cases (id, citizen_id, pathway, pathway_variant, pathway_version, responsible_actor_id, summary, external_ref)
                VALUES (\(caseID), \(citizenID), \(command.pathway), \(variant?.id), \(variant?.version), \(actorID), \(command.summary),
                        \(command.externalRef))
                """,
                logger: logger
            )
            var changes = ChangeSet()
            changes.addTimeline(caseID, .opened, actor: actorID, ["pathway": command.pathway])
            changes.audit(.caseCreate, citizenID: citizenID, caseID: caseID, access: access)
            try await changes.flush(on: connection, logger: logger)
            return .opened(try await CaseSQL.fetchCase(id: caseID, on: connection, logger: logger))
        }
    }

    /// How many citizens the database knows (whether a demo population is loaded yet).
    public func citizenCount() async throws -> Int {
        let rows = try await database.client.query("SELECT count(*)::int FROM citizens", logger: database.logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    public func get(id: UUID, access: AccessContext) async throws -> CaseRecord {
        let actorID = try access.requireActor()
        let rows = try await database.client.query(
            "\(unescaped: CaseSQL.selectCase) WHERE c.id = \(id) AND case_visible_to(c.id, \(actorID))", logger: logger)
        guard let record = try await CaseSQL.decodeCases(rows).first else { throw IndgangError.notFound("no such case") }
        try await audits.record([AuditRow(.caseRead, citizenID: record.citizenID, caseID: id, access: access)])
        return record
    }

    public func list(_ query: CaseListQuery, access: AccessContext) async throws -> Page<CaseRecord> {
        let actorID = try access.requireActor()
        let page = try await database.read { connection in
            var responsibleID: UUID?
            switch query.responsible {
            case .me: responsibleID = actorID
            case .actor(let slug):
                responsibleID = try await CaseSQL.actorID(slug: slug, on: connection, logger: logger)
                guard responsibleID != nil else { throw IndgangError.invalid(field: "responsible", "no actor with slug \(slug)") }
            case nil: break
            }
            let rows = try await connection.query(
                """
                \(unescaped: CaseSQL.selectCase)
                WHERE case_visible_to(c.id, \(actorID))
                  AND (\(query.status?.rawValue)::text IS NULL OR c.status = \(query.status?.rawValue))
                  AND (\(query.pathway)::text IS NULL OR c.pathway = \(query.pathway))
                  AND (\(responsibleID)::uuid IS NULL OR c.responsible_actor_id = \(responsibleID))
                  AND (\(query.cursor)::uuid IS NULL OR c.id < \(query.cursor))
                ORDER BY c.id DESC
                LIMIT \(query.limit + 1)
                """,
                logger: logger
            )
            return Page(fetched: try await CaseSQL.decodeCases(rows), limit: query.limit) { $0.id.uuidString }
        }
        try await audits.record(page.items.map { AuditRow(.caseList, citizenID: $0.citizenID, caseID: $0.id, access: access) })
        return page
    }

    public func updateSummary(id: UUID, summary: String, expectedVersion: Int?, access: AccessContext) async throws -> CaseRecord {
        let actorID = try access.requireActor()
        return try await database.transaction { connection in
            let locked = try await CaseSQL.lockCase(id: id, visibleTo: actorID, on: connection, logger: logger)
            if let expectedVersion, expectedVersion != locked.version {
                throw IndgangError.preconditionFailed("the case is at version \(locked.version), not \(expectedVersion)")
            }
            guard locked.state.status == .open else { throw IndgangError.conflict("the case is closed") }
            guard locked.state.responsible == actorID else { throw IndgangError.forbidden("only the responsible actor may edit the case") }
            try await connection.query("UPDATE cases SET summary = \(summary), version = version + 1 WHERE id = \(id)", logger: logger)
            var changes = ChangeSet()
            changes.addTimeline(id, .note, actor: actorID, ["change": "summary", "version": String(locked.version + 1)])
            changes.audit(.caseUpdate, citizenID: locked.citizenID, caseID: id, access: access)
            try await changes.flush(on: connection, logger: logger)
            return try await CaseSQL.fetchCase(id: id, on: connection, logger: logger)
        }
    }

    public func close(id: UUID, outcome: CloseOutcome, note: String?, access: AccessContext) async throws -> CaseRecord {
        let actorID = try access.requireActor()
        return try await database.transaction { connection in
            var locked = try await CaseSQL.lockCase(id: id, visibleTo: actorID, on: connection, logger: logger)
            let cancelled = try locked.state.close(by: actorID)
            if let cancelled {
                try await connection.query(
                    """
                    UPDATE handoffs SET status = 'cancelled', decided_at = now(), decided_by_key = \(access.principal.keyID),
                           decision_reason = 'case closed'
                    WHERE id = \(cancelled.id)
                    """,
                    logger: logger
                )
            }
            try await connection.query(
                """
                UPDATE cases SET status = 'closed', closed_at = now(), close_outcome = \(outcome.rawValue), version = version + 1
                WHERE id = \(id)
                """,
                logger: logger
            )
            var changes = ChangeSet()
            if let cancelled {
                changes.addTimeline(id, .handoffCancelled, actor: actorID, ["handoff_id": cancelled.id.lowercasedString, "reason": "case closed"])
            }
            changes.addTimeline(id, .closed, actor: actorID, ["outcome": outcome.rawValue, "note": note])
            if let cancelled {
                changes.notify(.handoffCancelled, to: [cancelled.to], caseID: id, handoffID: cancelled.id, ["reason": "case closed"])
            }
            changes.notify(
                .caseClosed, to: try await CaseSQL.formerlyResponsible(caseID: id, except: actorID, on: connection, logger: logger), caseID: id,
                ["outcome": outcome.rawValue])
            changes.audit(.caseClose, citizenID: locked.citizenID, caseID: id, access: access)
            try await changes.flush(on: connection, logger: logger)
            return try await CaseSQL.fetchCase(id: id, on: connection, logger: logger)
        }
    }

    public func timeline(caseID: UUID, cursor: Int64?, limit: Int, access: AccessContext) async throws -> Page<TimelineEntry> {
        let actorID = try access.requireActor()
        let (citizenID, page) = try await database.read { connection in
            let caseRows = try await connection.query(
                "SELECT citizen_id FROM cases c WHERE c.id = \(caseID) AND case_visible_to(c.id, \(actorID))", logger: logger)
            var citizenID: UUID?
            for try await id in caseRows.decode(UUID.self) { citizenID = id }
            guard let citizenID else { throw IndgangError.notFound("no such case") }
            let rows = try await connection.query(
                """
                SELECT t.id, t.at, t.kind, a.slug, t.data::text FROM case_timeline t LEFT JOIN actors a ON a.id = t.actor_id
                WHERE t.case_id = \(caseID) AND (\(cursor)::bigint IS NULL OR t.id > \(cursor))
                ORDER BY t.id LIMIT \(limit + 1)
                """,
                logger: logger
            )
            var entries: [TimelineEntry] = []
            for try await (sequence, at, kind, actor, data) in rows.decode((Int64, Date, String, String?, String).self) {
                entries.append(TimelineEntry(sequence: sequence, at: at, kind: kind, actor: actor, data: data))
            }
            return (citizenID, Page(fetched: entries, limit: limit) { String($0.sequence) })
        }
        try await audits.record([AuditRow(.caseTimeline, citizenID: citizenID, caseID: caseID, access: access)])
        return page
    }

    public func searchCitizen(cpr: CPR, access: AccessContext) async throws -> (citizenID: UUID, cases: [CaseRecord])? {
        let actorID = try access.requireActor()
        let index = cipher.blindIndex(cpr)
        let (citizenID, cases) = try await database.read { connection in
            let citizenID = try await CitizenSQL.find(index: index, on: connection, logger: logger)
            var cases: [CaseRecord] = []
            if let citizenID {
                let rows = try await connection.query(
                    "\(unescaped: CaseSQL.selectCase) WHERE c.citizen_id = \(citizenID) AND case_visible_to(c.id, \(actorID)) ORDER BY c.id DESC",
                    logger: logger)
                cases = try await CaseSQL.decodeCases(rows)
            }
            return (citizenID, cases)
        }
        // A citizen none of whose cases the caller sees is reported as not found: existence is personal data too.
        let found = citizenID != nil && !cases.isEmpty
        try await audits.record([AuditRow(found ? .citizenSearch : .citizenSearchMiss, citizenID: citizenID, caseID: nil, access: access)])
        guard found, let citizenID else { return nil }
        return (citizenID, cases)
    }

    // MARK: - Helpers

    private func openCase(citizenID: UUID, pathway: String, visibleTo actorID: UUID, on connection: PostgresConnection) async throws -> (
        id: UUID, visible: Bool
    )? {
        let rows = try await connection.query(
            "SELECT id, case_visible_to(id, \(actorID)) FROM cases WHERE citizen_id = \(citizenID) AND pathway = \(pathway) AND status = 'open'",
            logger: logger)
        for try await (id, visible) in rows.decode((UUID, Bool).self) { return (id, visible) }
        return nil
    }
}
