import Foundation
import IndgangCore
import Logging
import PostgresNIO

/// The rule effects of an ingest session, decided in memory against the citizen's workspace.
extension IngestSession {
    func apply(
        _ effect: PlannedEffect, postedEventID: UUID, to workspace: inout CitizenWorkspace, writes: inout ChangeSet
    ) async throws -> EffectOutcome {
        let previous = workspace.records[effect.slot]
        var result: EffectOutcome
        if let previous, previous.value == effect.value, previous.outcome != .skipped {
            result = EffectOutcome(effect: effect.action.name, pathway: effect.pathway, status: .unchanged, triggeredBy: effect.eventID)
            result.reason = "already applied"
            return result
        }
        let event = effect.eventID.lowercasedString
        func outcome(_ status: EffectStatus, _ caseID: UUID? = nil, reason: String? = nil) -> EffectOutcome {
            var outcome = EffectOutcome(effect: effect.action.name, pathway: effect.pathway, status: status, triggeredBy: effect.eventID)
            outcome.caseID = caseID
            outcome.reason = reason
            return outcome
        }

        // A handoff an earlier value of this slot made, and that was decided (not superseded now): it stands.
        var earlierHandoffStands = false
        switch effect.action {
        case .openCase(let responsible):
            if let open = workspace.openCase(effect.pathway) {
                result = outcome(.reused, workspace.cases[open].id)
                // The case this slot opened, now decided under another variant (a late move): it records the new one.
                if let previous, previous.outcome == .applied, previous.caseID == workspace.cases[open].id, previous.value != effect.value {
                    writes.caseChanges[workspace.cases[open].id, default: .init()].variant = .some(effect.variant)
                    writes.bumpVersion(workspace.cases[open].id)
                }
            } else if let actor = try await resolve(responsible) {
                let caseID = UUID.v7()
                writes.cases.append(.init(id: caseID, citizen: workspace.id, pathway: effect.pathway, variant: effect.variant, responsible: actor.id))
                workspace.cases.append(CitizenWorkspace.Case(id: caseID, pathway: effect.pathway, isOpen: true, responsible: actor.id, flags: []))
                writes.addTimeline(caseID, .opened, actor: actor.id, ["pathway": effect.pathway, "event_id": event])
                result = outcome(.applied, caseID)
                result.actor = actor.slug
            } else {
                result = outcome(.skipped, reason: "no registered actor is \(responsible)")
            }

        case .requestHandoff(let target, let dueAt, let reason):
            if let superseded = previous?.handoffID {
                earlierHandoffStands = !workspace.cases.contains { $0.openHandoff?.id == superseded }
                supersede(superseded, in: &workspace, writes: &writes, postedEventID: postedEventID)
            }
            guard let open = workspace.openCase(effect.pathway) else {
                result = outcome(.skipped, reason: "no open case to hand off")
                break
            }
            let found = workspace.cases[open]
            guard let receiver = try await resolve(target) else {
                // Nobody to hand to: escalate rather than let the citizen wait unnoticed.
                try await escalate(open, in: &workspace, writes: &writes, pathway: effect.pathway, variant: effect.variant, event: event,
                                   reason: "no registered actor is \(target) to hand the case to")
                result = outcome(.escalated, found.id, reason: "no registered actor is \(target)")
                break
            }
            var state = found.state
            let handoffID = UUID.v7()
            var refused: EffectOutcome?
            do {
                try state.requestHandoff(id: handoffID, by: found.responsible, to: receiver.id)
            } catch {
                // Refused as a caseworker's request would be: to the responsible actor itself, or while one is open.
                if case .invalid = error {
                    refused = outcome(.skipped, found.id, reason: "\(receiver.slug) is already responsible")
                } else {
                    refused = outcome(.skipped, found.id, reason: "the case already has an open handoff")
                    refused?.handoffID = found.openHandoff?.id
                }
            }
            if let refused {
                result = refused
            } else {
                writes.handoffs.append(.init(id: handoffID, caseID: found.id, from: found.responsible, to: receiver.id, reason: reason, dueAt: dueAt))
                writes.bumpVersion(found.id)
                writes.addTimeline(
                    found.id, .handoffRequested, actor: found.responsible,
                    ["handoff_id": handoffID.lowercasedString, "to_actor": receiver.slug, "reason": reason, "event_id": event])
                // One payload for the kind, whoever caused it: the same as a caseworker's request.
                let sender = try await actors.slug(id: found.responsible, on: connection, logger: logger) ?? ""
                writes.notify(
                    .handoffRequested, to: [receiver.id], caseID: found.id, handoffID: handoffID,
                    ["from_actor": sender, "to_actor": receiver.slug])
                workspace.cases[open].openHandoff = state.openHandoff.map { ($0.id, $0.to) }
                result = outcome(.applied, found.id)
                result.handoffID = handoffID
            }
            result.actor = receiver.slug

        case .flag(let name):
            // The open case, or else the latest one: a re-offence after the case closed still counts against it.
            guard let index = workspace.openCase(effect.pathway) ?? workspace.latestCase(effect.pathway) else {
                result = outcome(.skipped, reason: "no case on the pathway")
                break
            }
            let target = workspace.cases[index]
            if !target.flags.contains(name.rawValue) {
                workspace.cases[index].flags.append(name.rawValue)
                writes.caseChanges[target.id, default: .init()].flags = workspace.cases[index].flags
            }
            writes.bumpVersion(target.id)
            writes.addTimeline(target.id, name.timelineKind, ["event_id": event])
            writes.notify(name.notificationKind, to: [target.responsible], caseID: target.id, ["event_id": event])
            result = outcome(.applied, target.id)
            result.flag = name.rawValue

        case .escalate(let reason, let unlessHandoffAccepted):
            guard let open = workspace.openCase(effect.pathway) else {
                result = outcome(.skipped, reason: "no open case")
                break
            }
            if unlessHandoffAccepted && workspace.cases[open].hadAcceptedHandoff {
                result = outcome(.skipped, workspace.cases[open].id, reason: "a handoff was accepted")
            } else {
                try await escalate(open, in: &workspace, writes: &writes, pathway: effect.pathway, variant: effect.variant, event: event, reason: reason)
                result = outcome(.applied, workspace.cases[open].id, reason: reason)
            }

        case .closeCase(let closeOutcome):
            guard let open = workspace.openCase(effect.pathway) else {
                result = outcome(.skipped, reason: "no open case")
                break
            }
            let found = workspace.cases[open]
            var state = found.state
            // The rule closes on behalf of the responsible actor, so the warm-handoff rules allow it.
            if let handoff = try? state.close(by: found.responsible) {
                writes.cancellations.append((handoff.id, "case closed"))
                writes.addTimeline(found.id, .handoffCancelled, ["handoff_id": handoff.id.lowercasedString, "reason": "case closed"])
                writes.notify(.handoffCancelled, to: [handoff.to], caseID: found.id, handoffID: handoff.id)
                workspace.cases[open].openHandoff = nil
            }
            writes.caseChanges[found.id, default: .init()].closeOutcome = closeOutcome.rawValue
            writes.bumpVersion(found.id)
            writes.addTimeline(found.id, .closed, ["outcome": closeOutcome.rawValue, "event_id": event])
            writes.notify(.caseClosed, to: [found.responsible], caseID: found.id, ["outcome": closeOutcome.rawValue])
            workspace.cases[open].isOpen = false
            result = outcome(.applied, found.id)
        }
        // A new value does not change what the earlier one did while that stands (the case it opened is the open
        // one, reused now; the handoff it made was decided): the record keeps it, so a retraction can undo or tell.
        var record = CitizenWorkspace.Record(value: effect.value, caseID: result.caseID, handoffID: result.handoffID, outcome: result.status)
        if let previous, previous.changedSomething {
            switch effect.action {
            case .openCase where result.status == .reused && previous.caseID == result.caseID,
                .requestHandoff where result.status == .skipped && earlierHandoffStands:
                record = CitizenWorkspace.Record(value: effect.value, caseID: previous.caseID, handoffID: previous.handoffID, outcome: previous.outcome)
            default: break
            }
        }
        writes.applied.append(
            .init(
                citizen: workspace.id, slot: effect.slot, value: effect.value, event: postedEventID, caseID: record.caseID, handoffID: record.handoffID,
                outcome: record.outcome.rawValue))
        workspace.records[effect.slot] = record
        workspace.forgotten.remove(effect.slot)
        if let caseID = result.caseID, result.status != .skipped,
            let arrived = workspace.history.first(where: { $0.id == postedEventID })
        {
            // The event that just arrived affected the case (also when it completed an earlier event's rule), and
            // so did the earlier event whose rule applies now for the first time (its discharge, say, whose
            // handoff waited for the admission). Each logged once per case: an event arrives once, a rule applies once.
            writes.eventReceived(caseID, arrived)
            if effect.eventID != postedEventID, previous == nil || previous?.outcome == .skipped,
                let trigger = workspace.history.first(where: { $0.id == effect.eventID })
            {
                writes.eventReceived(caseID, trigger)
            }
        }
        return result
    }

