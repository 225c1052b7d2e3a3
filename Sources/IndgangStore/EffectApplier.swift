import Foundation
import IndgangCore
import Logging
import PostgresNIO

/// Applies the effects the pathway rules planned for one citizen, inside the ingest transaction, against the
/// database as it is now: it reuses an open case, hands off only from the current responsible actor, and
/// records each slot so that no effect is applied twice. What cannot be applied is reported, not hidden.
struct EffectApplier {
    let connection: PostgresConnection
    let logger: Logger
    let citizenID: UUID
    let postedEventID: UUID
    let escalationActors: [String: String]
    let actors: ActorDirectory

    func apply(_ effect: PlannedEffect) async throws -> EffectOutcome {
        // A slot of the event being posted cannot have been recorded yet: its id is brand new.
        let previous = effect.eventID == postedEventID ? nil : try await recorded(slot: effect.slot)
        if let previous, previous.value == effect.value {
            return outcome(effect, "unchanged", reason: "already applied")
        }
        var result: EffectOutcome
        switch effect.action {
        case .openCase(let responsible):
            result = try await openCase(effect, responsible: responsible)
        case .requestHandoff(let to, let dueAt, let reason):
            if let previousHandoff = previous?.handoffID {
                try await supersede(handoffID: previousHandoff, effect: effect)
            }
            result = try await requestHandoff(effect, to: to, dueAt: dueAt, reason: reason)
        case .flag(let name):
            result = try await flag(effect, name: name)
        case .escalate(let reason, let unless):
            result = try await escalate(effect, reason: reason, unlessHandoffAccepted: unless)
        case .closeCase(let outcome):
            result = try await close(effect, outcome: outcome)
        }
        try await record(effect, result)
        return result
    }

    // MARK: - Effects

    private func openCase(_ effect: PlannedEffect, responsible: ResolvedActor) async throws -> EffectOutcome {
        if let existing = try await openCase(pathway: effect.pathway) {
            var result = outcome(effect, "reused")
            result.caseID = existing.id
            try await Timeline.append(
                caseID: existing.id, kind: "event_received", actorID: nil, data: ["event_id": effect.eventID.uuidString.lowercased()], on: connection,
                logger: logger)
            return result
        }
        guard let actor = try await actor(for: responsible) else {
            return outcome(effect, "skipped", reason: "no registered actor is \(responsible)")
        }
        let caseID = UUID.v7()
        try await connection.query(
            """
            INSERT INTO cases (id, citizen_id, pathway, responsible_actor_id) VALUES (\(caseID), \(citizenID), \(effect.pathway), \(actor.id))
            """,
            logger: logger
        )
        try await Timeline.append(
            caseID: caseID, kind: "opened", actorID: actor.id,
            data: ["pathway": effect.pathway, "event_id": effect.eventID.uuidString.lowercased()], on: connection, logger: logger)
        var result = outcome(effect, "applied")
        result.caseID = caseID
        result.actor = actor.slug
        return result
    }

    private func requestHandoff(_ effect: PlannedEffect, to target: ResolvedActor, dueAt: Date, reason: String) async throws -> EffectOutcome {
        guard let found = try await openCase(pathway: effect.pathway) else {
            return outcome(effect, "skipped", reason: "no open case to hand off")
        }
        var result = outcome(effect, "applied")
        result.caseID = found.id
        guard let receiver = try await actor(for: target) else {
            // Nobody to hand to: escalate rather than let the citizen wait unnoticed.
            try await escalateCase(found, effect: effect, reason: "no registered actor is \(target) to hand the case to")
            result = outcome(effect, "escalated", reason: "no registered actor is \(target)")
            result.caseID = found.id
            return result
        }
        result.actor = receiver.slug
        if receiver.id == found.responsible {
            result = outcome(effect, "skipped", reason: "\(receiver.slug) is already responsible")
            result.caseID = found.id
            return result
        }
        let open = try await connection.query(
            "SELECT id FROM handoffs WHERE case_id = \(found.id) AND status IN ('pending', 'overdue')", logger: logger)
        for try await existing in open.decode(UUID.self) {
            result = outcome(effect, "skipped", reason: "the case already has an open handoff")
            result.caseID = found.id
            result.handoffID = existing
            return result
        }
        let handoffID = UUID.v7()
        try await connection.query(
            """
            INSERT INTO handoffs (id, case_id, from_actor_id, to_actor_id, reason, due_at)
            VALUES (\(handoffID), \(found.id), \(found.responsible), \(receiver.id), \(reason), \(dueAt))
            """,
            logger: logger
        )
        try await connection.query("UPDATE cases SET version = version + 1 WHERE id = \(found.id)", logger: logger)
        try await Timeline.append(
            caseID: found.id, kind: "handoff_requested", actorID: found.responsible,
            data: ["handoff_id": handoffID.uuidString.lowercased(), "to_actor": receiver.slug, "reason": reason, "event_id": effect.eventID.uuidString.lowercased()],
            on: connection, logger: logger)
        try await Notifications.send(
            "handoff.requested", to: [receiver.id], caseID: found.id, handoffID: handoffID, data: ["to_actor": receiver.slug], on: connection,
            logger: logger)
        result.handoffID = handoffID
        return result
    }

