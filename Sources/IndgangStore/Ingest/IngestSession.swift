import Foundation
import IndgangCore
import Logging
import PostgresNIO

/// One ingest transaction for one or many events: takes the citizens' advisory locks (in key order, so two
/// sessions never deadlock), reads what exists (stored events, citizens, their histories, cases and handoffs)
/// in a few set-based queries, runs the pure rules engine per event against that state in memory, and writes
/// everything with `ChangeSet.flush`. Events of one citizen in one session are applied in posting order,
/// each seeing the ones before it.
struct IngestSession {
    struct Pending: Sendable {
        let event: IncomingEvent
        let digest: Data
        let index: Data
        let access: AccessContext
    }

    enum Outcome: Sendable {
        case ingested(IngestResult)
        case replayed(IngestResult)
        case rejected(IndgangError)
    }

    let connection: PostgresConnection
    let logger: Logger
    let cipher: CPRCipher
    let engine: PathwayEngine
    let escalationActors: EscalationActors
    let actors: ActorDirectory

    func run(_ items: [Pending]) async throws -> [Outcome] {
        let lockKeys = Set(items.map { CitizenSQL.lockKey(index: $0.index) }).sorted()
        try await connection.query(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT k FROM unnest(\(lockKeys)::bigint[]) AS k ORDER BY k) AS ordered", logger: logger)

        var stored: [EventKey: (digest: Data, result: IngestResult)] = [:]
        var citizenIDs: [Data: UUID] = [:]
        let rows = try await connection.execute(LookUpKnown(items), logger: logger)
        for try await (kind, actor, source, externalID, index, digest, result, citizenID) in rows {
            if kind == "event", let actor, let source, let externalID, let digest, let result,
                let decoded = try? JSONDecoder().decode(IngestResult.self, from: Data(result.utf8))
            {
                stored[EventKey(actor: actor, source: source, externalID: externalID)] = (digest, decoded)
            } else if let index, let citizenID {
                citizenIDs[index] = citizenID
            }
        }

        var (citizens, logged) = try await loadCitizens(Array(Set(citizenIDs.values)))
        var writes = ChangeSet()
        writes.receivedLogged = logged
        var posted: [EventKey: (digest: Data, result: IngestResult)] = [:]
        var outcomes: [Outcome] = []
        for item in items {
            let event = item.event
            // Refused before anything is looked at: a foreign key's replay must not be told apart from a new event.
            if let refusal = EventAuthority.refusal(type: event.type, eventActor: event.attributes["actor"], principal: item.access.principal) {
                outcomes.append(.rejected(.eventNotGranted(refusal)))
                continue
            }
            let key = Self.idempotencyKey(item)
            if let earlier = posted[key] ?? stored[key] {
                outcomes.append(
                    earlier.digest == item.digest
                        ? .replayed(earlier.result)
                        : .rejected(.conflict("event \(event.externalID) from \(event.source) was already posted with a different body")))
                continue
            }
            if event.type.amendsAnEvent {
                let outcome = try await amend(item, citizenIDs: citizenIDs, posted: posted, citizens: &citizens, writes: &writes)
                if case .ingested(let result) = outcome { posted[key] = (item.digest, result) }
                outcomes.append(outcome)
                continue
            }
            var actor: ActorDirectory.Entry?
            if let slug = event.attributes["actor"] {
                guard let entry = try await actors.actor(slug: slug, on: connection, logger: logger) else {
                    outcomes.append(.rejected(.invalid(field: "attributes.actor", "no actor with slug \(slug)")))
                    continue
                }
                guard event.type.actorKinds.contains(entry.kind) else {
                    let kinds = event.type.actorKinds.map(\.rawValue).joined(separator: " or ")
                    outcomes.append(
                        .rejected(.invalid(field: "attributes.actor", "\(slug) is a \(entry.kind.rawValue); \(event.type.rawValue) comes from a \(kinds)")))
                    continue
                }
                actor = entry
            }

            let citizenID: UUID
            if let known = citizenIDs[item.index] {
                citizenID = known
            } else {
                citizenID = UUID.v7()
                citizenIDs[item.index] = citizenID
                writes.citizens.append(
                    .init(id: citizenID, index: item.index, sealed: try cipher.seal(event.cpr), birthDate: event.cpr.birthDate.description))
                citizens[citizenID] = CitizenWorkspace(id: citizenID, isNew: true)
            }
            var workspace = citizens[citizenID]!
            let eventID = UUID.v7()
            let citizenEvent = CitizenEvent(
                id: eventID, source: event.source, externalID: event.externalID, type: event.type, occurredAt: event.occurredAt,
                attributes: event.attributes, actorKind: actor?.kind)
            let (plan, added) = engine.changes(birthDate: event.cpr.birthDate, history: workspace.history, adding: [citizenEvent])
            workspace.history.append(citizenEvent)
            workspace.stored.events.append(citizenEvent)
            workspace.stored.postingActors[eventID] = Self.postingActor(item)
            workspace.birthDate = event.cpr.birthDate
            workspace.outcomesChanged = workspace.outcomesChanged || OutcomeFacts.affected(by: event.type)
            try await workspace.loadRecords(for: plan.filter { $0.eventID != eventID }.map(\.slot), on: connection, logger: logger)

            // What the new event adds or changes, and — in plan order — a handoff or flag that an earlier event
            // called for but that found no case then (the admission arrived after its discharge). Only effects after
            // the first one the new event adds can have been waiting for it: they come later in the ordered history.
            let addedSlots = Set(added.map(\.slot))
            let firstAdded = plan.firstIndex { addedSlots.contains($0.slot) } ?? plan.endIndex
            var effects: [EffectOutcome] = []
            for (position, effect) in plan.enumerated() {
                if addedSlots.contains(effect.slot) {
                    effects.append(try await apply(effect, postedEventID: eventID, to: &workspace, writes: &writes))
                } else if position > firstAdded, let outcome = try await retryWaiting(effect, postedEventID: eventID, in: &workspace, writes: &writes) {
                    effects.append(outcome)
                }
            }
            if event.type == .citizenMoved { writes.municipalities[citizenID] = workspace.currentMunicipality }
            citizens[citizenID] = workspace

            let result = IngestResult(eventID: eventID, effects: effects)
            let principal = item.access.principal
            writes.events.append(
                .init(
                    id: eventID, source: event.source, externalID: event.externalID, type: event.type.rawValue, occurredAt: event.occurredAt,
                    citizen: citizenID, actor: actor?.id, postingActor: principal.actorID, attributes: ChangeSet.json(event.attributes),
                    digest: item.digest,
                    result: ChangeSet.json(result), key: principal.keyID))
            writes.audit(.eventIngest, citizenID: citizenID, access: item.access)
            posted[key] = (item.digest, result)
            outcomes.append(.ingested(result))
        }
        for workspace in citizens.values where workspace.outcomesChanged {
            guard let birthDate = workspace.birthDate else { continue }
            writes.outcomeCitizens.append(workspace.id)
            for episode in OutcomeFacts.episodes(birthDate: birthDate, history: workspace.history) {
                var actorID: UUID?
                if let slug = episode.actorSlug { actorID = try await actors.actor(slug: slug, on: connection, logger: logger)?.id }
                writes.outcomes.append(.init(citizen: workspace.id, episode: episode, actor: actorID))
            }
        }
        if !writes.events.isEmpty {
            try await writes.flush(on: connection, logger: logger)
        }
        return outcomes
    }

