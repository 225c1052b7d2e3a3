import Foundation
import IndgangCore

/// Taking back an effect whose event was retracted or corrected away, as `EffectUndo` decides.
extension IngestSession {
    func undo(
        _ effect: PlannedEffect, remaining: [PlannedEffect], handoffs: [UUID: HandoffStatus], envelope: IncomingEvent, envelopeID: UUID,
        in workspace: inout CitizenWorkspace, writes: inout ChangeSet
    ) -> EffectOutcome? {
        guard let record = workspace.records[effect.slot] else { return nil }
        writes.applied.removeAll { $0.citizen == workspace.id && $0.slot == effect.slot }
        writes.forgotten.append((workspace.id, effect.slot))
        workspace.records[effect.slot] = nil
        workspace.forgotten.insert(effect.slot)
        guard let caseID = record.caseID, let index = workspace.cases.firstIndex(where: { $0.id == caseID }) else { return nil }

        let found = workspace.cases[index]
        var recorded = EffectUndo.Recorded(
            applied: record.changedSomething, caseIsOpen: found.isOpen, caseHadAcceptedHandoff: found.hadAcceptedHandoff,
            pathwayHasOpenCase: workspace.openCase(effect.pathway) != nil)
        recorded.stillCalledFor = remaining.contains { other in
            guard other.slot != effect.slot, other.pathway == effect.pathway, let otherRecord = workspace.records[other.slot],
                otherRecord.caseID == caseID
            else { return false }
            switch (other.action, effect.action) {
            case (.flag(let name), .flag(let flagged)): return name == flagged && otherRecord.changedSomething
            case (.openCase, .openCase): return otherRecord.outcome == .applied || otherRecord.outcome == .reused
            default: return false
            }
        }
        if let handoffID = record.handoffID {
            let openNow = found.openHandoff?.id == handoffID
            let stored = handoffs[handoffID]
            // Open in the database but no longer in the workspace: cancelled earlier in this session.
            recorded.handoff = openNow ? .pending : (stored?.isOpen == true ? .cancelled : stored)
        }

        let retracted = envelope.type == .eventRetracted
        var outcome = EffectOutcome(effect: effect.action.name, pathway: effect.pathway, status: .undone, triggeredBy: effect.eventID)
        outcome.caseID = caseID
        switch EffectUndo.decide(effect.action, recorded) {
        case .nothing:
            return nil
        case .cancelHandoff:
            let handoffID = record.handoffID!
            supersede(
                handoffID, in: &workspace, writes: &writes, postedEventID: envelopeID,
                reason: retracted ? "the event behind it was retracted" : "the event behind it was corrected")
            outcome.handoffID = handoffID
            outcome.reason = "the pending handoff was cancelled"
        case .keepAcceptedHandoff:
            tell(found, about: effect, envelope: envelope, writes: &writes, ["handoff_id": record.handoffID?.lowercasedString])
            outcome = kept(outcome, "the handoff was accepted and stands; the responsible actor was told")
            outcome.handoffID = record.handoffID
        case .removeFlag:
            guard case .flag(let name) = effect.action else { return nil }
            workspace.cases[index].flags.removeAll { $0 == name.rawValue }
            writes.caseChanges[caseID, default: .init()].flags = workspace.cases[index].flags
            writes.bumpVersion(caseID)
            tell(found, about: effect, envelope: envelope, writes: &writes, ["flag": name.rawValue])
            outcome.flag = name.rawValue
            outcome.reason = "the \(name.rawValue) flag was removed"
        case .closeCase:
            if let handoff = found.openHandoff {
                supersede(handoff.id, in: &workspace, writes: &writes, postedEventID: envelopeID, reason: "case closed")
            }
            writes.caseChanges[caseID, default: .init()].closeOutcome = CloseOutcome.retracted.rawValue
            writes.bumpVersion(caseID)
            writes.addTimeline(caseID, .closed, ["outcome": CloseOutcome.retracted.rawValue, "event_id": envelopeID.lowercasedString])
            writes.notify(.caseClosed, to: [found.responsible], caseID: caseID, ["outcome": CloseOutcome.retracted.rawValue])
            workspace.cases[index].isOpen = false
            outcome.reason = "the case it opened was closed as retracted"
        case .keepCase:
            tell(found, about: effect, envelope: envelope, writes: &writes, [:])
            outcome = kept(outcome, "a receiver accepted the case, so it stays open; the responsible actor was told")
        case .continueClosedCase:
            let continuation = UUID.v7()
            writes.cases.append(.init(id: continuation, citizen: workspace.id, pathway: effect.pathway, responsible: found.responsible))
            if !found.flags.isEmpty { writes.caseChanges[continuation, default: .init()].flags = found.flags }
            workspace.cases.append(
                CitizenWorkspace.Case(id: continuation, pathway: effect.pathway, isOpen: true, responsible: found.responsible, flags: found.flags))
            workspace.continued[caseID] = continuation
            writes.addTimeline(
                continuation, .opened, actor: found.responsible,
                ["pathway": effect.pathway, "event_id": envelopeID.lowercasedString, "continues_case_id": caseID.lowercasedString])
            tell(found, about: effect, envelope: envelope, writes: &writes, ["continued_by_case_id": continuation.lowercasedString])
            outcome.caseID = continuation
            outcome.reason = "case \(caseID.lowercasedString) stays closed and is continued by this one"
        }
        return outcome
    }

    /// The responsible actor is told that an effect behind the case changed (timeline and notification).
    private func tell(
        _ found: CitizenWorkspace.Case, about effect: PlannedEffect, envelope: IncomingEvent, writes: inout ChangeSet, _ details: [String: String?]
    ) {
        var data: [String: String?] = ["event_id": effect.eventID.lowercasedString, "amendment": envelope.type.rawValue, "effect": effect.action.name]
        data.merge(details) { _, new in new }
        writes.bumpVersion(found.id)
        writes.addTimeline(found.id, .eventRetracted, data)
        writes.notify(.caseEventRetracted, to: [found.responsible], caseID: found.id, data.compactMapValues { $0 })
    }

    private func kept(_ outcome: EffectOutcome, _ reason: String) -> EffectOutcome {
        var kept = EffectOutcome(effect: outcome.effect, pathway: outcome.pathway, status: .kept, triggeredBy: outcome.triggeredBy)
        kept.caseID = outcome.caseID
        kept.reason = reason
        return kept
    }
}