    /// A later event changed what an earlier rule called for (e.g. a late `citizen.moved` changes the receiver):
    /// a handoff made for the old value is cancelled while still open; a decided one stands.
    private func supersede(handoffID: UUID, effect: PlannedEffect) async throws {
        let rows = try await connection.query(
            """
            UPDATE handoffs SET status = 'cancelled', decided_at = now(), decision_reason = 'superseded by a later event'
            WHERE id = \(handoffID) AND status IN ('pending', 'overdue') RETURNING case_id, to_actor_id
            """,
            logger: logger
        )
        for try await (caseID, receiver) in rows.decode((UUID, UUID).self) {
            try await connection.query("UPDATE cases SET version = version + 1 WHERE id = \(caseID)", logger: logger)
            try await Timeline.append(
                caseID: caseID, kind: "handoff_cancelled", actorID: nil,
                data: ["handoff_id": handoffID.uuidString.lowercased(), "reason": "superseded by a later event", "event_id": postedEventID.uuidString.lowercased()],
                on: connection, logger: logger)
            try await Notifications.send("handoff.cancelled", to: [receiver], caseID: caseID, handoffID: handoffID, on: connection, logger: logger)
        }
    }

    private func flag(_ effect: PlannedEffect, name: String) async throws -> EffectOutcome {
        // The open case, or else the latest one: a re-offence after the case closed still counts against it.
        let rows = try await connection.query(
            """
            SELECT id, responsible_actor_id FROM cases WHERE citizen_id = \(citizenID) AND pathway = \(effect.pathway)
            ORDER BY (status = 'open') DESC, id DESC LIMIT 1 FOR NO KEY UPDATE
            """,
            logger: logger
        )
        var target: (UUID, UUID)?
        for try await row in rows.decode((UUID, UUID).self) { target = row }
        guard let (caseID, responsible) = target else { return outcome(effect, "skipped", reason: "no case on the pathway") }
        try await connection.query(
            """
            UPDATE cases SET flags = CASE WHEN \(name) = ANY(flags) THEN flags ELSE array_append(flags, \(name)) END, version = version + 1
            WHERE id = \(caseID)
            """,
            logger: logger
        )
        try await Timeline.append(
            caseID: caseID, kind: "\(name)_flagged", actorID: nil, data: ["event_id": effect.eventID.uuidString.lowercased()], on: connection,
            logger: logger)
        try await Notifications.send(
            "case.\(name)", to: [responsible], caseID: caseID, data: ["event_id": effect.eventID.uuidString.lowercased()], on: connection, logger: logger)
        var result = outcome(effect, "applied")
        result.caseID = caseID
        result.flag = name
        return result
    }

    private func escalate(_ effect: PlannedEffect, reason: String, unlessHandoffAccepted: Bool) async throws -> EffectOutcome {
        guard let found = try await openCase(pathway: effect.pathway) else {
            return outcome(effect, "skipped", reason: "no open case")
        }
        if unlessHandoffAccepted {
            let accepted = try await connection.query(
                "SELECT 1 FROM handoffs WHERE case_id = \(found.id) AND status = 'accepted' LIMIT 1", logger: logger)
            if try await accepted.collect().count > 0 {
                var result = outcome(effect, "skipped", reason: "a handoff was accepted")
                result.caseID = found.id
                return result
            }
        }
        try await escalateCase(found, effect: effect, reason: reason)
        var result = outcome(effect, "applied", reason: reason)
        result.caseID = found.id
        return result
    }