    /// Tries again a handoff or flag that was skipped for want of a case, keeping the attempt only if it now
    /// applies (a skipped retry writes nothing). Nil when the effect does not wait or still cannot apply.
    func retryWaiting(
        _ effect: PlannedEffect, postedEventID: UUID, in workspace: inout CitizenWorkspace, writes: inout ChangeSet
    ) async throws -> EffectOutcome? {
        guard effect.action.waitsForACase, workspace.records[effect.slot]?.outcome == .skipped else { return nil }
        var attempt = ChangeSet()
        attempt.receivedLogged = writes.receivedLogged
        var retried = workspace
        let outcome = try await apply(effect, postedEventID: postedEventID, to: &retried, writes: &attempt)
        guard outcome.status != .skipped else { return nil }
        workspace = retried
        writes.merge(attempt)
        return outcome
    }

    /// A later event changed what an earlier rule called for (e.g. a late `citizen.moved` changes the receiver):
    /// a handoff made for the old value is cancelled while still open; a decided one stands.
    func supersede(
        _ handoffID: UUID, in workspace: inout CitizenWorkspace, writes: inout ChangeSet, postedEventID: UUID,
        reason: String = "superseded by a later event"
    ) {
        guard let index = workspace.cases.firstIndex(where: { $0.openHandoff?.id == handoffID }), let handoff = workspace.cases[index].openHandoff else {
            return
        }
        let caseID = workspace.cases[index].id
        writes.cancellations.append((handoffID, reason))
        writes.bumpVersion(caseID)
        writes.addTimeline(
            caseID, .handoffCancelled, ["handoff_id": handoffID.lowercasedString, "reason": reason, "event_id": postedEventID.lowercasedString])
        writes.notify(.handoffCancelled, to: [handoff.to], caseID: caseID, handoffID: handoffID)
        workspace.cases[index].openHandoff = nil
    }

    func escalate(
        _ index: Int, in workspace: inout CitizenWorkspace, writes: inout ChangeSet, pathway: String, variant: VariantReference?, event: String,
        reason: String
    ) async throws {
        let found = workspace.cases[index]
        var recipients: [UUID?] = [found.responsible, found.openHandoff?.to]
        var data: [String: String?] = ["reason": reason, "event_id": event]
        if let slug = escalationActors.slug(pathway: pathway, variant: variant), let actor = try await actors.actor(slug: slug, on: connection, logger: logger) {
            recipients.append(actor.id)
            data["to_actor"] = slug
        }
        writes.addTimeline(found.id, .escalated, data)
        writes.notify(.caseEscalated, to: recipients, caseID: found.id, ["event_id": event])
    }

    func resolve(_ resolved: ResolvedActor) async throws -> ActorDirectory.Entry? {
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
