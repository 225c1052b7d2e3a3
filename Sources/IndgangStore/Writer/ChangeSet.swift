import Foundation
import IndgangCore
import Logging
import PostgresNIO

/// Everything one transaction writes, gathered in memory and then written in a handful of set-based statements
/// (`unnest` of arrays), whatever the number of rows: the shape that makes a batch of a thousand events cost about
/// as many round trips as one. The one writer of timeline entries, notifications (the outbox) and the audit rows
/// of changes — for ingest, the caseworkers' commands, the deadline sweeper and `outcomes rebuild` alike.
struct ChangeSet {
    struct NewCitizen { let id: UUID; let index: Data; let sealed: Data; let birthDate: String }
    struct NewCase { let id: UUID; let citizen: UUID; let pathway: String; var variant: VariantReference? = nil; let responsible: UUID }
    struct NewHandoff { let id: UUID; let caseID: UUID; let from: UUID; let to: UUID; let reason: String; let dueAt: Date }
    struct CaseChange {
        var versionBump = 0; var flags: [String]? = nil; var closeOutcome: String? = nil
        /// The variant the case runs under, corrected (`.some(nil)`: the base).
        var variant: VariantReference?? = nil
    }
    struct TimelineRow { let caseID: UUID; let kind: TimelineKind; let actor: UUID?; let data: String }
    struct NotificationRow { let id: UUID; let actor: UUID; let kind: NotificationKind; let caseID: UUID; let handoffID: UUID?; let data: String }
    struct AppliedRow { let citizen: UUID; let slot: String; let value: String; let event: UUID; let caseID: UUID?; let handoffID: UUID?; let outcome: String }
    struct EventRow {
        let id: UUID; let source: String; let externalID: String; let type: String; let occurredAt: Date; let citizen: UUID; let actor: UUID?
        let postingActor: UUID?; let attributes: String; let digest: Data; let result: String; let key: UUID?
        /// The event an `event.retracted`/`event.corrected` envelope amends.
        var amends: UUID? = nil
    }
    var citizens: [NewCitizen] = []
    var cases: [NewCase] = []
    var handoffs: [NewHandoff] = []
    /// Handoffs to cancel, with the reason (cancelled before cases close, as the case trigger demands).
    var cancellations: [(id: UUID, reason: String)] = []
    var caseChanges: [UUID: CaseChange] = [:]
    var timeline: [TimelineRow] = []
    var notifications: [NotificationRow] = []
    var applied: [AppliedRow] = []
    /// Effect slots that no longer follow from the history (their event was retracted or corrected): forgotten,
    /// unless applied again in the same transaction.
    var forgotten: [(citizen: UUID, slot: String)] = []
    var municipalities: [UUID: String] = [:]
    var events: [EventRow] = []
    var audits: [AuditRow] = []
    /// Citizens whose outcome facts are replaced by `outcomes` (which may hold none of theirs).
    var outcomeCitizens: [UUID] = []
    var outcomes: [OutcomeRow] = []
    /// (case, event) pairs whose `event_received` entry is written already.
    var receivedLogged: Set<Received> = []

    /// A case's `event_received` entry for an event.
    struct Received: Hashable { let caseID: UUID; let eventID: UUID }

    /// An effect slot of a citizen.
    struct Slot: Hashable { let citizen: UUID; let slot: String }

    struct OutcomeRow { let citizen: UUID; let episode: OutcomeEpisode; let actor: UUID? }

    static let noID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    mutating func addTimeline(_ caseID: UUID, _ kind: TimelineKind, actor: UUID? = nil, _ data: [String: String?]) {
        timeline.append(TimelineRow(caseID: caseID, kind: kind, actor: actor, data: Self.json(data)))
    }

    /// An audit row for the change `access` makes.
    mutating func audit(_ action: AuditAction, citizenID: UUID?, caseID: UUID? = nil, details: String? = nil, access: AccessContext) {
        audits.append(AuditRow(action, citizenID: citizenID, caseID: caseID, details: details, access: access))
    }

    mutating func notify(_ kind: NotificationKind, to actors: [UUID?], caseID: UUID, handoffID: UUID? = nil, _ data: [String: String] = [:]) {
        // Each actor once, in first-mention order, without the absent ones (an optional handoff receiver, say).
        var seen = Set<UUID>()
        for actor in actors.compactMap({ $0 }) where seen.insert(actor).inserted {
            notifications.append(NotificationRow(id: UUID.v7(), actor: actor, kind: kind, caseID: caseID, handoffID: handoffID, data: Self.json(data)))
        }
    }

    /// The case's timeline shows each event that affected it, once per ingest: type, source and time (never
    /// free text or CPR), so a late event or a corrected time is visible.
    /// An amendment's entry also names the event it amends and, for a corrected time, the new one.
    mutating func eventReceived(_ caseID: UUID, _ event: CitizenEvent, amending target: (id: UUID, correctedTime: Date?)? = nil) {
        guard receivedLogged.insert(Received(caseID: caseID, eventID: event.id)).inserted else { return }
        var data: [String: String?] = [
            "event_id": event.id.lowercasedString, "type": event.type.rawValue, "source": event.source,
            "occurred_at": RFC3339.format(event.occurredAt),
        ]
        if let target {
            data["amends_event_id"] = target.id.lowercasedString
            data["corrected_occurred_at"] = target.correctedTime.map(RFC3339.format)
        }
        addTimeline(caseID, .eventReceived, data)
    }