    /// The posting actor as the idempotency index sees it (the nil UUID for internal tools).
    static func postingActor(_ item: Pending) -> UUID {
        item.access.principal.actorID ?? ChangeSet.noID
    }

    /// What makes a posted event the same event: `(posting actor, source, id)`, the idempotency index's columns,
    /// compared as PostgreSQL compares them, byte for byte. (Swift's `String` equality is canonical equivalence: it
    /// took `"caf\u{E9}"` and `"cafe\u{301}"` for one id, and refused the second of them in one batch as a conflict.)
    struct EventKey: Hashable {
        let actor: UUID
        let source: String
        let externalID: String

        static func == (lhs: EventKey, rhs: EventKey) -> Bool {
            lhs.actor == rhs.actor && lhs.source.utf8.elementsEqual(rhs.source.utf8) && lhs.externalID.utf8.elementsEqual(rhs.externalID.utf8)
        }

        /// Keys equal byte for byte are equal strings, so the strings' own hashes agree with `==`.
        func hash(into hasher: inout Hasher) {
            hasher.combine(actor)
            hasher.combine(source)
            hasher.combine(externalID)
        }
    }

    static func idempotencyKey(_ item: Pending) -> EventKey {
        EventKey(actor: postingActor(item), source: item.event.source, externalID: item.event.externalID)
    }