    private func close(_ effect: PlannedEffect, outcome closeOutcome: CloseOutcome) async throws -> EffectOutcome {
        guard let found = try await openCase(pathway: effect.pathway) else { return outcome(effect, "skipped", reason: "no open case") }
        let cancelled = try await connection.query(
            """
            UPDATE handoffs SET status = 'cancelled', decided_at = now(), decision_reason = 'case closed'
            WHERE case_id = \(found.id) AND status IN ('pending', 'overdue') RETURNING id, to_actor_id
            """,
            logger: logger
        )
        for try await (handoffID, receiver) in cancelled.decode((UUID, UUID).self) {
            try await Timeline.append(
                caseID: found.id, kind: "handoff_cancelled", actorID: nil, data: ["handoff_id": handoffID.uuidString.lowercased(), "reason": "case closed"],
                on: connection, logger: logger)
            try await Notifications.send("handoff.cancelled", to: [receiver], caseID: found.id, handoffID: handoffID, on: connection, logger: logger)
        }
        try await connection.query(
            """
            UPDATE cases SET status = 'closed', closed_at = now(), close_outcome = \(closeOutcome.rawValue), version = version + 1
            WHERE id = \(found.id)
            """,
            logger: logger
        )
        try await Timeline.append(
            caseID: found.id, kind: "closed", actorID: nil, data: ["outcome": closeOutcome.rawValue, "event_id": effect.eventID.uuidString.lowercased()],
            on: connection, logger: logger)
        try await Notifications.send(
            "case.closed", to: [found.responsible], caseID: found.id, data: ["outcome": closeOutcome.rawValue], on: connection, logger: logger)
        var result = outcome(effect, "applied")
        result.caseID = found.id
        return result
    }

    // MARK: - Helpers

    private func escalateCase(_ found: (id: UUID, responsible: UUID), effect: PlannedEffect, reason: String) async throws {
        var recipients: [UUID?] = [found.responsible]
        let pending = try await connection.query(
            "SELECT to_actor_id FROM handoffs WHERE case_id = \(found.id) AND status IN ('pending', 'overdue')", logger: logger)
        for try await receiver in pending.decode(UUID.self) { recipients.append(receiver) }
        var data: [String: String?] = ["reason": reason, "event_id": effect.eventID.uuidString.lowercased()]
        if let slug = escalationActors[effect.pathway], let escalation = try await CaseSQL.actorID(slug: slug, on: connection, logger: logger) {
            recipients.append(escalation)
            data["to_actor"] = slug
        }
        try await Timeline.append(caseID: found.id, kind: "escalated", actorID: nil, data: data, on: connection, logger: logger)
        try await Notifications.send(
            "case.escalated", to: recipients, caseID: found.id, data: ["event_id": effect.eventID.uuidString.lowercased()], on: connection, logger: logger)
    }

    private func openCase(pathway: String) async throws -> (id: UUID, responsible: UUID)? {
        let rows = try await connection.query(
            """
            SELECT id, responsible_actor_id FROM cases WHERE citizen_id = \(citizenID) AND pathway = \(pathway) AND status = 'open'
            FOR NO KEY UPDATE
            """,
            logger: logger
        )
        for try await row in rows.decode((UUID, UUID).self) { return row }
        return nil
    }

    private func actor(for resolved: ResolvedActor) async throws -> (id: UUID, slug: String)? {
        let entry: ActorDirectory.Entry?
        switch resolved {
        case .slug(let slug): entry = try await actors.actor(slug: slug, on: connection, logger: logger)
        case .municipality(let code): entry = try await actors.municipality(code: code, on: connection, logger: logger)
        case .unknownMunicipality: entry = nil
        }
        return entry.map { ($0.id, $0.slug) }
    }

    private func recorded(slot: String) async throws -> (value: String, handoffID: UUID?)? {
        let rows = try await connection.query(
            "SELECT value, handoff_id FROM applied_effects WHERE citizen_id = \(citizenID) AND slot = \(slot)", logger: logger)
        for try await row in rows.decode((String, UUID?).self) { return row }
        return nil
    }

    private func record(_ effect: PlannedEffect, _ result: EffectOutcome) async throws {
        try await connection.query(
            """
            INSERT INTO applied_effects (citizen_id, slot, value, event_id, case_id, handoff_id, outcome)
            VALUES (\(citizenID), \(effect.slot), \(effect.value), \(postedEventID), \(result.caseID), \(result.handoffID), \(result.status))
            ON CONFLICT (citizen_id, slot) DO UPDATE SET value = EXCLUDED.value, event_id = EXCLUDED.event_id, case_id = EXCLUDED.case_id,
                handoff_id = EXCLUDED.handoff_id, outcome = EXCLUDED.outcome, applied_at = now()
            """,
            logger: logger
        )
    }

    private func outcome(_ effect: PlannedEffect, _ status: String, reason: String? = nil) -> EffectOutcome {
        var result = EffectOutcome(effect: effect.action.name, pathway: effect.pathway, status: status, triggeredBy: effect.eventID)
        result.reason = reason
        return result
    }
}

extension PlannedAction {
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