    /// Adds what another set of writes gathered (a retried effect's).
    mutating func merge(_ other: ChangeSet) {
        citizens += other.citizens
        cases += other.cases
        handoffs += other.handoffs
        cancellations += other.cancellations
        for (caseID, change) in other.caseChanges {
            var merged = caseChanges[caseID, default: CaseChange()]
            merged.versionBump += change.versionBump
            merged.flags = change.flags ?? merged.flags
            merged.closeOutcome = change.closeOutcome ?? merged.closeOutcome
            merged.variant = change.variant ?? merged.variant
            caseChanges[caseID] = merged
        }
        timeline += other.timeline
        receivedLogged.formUnion(other.receivedLogged)
        notifications += other.notifications
        applied += other.applied
        forgotten += other.forgotten
        municipalities.merge(other.municipalities) { _, new in new }
        events += other.events
        audits += other.audits
        outcomeCitizens += other.outcomeCitizens
        outcomes += other.outcomes
    }

    mutating func bumpVersion(_ caseID: UUID) {
        caseChanges[caseID, default: CaseChange()].versionBump += 1
    }

    static func json(_ value: some Encodable) -> String {
        (try? String(decoding: JSONEncoder.sorted.encode(value), as: UTF8.self)) ?? "{}"
    }

    // The JSON every ingested event writes (timeline data, notification data, its attributes and result), by
    // `JSONText`: through JSONEncoder these were 22 % of the server's CPU in a batch of acute admissions.
    static func json(_ data: [String: String?]) -> String {
        JSONText.string(.object(data.map { ($0.key, $0.value.map(JSONText.Value.string) ?? .null) }))
    }

    static func json(_ data: [String: String]) -> String {
        JSONText.string(.object(data.map { ($0.key, .string($0.value)) }))
    }

    static func json(_ result: IngestResult) -> String {
        JSONText.string(result.json)
    }

    // MARK: - Writing

    /// Writes in dependency order: citizens and cases, then handoffs (their trigger reads the case), then
    /// cancellations before case updates (a case with an open handoff cannot close), then the rest at once.
    func flush(on connection: PostgresConnection, logger: Logger) async throws {
        if !citizens.isEmpty || !cases.isEmpty {
            try await connection.run(InsertCitizensAndCases(self), logger: logger)
        }
        // Existing handoffs are cancelled before new ones are made (one open handoff per case); a handoff made and
        // cancelled in this same session (a discharge, then a death or a late move) is stored cancelled at once.
        let created = Set(handoffs.map(\.id))
        try await cancel(cancellations.filter { !created.contains($0.id) }, on: connection, logger: logger)
        if !handoffs.isEmpty {
            try await connection.run(InsertHandoffs(self), logger: logger)
        }
        if !caseChanges.isEmpty {
            let changes = caseChanges.sorted { $0.key < $1.key }
            try await connection.query(
                """
                UPDATE cases c SET version = c.version + u.bump,
                    flags = CASE WHEN u.set_flags THEN string_to_array(u.flags, ',') ELSE c.flags END,
                    status = CASE WHEN u.outcome <> '' THEN 'closed' ELSE c.status END,
                    closed_at = CASE WHEN u.outcome <> '' THEN now() ELSE c.closed_at END,
                    close_outcome = CASE WHEN u.outcome <> '' THEN u.outcome ELSE c.close_outcome END,
                    pathway_variant = CASE WHEN u.set_variant THEN nullif(u.variant, '') ELSE c.pathway_variant END,
                    pathway_version = CASE WHEN u.set_variant THEN nullif(u.variant_version, 0) ELSE c.pathway_version END
                FROM unnest(\(changes.map(\.key))::uuid[], \(changes.map { $0.value.versionBump })::int[],
                            \(changes.map { $0.value.flags != nil })::bool[], \(changes.map { ($0.value.flags ?? []).joined(separator: ",") })::text[],
                            \(changes.map { $0.value.closeOutcome ?? "" })::text[], \(changes.map { $0.value.variant != nil })::bool[],
                            \(changes.map { ($0.value.variant ?? nil)?.id ?? "" })::text[], \(changes.map { ($0.value.variant ?? nil)?.version ?? 0 })::int[])
                     AS u(id, bump, set_flags, flags, outcome, set_variant, variant, variant_version)
                WHERE c.id = u.id
                """,
                logger: logger
            )
        }
        try await forget(on: connection, logger: logger)
        try await connection.run(InsertRecords(self), logger: logger)
    }
}

extension ChangeSet {
    /// Deletes the forgotten slots that were not applied again later in the same transaction (a second
    /// correction that restores them).
    private func forget(on connection: PostgresConnection, logger: Logger) async throws {
        let reapplied = Set(applied.map { Slot(citizen: $0.citizen, slot: $0.slot) })
        let slots = forgotten.filter { !reapplied.contains(Slot(citizen: $0.citizen, slot: $0.slot)) }
        guard !slots.isEmpty else { return }
        try await connection.query(
            """
            DELETE FROM applied_effects a USING unnest(\(slots.map(\.citizen))::uuid[], \(slots.map(\.slot))::text[]) AS f(citizen_id, slot)
            WHERE a.citizen_id = f.citizen_id AND a.slot = f.slot
            """,
            logger: logger
        )
    }

    private func cancel(_ cancellations: [(id: UUID, reason: String)], on connection: PostgresConnection, logger: Logger) async throws {
        guard !cancellations.isEmpty else { return }
        try await connection.query(
            """
            UPDATE handoffs h SET status = 'cancelled', decided_at = now(), decision_reason = u.reason
            FROM unnest(\(cancellations.map(\.id))::uuid[], \(cancellations.map(\.reason))::text[]) AS u(id, reason)
            WHERE h.id = u.id AND h.status IN ('pending', 'overdue')
            """,
            logger: logger
        )
    }
}

extension JSONEncoder {
    /// Deterministic output (sorted keys), built once.
    static let sorted: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}
