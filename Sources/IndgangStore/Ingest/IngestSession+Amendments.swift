import Foundation
import IndgangCore
import Logging
import PostgresNIO

/// `event.retracted` and `event.corrected` (API.md, Event authority): the citizen's pathways re-evaluated on the
/// history without (or with the corrected) event, through the same engine and the same writes as an arrival.
/// What no longer follows is undone where the warm-handoff rules allow (`EffectUndo`); what now follows is
/// applied as for any event.
extension IngestSession {
    func amend(
        _ item: Pending, citizenIDs: [Data: UUID], posted: [EventKey: (digest: Data, result: IngestResult)],
        citizens: inout [UUID: CitizenWorkspace], writes: inout ChangeSet
    ) async throws -> Outcome {
        let envelope = item.event
        guard let targetSource = envelope.attributes["source"], let targetID = envelope.attributes["id"] else {
            return .rejected(.invalid(field: "attributes", "names the event it amends: {source, id}"))
        }
        let targetKey = EventKey(actor: Self.postingActor(item), source: targetSource, externalID: targetID)
        // Only the posting actor's own events: another actor's is as unknown as one never posted.
        guard let target = try await postedEvent(key: targetKey, source: targetSource, externalID: targetID, item: item, posted: posted, citizens: citizens) else {
            return .rejected(.notFound("no event \(targetID) from \(targetSource) posted by this actor (yet)"))
        }
        guard citizenIDs[item.index] == target.citizen, var workspace = citizens[target.citizen] else {
            return .rejected(.invalid(field: "cpr", "is not the citizen of the event it amends"))
        }
        guard let original = workspace.stored.events.first(where: { $0.id == target.id }) else {
            return .rejected(.invalid(field: "attributes.id", "names a retraction or correction; those cannot be retracted or corrected"))
        }
        if workspace.stored.isRetracted(target.id) {
            guard envelope.type == .eventRetracted else {
                return .rejected(.invalid(field: "attributes.id", "names an event that was retracted; it cannot be corrected"))
            }
            return .replayed(try await firstRetraction(of: target.id, in: workspace))
        }
        let change: EventAmendment.Change
        switch correction(envelope, of: original) {
        case .success(let corrected): change = corrected
        case .failure(let error): return .rejected(error)
        }

        let envelopeID = UUID.v7()
        let amendment = EventAmendment(target: target.id, change: change, occurredAt: envelope.occurredAt, source: envelope.source, externalID: envelope.externalID)
        let before = workspace.history
        workspace.stored.amendments.append(amendment)
        workspace.stored.postingActors[envelopeID] = Self.postingActor(item)
        let after = workspace.stored.effective
        let revision = engine.revise(birthDate: envelope.cpr.birthDate, from: before, to: after)
        try await workspace.loadRecords(for: (revision.removed + revision.all).map(\.slot), on: connection, logger: logger)
        let handoffs = try await handoffStatuses(revision.removed.compactMap { workspace.records[$0.slot]?.handoffID })
        workspace.history = after
        workspace.birthDate = envelope.cpr.birthDate
        workspace.outcomesChanged = true

        var effects: [EffectOutcome] = []
        for effect in revision.removed.reversed() {
            if let outcome = undo(effect, remaining: revision.all, handoffs: handoffs, envelope: envelope, envelopeID: envelopeID, in: &workspace, writes: &writes) {
                effects.append(outcome)
            }
        }
        let changedSlots = Set(revision.changed.map(\.slot)).union(try await handoffsToRequestAgain(revision.all, in: &workspace))
        // The amended event's old and new places in the ordered history: a handoff or flag after either may have
        // been waiting for a case that the amendment opens again (a retracted death).
        let placed = { (history: [CitizenEvent]) in history.first { $0.id == target.id }?.occurredAt ?? original.occurredAt }
        let since = min(placed(before), placed(after))
        for effect in revision.all {
            if changedSlots.contains(effect.slot) {
                effects.append(try await apply(effect, postedEventID: envelopeID, to: &workspace, writes: &writes))
            } else if effect.occurredAt >= since, let outcome = try await retryWaiting(effect, postedEventID: envelopeID, in: &workspace, writes: &writes) {
                effects.append(outcome)
            }
        }
        if original.type == .citizenMoved { writes.municipalities[workspace.id] = workspace.currentMunicipality }

        let correctedTime: Date? = if case .correction(let time?, _) = change { time } else { nil }
        let received = CitizenEvent(
            id: envelopeID, source: envelope.source, externalID: envelope.externalID, type: envelope.type, occurredAt: envelope.occurredAt,
            attributes: [:], actorKind: nil)
        // Every case the amendment changed, and every case the amended event had affected (a corrected time is
        // shown there even when no effect changes).
        let logged = workspace.cases.map(\.id).filter { writes.receivedLogged.contains(ChangeSet.Received(caseID: $0, eventID: target.id)) }
        for caseID in Set(effects.compactMap(\.caseID) + logged).sorted() {
            writes.eventReceived(caseID, received, amending: (target.id, correctedTime))
        }
        let result = IngestResult(eventID: envelopeID, effects: effects)
        workspace.retractions[target.id] = envelope.type == .eventRetracted ? result : nil
        citizens[target.citizen] = workspace

        let principal = item.access.principal
        var stored = StoredHistory.EnvelopeAttributes(source: targetSource, id: targetID)
        stored.occurred_at = envelope.attributes["occurred_at"]
        stored.attributes = envelope.correctedAttributes
        var row = ChangeSet.EventRow(
            id: envelopeID, source: envelope.source, externalID: envelope.externalID, type: envelope.type.rawValue, occurredAt: envelope.occurredAt,
            citizen: target.citizen, actor: nil, postingActor: principal.actorID, attributes: ChangeSet.json(stored), digest: item.digest,
            result: ChangeSet.json(result), key: principal.keyID)
        row.amends = target.id
        writes.events.append(row)
        writes.audit(.eventIngest, citizenID: target.citizen, access: item.access)
        return .ingested(result)
    }

