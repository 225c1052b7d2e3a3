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
    var receivedLogged: Set<String> = []

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
        guard receivedLogged.insert(Self.receivedKey(caseID, event.id)).inserted else { return }
        var data: [String: String?] = [
            "event_id": event.id.uuidString.lowercased(), "type": event.type.rawValue, "source": event.source,
            "occurred_at": RFC3339.format(event.occurredAt),
        ]
        if let target {
            data["amends_event_id"] = target.id.uuidString.lowercased()
            data["corrected_occurred_at"] = target.correctedTime.map(RFC3339.format)
        }
        addTimeline(caseID, .eventReceived, data)
    }

    static func receivedKey(_ caseID: UUID, _ eventID: UUID) -> String { "\(caseID)|\(eventID)" }

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
            try await connection.query(
                """
                WITH new_citizens AS (
                    INSERT INTO citizens (id, cpr_index, cpr_sealed, birth_date)
                    SELECT id, idx, sealed, born::date
                    FROM unnest(\(citizens.map(\.id))::uuid[], \(citizens.map { ByteBuffer(bytes: $0.index) })::bytea[],
                                \(citizens.map { ByteBuffer(bytes: $0.sealed) })::bytea[],
                                \(citizens.map(\.birthDate))::text[]) AS c(id, idx, sealed, born))
                INSERT INTO cases (id, citizen_id, pathway, pathway_variant, pathway_version, responsible_actor_id)
                SELECT id, citizen, pathway, nullif(variant, ''), nullif(version, 0), responsible
                FROM unnest(\(cases.map(\.id))::uuid[], \(cases.map(\.citizen))::uuid[], \(cases.map(\.pathway))::text[],
                            \(cases.map { $0.variant?.id ?? "" })::text[], \(cases.map { $0.variant?.version ?? 0 })::int[],
                            \(cases.map(\.responsible))::uuid[]) AS n(id, citizen, pathway, variant, version, responsible)
                """,
                logger: logger
            )
        }
        // Existing handoffs are cancelled before new ones are made (one open handoff per case); a handoff made and
        // cancelled in this same session (a discharge, then a death or a late move) is stored cancelled at once.
        let created = Set(handoffs.map(\.id))
        try await cancel(cancellations.filter { !created.contains($0.id) }, on: connection, logger: logger)
        if !handoffs.isEmpty {
            let cancelledAtBirth = Dictionary(cancellations.filter { created.contains($0.id) }.map { ($0.id, $0.reason) }, uniquingKeysWith: { first, _ in first })
            try await connection.query(
                """
                INSERT INTO handoffs (id, case_id, from_actor_id, to_actor_id, reason, due_at, status, decided_at, decision_reason)
                SELECT id, case_id, from_actor_id, to_actor_id, reason, due_at,
                       CASE WHEN cancelled = '' THEN 'pending' ELSE 'cancelled' END, CASE WHEN cancelled = '' THEN NULL ELSE now() END,
                       NULLIF(cancelled, '')
                FROM unnest(\(handoffs.map(\.id))::uuid[], \(handoffs.map(\.caseID))::uuid[], \(handoffs.map(\.from))::uuid[],
                            \(handoffs.map(\.to))::uuid[], \(handoffs.map(\.reason))::text[], \(handoffs.map(\.dueAt))::timestamptz[],
                            \(handoffs.map { cancelledAtBirth[$0.id] ?? "" })::text[])
                     AS t(id, case_id, from_actor_id, to_actor_id, reason, due_at, cancelled)
                """,
                logger: logger
            )
        }
        if !caseChanges.isEmpty {
            let changes = caseChanges.sorted { $0.key.uuidString < $1.key.uuidString }
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
        // The rest has no triggers that read each other: one statement.
        let municipalities = self.municipalities.sorted { $0.key.uuidString < $1.key.uuidString }
        // A slot written twice in one transaction (skipped, then applied when a later event of the batch made it
        // possible) keeps its last record: one statement's ON CONFLICT may touch a row only once.
        var lastBySlot: [String: Int] = [:]
        for (index, row) in self.applied.enumerated() { lastBySlot["\(row.citizen)|\(row.slot)"] = index }
        let applied = self.applied.indices.filter { lastBySlot["\(self.applied[$0].citizen)|\(self.applied[$0].slot)"] == $0 }.map { self.applied[$0] }
        try await connection.query(
            """
            WITH timeline AS (
                INSERT INTO case_timeline (case_id, kind, actor_id, data)
                SELECT case_id, kind, NULLIF(actor_id, \(Self.noID)), data::jsonb
                FROM unnest(\(timeline.map(\.caseID))::uuid[], \(timeline.map(\.kind.rawValue))::text[], \(timeline.map { $0.actor ?? Self.noID })::uuid[],
                            \(timeline.map(\.data))::text[]) WITH ORDINALITY AS t(case_id, kind, actor_id, data, n) ORDER BY n),
            notified AS (
                INSERT INTO notifications (id, actor_id, kind, case_id, handoff_id, data)
                SELECT id, actor_id, kind, case_id, NULLIF(handoff_id, \(Self.noID)), data::jsonb
                FROM unnest(\(notifications.map(\.id))::uuid[], \(notifications.map(\.actor))::uuid[], \(notifications.map(\.kind.rawValue))::text[],
                            \(notifications.map(\.caseID))::uuid[], \(notifications.map { $0.handoffID ?? Self.noID })::uuid[],
                            \(notifications.map(\.data))::text[]) WITH ORDINALITY AS t(id, actor_id, kind, case_id, handoff_id, data, n) ORDER BY n),
            effects AS (
                INSERT INTO applied_effects (citizen_id, slot, value, event_id, case_id, handoff_id, outcome)
                SELECT citizen_id, slot, value, event_id, NULLIF(case_id, \(Self.noID)), NULLIF(handoff_id, \(Self.noID)), outcome
                FROM unnest(\(applied.map(\.citizen))::uuid[], \(applied.map(\.slot))::text[], \(applied.map(\.value))::text[],
                            \(applied.map(\.event))::uuid[], \(applied.map { $0.caseID ?? Self.noID })::uuid[],
                            \(applied.map { $0.handoffID ?? Self.noID })::uuid[], \(applied.map(\.outcome))::text[])
                     AS t(citizen_id, slot, value, event_id, case_id, handoff_id, outcome)
                ON CONFLICT (citizen_id, slot) DO UPDATE SET value = EXCLUDED.value, event_id = EXCLUDED.event_id, case_id = EXCLUDED.case_id,
                    handoff_id = EXCLUDED.handoff_id, outcome = EXCLUDED.outcome, applied_at = now()),
            moved AS (
                UPDATE citizens c SET municipality_code = NULLIF(u.code, '')
                FROM unnest(\(municipalities.map(\.key))::uuid[], \(municipalities.map(\.value))::text[]) AS u(id, code) WHERE c.id = u.id),
            stored AS (
                INSERT INTO events (id, source, external_id, type, occurred_at, citizen_id, actor_id, attributes, body_digest, result, posted_by_key,
                                    posting_actor_id, amends_event_id)
                SELECT id, source, external_id, type, occurred_at, citizen_id, NULLIF(actor_id, \(Self.noID)), attributes::jsonb, digest,
                       result::jsonb, NULLIF(key_id, \(Self.noID)), NULLIF(posting_actor_id, \(Self.noID)), NULLIF(amends, \(Self.noID))
                FROM unnest(\(events.map(\.id))::uuid[], \(events.map(\.source))::text[], \(events.map(\.externalID))::text[],
                            \(events.map(\.type))::text[], \(events.map(\.occurredAt))::timestamptz[], \(events.map(\.citizen))::uuid[],
                            \(events.map { $0.actor ?? Self.noID })::uuid[], \(events.map(\.attributes))::text[], \(events.map { ByteBuffer(bytes: $0.digest) })::bytea[],
                            \(events.map(\.result))::text[], \(events.map { $0.key ?? Self.noID })::uuid[],
                            \(events.map { $0.postingActor ?? Self.noID })::uuid[], \(events.map { $0.amends ?? Self.noID })::uuid[])
                     AS t(id, source, external_id, type, occurred_at, citizen_id, actor_id, attributes, digest, result, key_id, posting_actor_id,
                          amends)),
            outcomes_replaced AS (
                DELETE FROM outcome_episodes WHERE citizen_id = ANY(\(outcomeCitizens)::uuid[])
                RETURNING measure, on_date, actor_id, actor_kind, municipality_code, age, at, outcome_at, died_at),
            outcomes AS (
                INSERT INTO outcome_episodes (measure, citizen_id, event_id, at, on_date, actor_id, actor_kind, municipality_code, age, outcome_at,
                                              died_at)
                SELECT measure, citizen_id, event_id, at, (at AT TIME ZONE 'Europe/Copenhagen')::date, NULLIF(actor_id, \(Self.noID)),
                       NULLIF(actor_kind, ''), NULLIF(municipality_code, ''), age, NULLIF(outcome_at, '')::timestamptz,
                       NULLIF(died_at, '')::timestamptz
                FROM unnest(\(outcomes.map(\.episode.measure.rawValue))::text[], \(outcomes.map(\.citizen))::uuid[],
                            \(outcomes.map(\.episode.eventID))::uuid[], \(outcomes.map(\.episode.at))::timestamptz[],
                            \(outcomes.map { $0.actor ?? Self.noID })::uuid[], \(outcomes.map { $0.episode.actorKind?.rawValue ?? "" })::text[],
                            \(outcomes.map { $0.episode.municipalityCode ?? "" })::text[], \(outcomes.map(\.episode.age))::int[],
                            \(outcomes.map { $0.episode.outcomeAt.map(RFC3339.format) ?? "" })::text[],
                            \(outcomes.map { $0.episode.diedAt.map(RFC3339.format) ?? "" })::text[])
                     AS t(measure, citizen_id, event_id, at, actor_id, actor_kind, municipality_code, age, outcome_at, died_at)
                RETURNING measure, on_date, actor_id, actor_kind, municipality_code, age, at, outcome_at, died_at),
            -- The net change to the pre-aggregated counts, at both grains: replacing a citizen's facts by equal ones adds nothing.
            outcome_deltas AS (
                INSERT INTO outcome_counts (measure, grain, on_date, actor_id, actor_kind, municipality_code, age_band, episodes, positive, died_first)
                SELECT measure, g.grain, outcome_grain_date(g.grain, on_date), actor_id, actor_kind, municipality_code, outcome_age_band(age),
                       sum(sign), sum(sign * positive), sum(sign * died_first)
                FROM (SELECT d.*, outcome_positive(d.at, d.outcome_at, w.span)::int AS positive,
                             outcome_died_first(d.at, d.outcome_at, d.died_at, w.span)::int AS died_first
                      FROM (SELECT -1 AS sign, * FROM outcomes_replaced UNION ALL SELECT 1, * FROM outcomes) d
                      CROSS JOIN LATERAL (SELECT outcome_standard_window(d.measure) AS span) w) c
                CROSS JOIN (VALUES ('day'), ('month')) AS g(grain)
                GROUP BY 1, 2, 3, 4, 5, 6, 7
                HAVING sum(sign) <> 0 OR sum(sign * positive) <> 0 OR sum(sign * died_first) <> 0)
            INSERT INTO audit_log (key_id, actor_id, role, action, citizen_id, case_id, purpose, request_id, details)
            SELECT NULLIF(key_id, \(Self.noID)), NULLIF(actor_id, \(Self.noID)), role, action, NULLIF(citizen_id, \(Self.noID)),
                   NULLIF(case_id, \(Self.noID)), purpose, NULLIF(request_id, ''), NULLIF(details, '')::jsonb
            FROM unnest(\(audits.map { $0.key ?? Self.noID })::uuid[], \(audits.map { $0.actor ?? Self.noID })::uuid[], \(audits.map(\.role))::text[],
                        \(audits.map(\.action.rawValue))::text[], \(audits.map { $0.citizen ?? Self.noID })::uuid[],
                        \(audits.map { $0.caseID ?? Self.noID })::uuid[], \(audits.map(\.purpose))::text[], \(audits.map { $0.requestID ?? "" })::text[],
                        \(audits.map { $0.details ?? "" })::text[])
                 AS t(key_id, actor_id, role, action, citizen_id, case_id, purpose, request_id, details)
            """,
            logger: logger
        )
    }
}

extension ChangeSet {
    /// Deletes the forgotten slots that were not applied again later in the same transaction (a second
    /// correction that restores them).
    private func forget(on connection: PostgresConnection, logger: Logger) async throws {
        let reapplied = Set(applied.map { "\($0.citizen)|\($0.slot)" })
        let slots = forgotten.filter { !reapplied.contains("\($0.citizen)|\($0.slot)") }
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