    /// Histories, cases (locked, as every case command locks them) and their open or accepted handoffs.
    /// Also the `event_received` entries already on their cases' timelines, so none is written twice.
    private func loadCitizens(_ ids: [UUID]) async throws -> ([UUID: CitizenWorkspace], Set<ChangeSet.Received>) {
        var workspaces = Dictionary(uniqueKeysWithValues: ids.map { ($0, CitizenWorkspace(id: $0, isNew: false)) })
        guard !ids.isEmpty else { return (workspaces, []) }
        for (citizen, stored) in try await CitizenSQL.storedHistories(of: ids, on: connection, logger: logger) {
            workspaces[citizen]?.stored = stored
            workspaces[citizen]?.history = stored.effective
        }
        let cases = try await connection.query(
            """
            SELECT id, citizen_id, pathway, status, responsible_actor_id, flags FROM cases WHERE citizen_id = ANY(\(ids)::uuid[])
            ORDER BY id FOR NO KEY UPDATE
            """,
            logger: logger
        )
        var caseOwners: [UUID: UUID] = [:]
        for try await (id, citizen, pathway, status, responsible, flags) in cases.decode((UUID, UUID, String, String, UUID, [String]).self) {
            workspaces[citizen]?.cases.append(
                CitizenWorkspace.Case(id: id, pathway: pathway, isOpen: status == "open", responsible: responsible, flags: flags))
            caseOwners[id] = citizen
        }
        guard !caseOwners.isEmpty else { return (workspaces, []) }
        let handoffs = try await connection.query(
            """
            SELECT id, case_id, to_actor_id, status FROM handoffs
            WHERE case_id = ANY(\(Array(caseOwners.keys))::uuid[]) AND status IN ('pending', 'overdue', 'accepted')
            """,
            logger: logger
        )
        for try await (id, caseID, to, status) in handoffs.decode((UUID, UUID, UUID, String).self) {
            guard let citizen = caseOwners[caseID], let index = workspaces[citizen]?.cases.firstIndex(where: { $0.id == caseID }) else { continue }
            if status == "accepted" {
                workspaces[citizen]?.cases[index].hadAcceptedHandoff = true
            } else {
                workspaces[citizen]?.cases[index].openHandoff = (id, to)
            }
        }
        let received = try await connection.query(
            """
            SELECT case_id, data ->> 'event_id' FROM case_timeline
            WHERE case_id = ANY(\(Array(caseOwners.keys))::uuid[]) AND kind = 'event_received'
            """,
            logger: logger
        )
        var logged: Set<ChangeSet.Received> = []
        for try await (caseID, event) in received.decode((UUID, String?).self) {
            if let event, let eventID = UUID(uuidString: event) { logged.insert(ChangeSet.Received(caseID: caseID, eventID: eventID)) }
        }
        return (workspaces, logged)
    }
}