    /// The event the key names, posted by the same actor: stored, or earlier in this session.
    private func postedEvent(
        key: EventKey, source: String, externalID: String, item: Pending, posted: [EventKey: (digest: Data, result: IngestResult)],
        citizens: [UUID: CitizenWorkspace]
    ) async throws -> (id: UUID, citizen: UUID)? {
        let rows = try await connection.query(
            """
            SELECT id, citizen_id FROM events
            WHERE coalesce(posting_actor_id, \(ChangeSet.noID)) = \(Self.postingActor(item)) AND source = \(source) AND external_id = \(externalID)
            """,
            logger: logger)
        for try await (id, citizen) in rows.decode((UUID, UUID).self) { return (id, citizen) }
        guard let eventID = posted[key]?.result.eventID,
            let citizen = citizens.values.first(where: { $0.stored.postingActors[eventID] != nil })
        else { return nil }
        return (eventID, citizen.id)
    }

    /// What an `event.corrected` changes (validated against the amended event's type), or a retraction.
    private func correction(_ envelope: IncomingEvent, of original: CitizenEvent) -> Result<EventAmendment.Change, IndgangError> {
        guard envelope.type == .eventCorrected else { return .success(.retraction) }
        let time = envelope.attributes["occurred_at"].flatMap(RFC3339.parse)
        guard time != nil || envelope.correctedAttributes != nil else {
            return .failure(.invalid(field: "attributes", "a correction gives a new occurred_at, new attributes, or both"))
        }
        if let time, time > Date().addingTimeInterval(300) {
            return .failure(.invalid(field: "attributes.occurred_at", "is in the future"))
        }
        guard var attributes = envelope.correctedAttributes else { return .success(.correction(occurredAt: time, attributes: nil)) }
        if let actor = attributes["actor"], actor != original.attributes["actor"] {
            return .failure(.invalid(field: "attributes.attributes.actor", "a correction cannot change the event's actor"))
        }
        attributes["actor"] = original.attributes["actor"]
        let issues = original.type.validate(attributes)
        guard issues.isEmpty else {
            return .failure(.invalid(issues.map { FieldIssue(field: "attributes.\($0.field)", message: $0.message) }))
        }
        return .success(.correction(occurredAt: time, attributes: attributes))
    }

    /// The result of the event's first retraction, which a second one (under any envelope id) answers with.
    private func firstRetraction(of eventID: UUID, in workspace: CitizenWorkspace) async throws -> IngestResult {
        if let result = workspace.retractions[eventID] { return result }
        let rows = try await connection.query(
            "SELECT result::text FROM events WHERE amends_event_id = \(eventID) AND type = 'event.retracted'", logger: logger)
        for try await text in rows.decode(String.self) { return try JSONDecoder().decode(IngestResult.self, from: Data(text.utf8)) }
        throw UnknownStoredValue(type: "retraction of event", value: eventID.uuidString)
    }

    /// Handoffs that the close a retraction took back had cancelled ("case closed"): requested again, on the case
    /// that continues the closed one, as if the close had never happened. Their slots are forgotten, so they apply
    /// afresh.
    private func handoffsToRequestAgain(_ plan: [PlannedEffect], in workspace: inout CitizenWorkspace) async throws -> Set<String> {
        guard !workspace.continued.isEmpty else { return [] }
        let candidates = plan.filter { effect in
            guard case .requestHandoff = effect.action, let record = workspace.records[effect.slot], let caseID = record.caseID else { return false }
            return workspace.continued[caseID] != nil && record.handoffID != nil
        }
        guard !candidates.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT id FROM handoffs WHERE id = ANY(\(candidates.compactMap { workspace.records[$0.slot]?.handoffID })::uuid[])
              AND status = 'cancelled' AND decision_reason = 'case closed'
            """,
            logger: logger)
        var cancelled: Set<UUID> = []
        for try await id in rows.decode(UUID.self) { cancelled.insert(id) }
        var slots: Set<String> = []
        for effect in candidates where workspace.records[effect.slot]?.handoffID.map(cancelled.contains) == true {
            workspace.records[effect.slot] = nil
            workspace.forgotten.insert(effect.slot)
            slots.insert(effect.slot)
        }
        return slots
    }

    /// The current status of handoffs that removed effects made.
    private func handoffStatuses(_ ids: [UUID]) async throws -> [UUID: HandoffStatus] {
        guard !ids.isEmpty else { return [:] }
        var statuses: [UUID: HandoffStatus] = [:]
        let rows = try await connection.query("SELECT id, status FROM handoffs WHERE id = ANY(\(ids)::uuid[])", logger: logger)
        for try await (id, status) in rows.decode((UUID, String).self) { statuses[id] = try HandoffStatus(decoding: status) }
        return statuses
    }
}
