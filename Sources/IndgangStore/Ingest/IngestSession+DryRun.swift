import Foundation
import IndgangCore
import Logging
import PostgresNIO

extension IngestSession {
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
            own = try await CitizenSQL.histories(of: [citizenID], postedBy: principal.actorID ?? ChangeSet.noID, on: connection, logger: logger)[
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
        var scratch = ChangeSet()
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
}
