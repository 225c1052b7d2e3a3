import Foundation
import IndgangCore
import Logging
import PostgresNIO

/// One ingest transaction for one or many events: takes the citizens' advisory locks (in key order, so two
/// sessions never deadlock), reads what exists (stored events, citizens, their histories, cases and handoffs)
/// in a few set-based queries, runs the pure rules engine per event against that state in memory, and writes
/// everything with `IngestWrites.flush`. Events of one citizen in one session are applied in posting order,
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
    let escalationActors: [String: String]
    let actors: ActorDirectory

    func run(_ items: [Pending]) async throws -> [Outcome] {
        let lockKeys = Set(items.map { CitizenSQL.lockKey(index: $0.index) }).sorted()
        try await connection.query(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT k FROM unnest(\(lockKeys)::bigint[]) AS k ORDER BY k) AS ordered", logger: logger)

        var stored: [String: (digest: Data, result: IngestResult)] = [:]
        var citizenIDs: [Data: UUID] = [:]
        let rows = try await connection.query(
            """
            SELECT 'event', k.actor::text || chr(31) || e.source || chr(31) || e.external_id, encode(e.body_digest, 'hex'), e.result::text, NULL::uuid
            FROM unnest(\(items.map { Self.postingActor($0) })::uuid[], \(items.map(\.event.source))::text[], \(items.map(\.event.externalID))::text[])
                 AS k(actor, source, external_id)
            JOIN LATERAL (SELECT * FROM events e WHERE coalesce(e.posting_actor_id, \(IngestWrites.noID)) = k.actor AND e.source = k.source
                                                   AND e.external_id = k.external_id) e ON true
            UNION ALL
            SELECT 'citizen', encode(c.cpr_index, 'hex'), NULL, NULL, c.id
            FROM unnest(\(items.map(\.index.hex))::text[]) AS k(idx)
            JOIN LATERAL (SELECT * FROM citizens c WHERE c.cpr_index = decode(k.idx, 'hex')) c ON true
            """,
            logger: logger
        )
        for try await (kind, key, digest, result, citizenID) in rows.decode((String, String, String?, String?, UUID?).self) {
            if kind == "event", let digest, let result, let decoded = try? JSONDecoder().decode(IngestResult.self, from: Data(result.utf8)) {
                stored[key] = (Data(hex: digest), decoded)
            } else if let citizenID {
                citizenIDs[Data(hex: key)] = citizenID
            }
        }

        var (citizens, logged) = try await loadCitizens(Array(Set(citizenIDs.values)))
        var writes = IngestWrites()
        writes.receivedLogged = logged
        var posted: [String: (digest: Data, result: IngestResult)] = [:]
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
            workspace.birthDate = event.cpr.birthDate
            workspace.outcomesChanged = workspace.outcomesChanged || OutcomeFacts.affected(by: event.type)
            try await workspace.loadRecords(for: plan.filter { $0.eventID != eventID }.map(\.slot), on: connection, logger: logger)

            // What the new event adds or changes, and — in plan order — what an earlier event called for but could
            // not do then (no case yet: the admission arrived after its discharge), retried against today's state.
            // Only effects after the first one the new event adds can have been waiting for it: in the ordered
            // history they come later, so an earlier effect is retried against the state they would have met.
            let addedSlots = Set(added.map(\.slot))
            let firstAdded = plan.firstIndex { addedSlots.contains($0.slot) } ?? plan.endIndex
            var effects: [EffectOutcome] = []
            for (position, effect) in plan.enumerated() {
                if addedSlots.contains(effect.slot) {
                    effects.append(try await apply(effect, postedEventID: eventID, to: &workspace, writes: &writes))
                } else if position > firstAdded, effect.action.waitsForACase, workspace.records[effect.slot]?.outcome == EffectOutcome.skipped {
                    var attempt = IngestWrites()
                    attempt.receivedLogged = writes.receivedLogged
                    var retried = workspace
                    let outcome = try await apply(effect, postedEventID: eventID, to: &retried, writes: &attempt)
                    guard outcome.status != EffectOutcome.skipped else { continue }
                    workspace = retried
                    writes.merge(attempt)
                    effects.append(outcome)
                }
            }
            if event.type == .citizenMoved,
                let latest = workspace.history.filter({ $0.type == .citizenMoved }).max(by: CitizenEvent.chronological),
                let code = latest.attributes["municipality_code"]
            {
                writes.municipalities[citizenID] = code
            }
            citizens[citizenID] = workspace

            let result = IngestResult(eventID: eventID, effects: effects)
            let principal = item.access.principal
            writes.events.append(
                .init(
                    id: eventID, source: event.source, externalID: event.externalID, type: event.type.rawValue, occurredAt: event.occurredAt,
                    citizen: citizenID, actor: actor?.id, postingActor: principal.actorID, attributes: IngestWrites.json(event.attributes),
                    digest: item.digest,
                    result: IngestWrites.json(result), key: principal.keyID))
            writes.audits.append(
                .init(
                    key: principal.keyID, actor: principal.actorID, role: principal.role.rawValue, action: AuditAction.eventIngest.rawValue, citizen: citizenID,
                    purpose: item.access.purpose, requestID: item.access.requestID))
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

    /// A dry run (API.md, "Dry runs reveal nothing"): the rules evaluated on the new event together with the
    /// events that the caller's actor itself posted for the citizen, replayed in order into a world with no
    /// other actor's events and no stored cases, so the answer is the same whether or not the citizen has cases
    /// the caller cannot see. Nothing is written but the audit row; the answer names no case or handoff.
    func dryRun(_ item: Pending) async throws -> IngestResult {
        let event = item.event
        let principal = item.access.principal
        if let refusal = EventAuthority.refusal(type: event.type, eventActor: event.attributes["actor"], principal: principal) {
            throw IndgangError.eventNotGranted(refusal)
        }
        let citizenID = try await CitizenSQL.find(index: item.index, on: connection, logger: logger)
        var own: [CitizenEvent] = []
        if let citizenID {
            own = try await CitizenSQL.histories(of: [citizenID], postedBy: principal.actorID ?? IngestWrites.noID, on: connection, logger: logger)[
                citizenID] ?? []
        }
        var actor: ActorDirectory.Entry?
        if let slug = event.attributes["actor"] {
            guard let entry = try await actors.actor(slug: slug, on: connection, logger: logger), event.type.actorKinds.contains(entry.kind) else {
                throw IndgangError.invalid(field: "attributes.actor", "no actor with slug \(slug) of a kind that posts \(event.type.rawValue)")
            }
            actor = entry
        }
        let posted = CitizenEvent(
            id: UUID.v7(), source: event.source, externalID: event.externalID, type: event.type, occurredAt: event.occurredAt,
            attributes: event.attributes, actorKind: actor?.kind)
        var workspace = CitizenWorkspace(id: UUID.v7(), isNew: true)
        var scratch = IngestWrites()
        var effects: [EffectOutcome] = []
        for next in own.sorted(by: CitizenEvent.chronological) + [posted] {
            let planned = engine.newEffects(birthDate: event.cpr.birthDate, history: workspace.history, adding: [next])
            workspace.history.append(next)
            effects = []
            for effect in planned {
                var outcome = try await apply(effect, postedEventID: next.id, to: &workspace, writes: &scratch)
                outcome.caseID = nil
                outcome.handoffID = nil
                effects.append(outcome)
            }
        }
        try await AuditLog.record(.eventDryRun, citizenID: citizenID, caseID: nil, access: item.access, on: connection, logger: logger)
        return IngestResult(eventID: posted.id, effects: effects.map { $0.withoutTrigger(posted.id) })
    }

    /// The posting actor as the idempotency index sees it (the nil UUID for internal tools).
    static func postingActor(_ item: Pending) -> UUID {
        item.access.principal.actorID ?? IngestWrites.noID
    }

    /// `(posting actor, source, id)`, as the look-up above renders it.
    static func idempotencyKey(_ item: Pending) -> String {
        "\(postingActor(item).uuidString.lowercased())\u{1F}\(item.event.source)\u{1F}\(item.event.externalID)"
    }

    /// Histories, cases (locked, as every case command locks them) and their open or accepted handoffs.
    /// Also the `event_received` entries already on their cases' timelines ("case|event"), so none is written twice.
    private func loadCitizens(_ ids: [UUID]) async throws -> ([UUID: CitizenWorkspace], Set<String>) {
        var workspaces = Dictionary(uniqueKeysWithValues: ids.map { ($0, CitizenWorkspace(id: $0, isNew: false)) })
        guard !ids.isEmpty else { return (workspaces, []) }
        for (citizen, history) in try await CitizenSQL.histories(of: ids, on: connection, logger: logger) {
            workspaces[citizen]?.history = history
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
        var logged: Set<String> = []
        for try await (caseID, event) in received.decode((UUID, String?).self) {
            if let event, let eventID = UUID(uuidString: event) { logged.insert(IngestWrites.receivedKey(caseID, eventID)) }
        }
        return (workspaces, logged)
    }

    // MARK: - Effects, decided in memory

    private func apply(
        _ effect: PlannedEffect, postedEventID: UUID, to workspace: inout CitizenWorkspace, writes: inout IngestWrites
    ) async throws -> EffectOutcome {
        let previous = workspace.records[effect.slot]
        var result: EffectOutcome
        if let previous, previous.value == effect.value, previous.outcome != EffectOutcome.skipped {
            result = EffectOutcome(effect: effect.action.name, pathway: effect.pathway, status: "unchanged", triggeredBy: effect.eventID)
            result.reason = "already applied"
            return result
        }
        let event = effect.eventID.uuidString.lowercased()
        func outcome(_ status: String, _ caseID: UUID? = nil, reason: String? = nil) -> EffectOutcome {
            var outcome = EffectOutcome(effect: effect.action.name, pathway: effect.pathway, status: status, triggeredBy: effect.eventID)
            outcome.caseID = caseID
            outcome.reason = reason
            return outcome
        }

        switch effect.action {
        case .openCase(let responsible):
            if let open = workspace.openCase(effect.pathway) {
                result = outcome("reused", workspace.cases[open].id)
            } else if let actor = try await resolve(responsible) {
                let caseID = UUID.v7()
                writes.cases.append(.init(id: caseID, citizen: workspace.id, pathway: effect.pathway, responsible: actor.id))
                workspace.cases.append(CitizenWorkspace.Case(id: caseID, pathway: effect.pathway, isOpen: true, responsible: actor.id, flags: []))
                writes.addTimeline(caseID, "opened", actor: actor.id, ["pathway": effect.pathway, "event_id": event])
                result = outcome("applied", caseID)
                result.actor = actor.slug
            } else {
                result = outcome("skipped", reason: "no registered actor is \(responsible)")
            }

        case .requestHandoff(let target, let dueAt, let reason):
            if let superseded = previous?.handoffID {
                supersede(superseded, in: &workspace, writes: &writes, postedEventID: postedEventID)
            }
            guard let open = workspace.openCase(effect.pathway) else {
                result = outcome("skipped", reason: "no open case to hand off")
                break
            }
            let found = workspace.cases[open]
            guard let receiver = try await resolve(target) else {
                // Nobody to hand to: escalate rather than let the citizen wait unnoticed.
                try await escalate(open, in: &workspace, writes: &writes, pathway: effect.pathway, event: event,
                                   reason: "no registered actor is \(target) to hand the case to")
                result = outcome("escalated", found.id, reason: "no registered actor is \(target)")
                break
            }
            if receiver.id == found.responsible {
                result = outcome("skipped", found.id, reason: "\(receiver.slug) is already responsible")
            } else if let existing = found.openHandoff {
                result = outcome("skipped", found.id, reason: "the case already has an open handoff")
                result.handoffID = existing.id
            } else {
                let handoffID = UUID.v7()
                writes.handoffs.append(.init(id: handoffID, caseID: found.id, from: found.responsible, to: receiver.id, reason: reason, dueAt: dueAt))
                writes.bumpVersion(found.id)
                writes.addTimeline(
                    found.id, "handoff_requested", actor: found.responsible,
                    ["handoff_id": handoffID.uuidString.lowercased(), "to_actor": receiver.slug, "reason": reason, "event_id": event])
                // One payload for the kind, whoever caused it: the same as a caseworker's request.
                let sender = try await actors.slug(id: found.responsible, on: connection, logger: logger) ?? ""
                writes.notify(
                    NotificationKind.handoffRequested.rawValue, to: [receiver.id], caseID: found.id, handoffID: handoffID,
                    ["from_actor": sender, "to_actor": receiver.slug])
                workspace.cases[open].openHandoff = (handoffID, receiver.id)
                result = outcome("applied", found.id)
                result.handoffID = handoffID
            }
            result.actor = receiver.slug

        case .flag(let name):
            // The open case, or else the latest one: a re-offence after the case closed still counts against it.
            guard let index = workspace.openCase(effect.pathway) ?? workspace.latestCase(effect.pathway) else {
                result = outcome("skipped", reason: "no case on the pathway")
                break
            }
            let target = workspace.cases[index]
            if !target.flags.contains(name) {
                workspace.cases[index].flags.append(name)
                writes.caseChanges[target.id, default: .init()].flags = workspace.cases[index].flags
            }
            writes.bumpVersion(target.id)
            writes.addTimeline(target.id, "\(name)_flagged", ["event_id": event])
            writes.notify("case.\(name)", to: [target.responsible], caseID: target.id, ["event_id": event])
            result = outcome("applied", target.id)
            result.flag = name

        case .escalate(let reason, let unlessHandoffAccepted):
            guard let open = workspace.openCase(effect.pathway) else {
                result = outcome("skipped", reason: "no open case")
                break
            }
            if unlessHandoffAccepted && workspace.cases[open].hadAcceptedHandoff {
                result = outcome("skipped", workspace.cases[open].id, reason: "a handoff was accepted")
            } else {
                try await escalate(open, in: &workspace, writes: &writes, pathway: effect.pathway, event: event, reason: reason)
                result = outcome("applied", workspace.cases[open].id, reason: reason)
            }

        case .closeCase(let closeOutcome):
            guard let open = workspace.openCase(effect.pathway) else {
                result = outcome("skipped", reason: "no open case")
                break
            }
            let found = workspace.cases[open]
            if let handoff = found.openHandoff {
                writes.cancellations.append((handoff.id, "case closed"))
                writes.addTimeline(found.id, "handoff_cancelled", ["handoff_id": handoff.id.uuidString.lowercased(), "reason": "case closed"])
                writes.notify("handoff.cancelled", to: [handoff.to], caseID: found.id, handoffID: handoff.id)
                workspace.cases[open].openHandoff = nil
            }
            writes.caseChanges[found.id, default: .init()].closeOutcome = closeOutcome.rawValue
            writes.bumpVersion(found.id)
            writes.addTimeline(found.id, "closed", ["outcome": closeOutcome.rawValue, "event_id": event])
            writes.notify("case.closed", to: [found.responsible], caseID: found.id, ["outcome": closeOutcome.rawValue])
            workspace.cases[open].isOpen = false
            result = outcome("applied", found.id)
        }
        writes.applied.append(
            .init(
                citizen: workspace.id, slot: effect.slot, value: effect.value, event: postedEventID, caseID: result.caseID, handoffID: result.handoffID,
                outcome: result.status))
        workspace.records[effect.slot] = (effect.value, result.handoffID, result.status)
        if let caseID = result.caseID, result.status != EffectOutcome.skipped,
            let arrived = workspace.history.first(where: { $0.id == postedEventID })
        {
            // The event that just arrived affected the case (also when it completed an earlier event's rule), and
            // so did the earlier event whose rule applies now for the first time (its discharge, say, whose
            // handoff waited for the admission). Each logged once per case: an event arrives once, a rule applies once.
            writes.eventReceived(caseID, arrived)
            if effect.eventID != postedEventID, previous == nil || previous?.outcome == EffectOutcome.skipped,
                let trigger = workspace.history.first(where: { $0.id == effect.eventID })
            {
                writes.eventReceived(caseID, trigger)
            }
        }
        return result
    }

    /// A later event changed what an earlier rule called for (e.g. a late `citizen.moved` changes the receiver):
    /// a handoff made for the old value is cancelled while still open; a decided one stands.
    private func supersede(_ handoffID: UUID, in workspace: inout CitizenWorkspace, writes: inout IngestWrites, postedEventID: UUID) {
        guard let index = workspace.cases.firstIndex(where: { $0.openHandoff?.id == handoffID }), let handoff = workspace.cases[index].openHandoff else {
            return
        }
        let caseID = workspace.cases[index].id
        writes.cancellations.append((handoffID, "superseded by a later event"))
        writes.bumpVersion(caseID)
        writes.addTimeline(
            caseID, "handoff_cancelled",
            ["handoff_id": handoffID.uuidString.lowercased(), "reason": "superseded by a later event", "event_id": postedEventID.uuidString.lowercased()])
        writes.notify("handoff.cancelled", to: [handoff.to], caseID: caseID, handoffID: handoffID)
        workspace.cases[index].openHandoff = nil
    }

    private func escalate(
        _ index: Int, in workspace: inout CitizenWorkspace, writes: inout IngestWrites, pathway: String, event: String, reason: String
    ) async throws {
        let found = workspace.cases[index]
        var recipients: [UUID?] = [found.responsible, found.openHandoff?.to]
        var data: [String: String?] = ["reason": reason, "event_id": event]
        if let slug = escalationActors[pathway], let actor = try await actors.actor(slug: slug, on: connection, logger: logger) {
            recipients.append(actor.id)
            data["to_actor"] = slug
        }
        writes.addTimeline(found.id, "escalated", data)
        writes.notify("case.escalated", to: recipients, caseID: found.id, ["event_id": event])
    }

    private func resolve(_ resolved: ResolvedActor) async throws -> ActorDirectory.Entry? {
        switch resolved {
        case .slug(let slug): return try await actors.actor(slug: slug, on: connection, logger: logger)
        case .municipality(let code): return try await actors.municipality(code: code, on: connection, logger: logger)
        case .unknownMunicipality: return nil
        }
    }
}

extension PlannedAction {
    /// A handoff or a flag that found no case can wait for the late event that opens it. Opening and closing are
    /// not retried against today's state: a death that arrived before the admissions would close the first
    /// case and leave a later one open, where the ordered history has one case, closed (retraction's full
    /// re-evaluation is the cure for those).
    var waitsForACase: Bool {
        switch self {
        case .requestHandoff, .flag: return true
        case .openCase, .escalate, .closeCase: return false
        }
    }

    var name: String {
        switch self {
        case .openCase: return "open_case"
        case .requestHandoff: return "request_handoff"
        case .flag: return "flag"
        case .escalate: return "escalate"
        case .closeCase: return "close_case"
        }
    }
}
