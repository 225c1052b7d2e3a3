import Foundation
import IndgangCore
import PostgresNIO

// The statements `ChangeSet.flush` runs for every ingest chunk and command, prepared once per connection.
extension ChangeSet {
    /// New citizens and their new cases (the cases' trigger opens their responsibility periods).
    struct InsertCitizensAndCases: PreparedQuery {
        typealias Row = ()
        static let name = "indgang_insert_citizens_and_cases"
        static let sql = InsertCitizensAndCases(ChangeSet()).query.sql
        let query: PostgresQuery

        init(_ writes: ChangeSet) {
            query = """
            WITH new_citizens AS (
                INSERT INTO citizens (id, cpr_index, cpr_sealed, birth_date)
                SELECT id, idx, sealed, born::date
                FROM unnest(\(writes.citizens.map(\.id))::uuid[], \(writes.citizens.map { ByteBuffer(bytes: $0.index) })::bytea[],
                            \(writes.citizens.map { ByteBuffer(bytes: $0.sealed) })::bytea[],
                            \(writes.citizens.map(\.birthDate))::text[]) AS c(id, idx, sealed, born))
            INSERT INTO cases (id, citizen_id, pathway, pathway_variant, pathway_version, responsible_actor_id)
            SELECT id, citizen, pathway, nullif(variant, ''), nullif(version, 0), responsible
            FROM unnest(\(writes.cases.map(\.id))::uuid[], \(writes.cases.map(\.citizen))::uuid[], \(writes.cases.map(\.pathway))::text[],
                        \(writes.cases.map { $0.variant?.id ?? "" })::text[], \(writes.cases.map { $0.variant?.version ?? 0 })::int[],
                        \(writes.cases.map(\.responsible))::uuid[]) AS n(id, citizen, pathway, variant, version, responsible)
            """
        }
    }

    /// New handoffs; one made and cancelled in the same session is stored cancelled at once.
    struct InsertHandoffs: PreparedQuery {
        typealias Row = ()
        static let name = "indgang_insert_handoffs"
        static let sql = InsertHandoffs(ChangeSet()).query.sql
        let query: PostgresQuery

        init(_ writes: ChangeSet) {
            let created = Set(writes.handoffs.map(\.id))
            let cancelledAtBirth = Dictionary(
                writes.cancellations.filter { created.contains($0.id) }.map { ($0.id, $0.reason) }, uniquingKeysWith: { first, _ in first })
            query = """
            INSERT INTO handoffs (id, case_id, from_actor_id, to_actor_id, reason, due_at, status, decided_at, decision_reason)
            SELECT id, case_id, from_actor_id, to_actor_id, reason, due_at,
                   CASE WHEN cancelled = '' THEN 'pending' ELSE 'cancelled' END, CASE WHEN cancelled = '' THEN NULL ELSE now() END,
                   NULLIF(cancelled, '')
            FROM unnest(\(writes.handoffs.map(\.id))::uuid[], \(writes.handoffs.map(\.caseID))::uuid[], \(writes.handoffs.map(\.from))::uuid[],
                        \(writes.handoffs.map(\.to))::uuid[], \(writes.handoffs.map(\.reason))::text[], \(writes.handoffs.map(\.dueAt))::timestamptz[],
                        \(writes.handoffs.map { cancelledAtBirth[$0.id] ?? "" })::text[])
                 AS t(id, case_id, from_actor_id, to_actor_id, reason, due_at, cancelled)
            """
        }
    }

    /// Everything else, in one statement: none of these tables has a trigger that reads another's rows.
    struct InsertRecords: PreparedQuery {
        typealias Row = ()
        static let name = "indgang_insert_records"
        static let sql = InsertRecords(ChangeSet()).query.sql
        let query: PostgresQuery

        init(_ writes: ChangeSet) {
            let municipalities = writes.municipalities.sorted { $0.key < $1.key }
            // A slot written twice in one transaction (skipped, then applied when a later event of the batch made it
            // possible) keeps its last record: one statement's ON CONFLICT may touch a row only once.
            var lastBySlot: [Slot: Int] = [:]
            for (index, row) in writes.applied.enumerated() { lastBySlot[Slot(citizen: row.citizen, slot: row.slot)] = index }
            let applied = writes.applied.indices.filter { lastBySlot[Slot(citizen: writes.applied[$0].citizen, slot: writes.applied[$0].slot)] == $0 }
                .map { writes.applied[$0] }
            query = """
            WITH timeline AS (
                INSERT INTO case_timeline (case_id, kind, actor_id, data)
                SELECT case_id, kind, NULLIF(actor_id, \(ChangeSet.noID)), data::jsonb
                FROM unnest(\(writes.timeline.map(\.caseID))::uuid[], \(writes.timeline.map(\.kind.rawValue))::text[], \(writes.timeline.map { $0.actor ?? ChangeSet.noID })::uuid[],
                            \(writes.timeline.map(\.data))::text[]) WITH ORDINALITY AS t(case_id, kind, actor_id, data, n) ORDER BY n),
            notified AS (
                INSERT INTO notifications (id, actor_id, kind, case_id, handoff_id, data)
                SELECT id, actor_id, kind, case_id, NULLIF(handoff_id, \(ChangeSet.noID)), data::jsonb
                FROM unnest(\(writes.notifications.map(\.id))::uuid[], \(writes.notifications.map(\.actor))::uuid[], \(writes.notifications.map(\.kind.rawValue))::text[],
                            \(writes.notifications.map(\.caseID))::uuid[], \(writes.notifications.map { $0.handoffID ?? ChangeSet.noID })::uuid[],
                            \(writes.notifications.map(\.data))::text[]) WITH ORDINALITY AS t(id, actor_id, kind, case_id, handoff_id, data, n) ORDER BY n),
            effects AS (
                INSERT INTO applied_effects (citizen_id, slot, value, event_id, case_id, handoff_id, outcome)
                SELECT citizen_id, slot, value, event_id, NULLIF(case_id, \(ChangeSet.noID)), NULLIF(handoff_id, \(ChangeSet.noID)), outcome
                FROM unnest(\(applied.map(\.citizen))::uuid[], \(applied.map(\.slot))::text[], \(applied.map(\.value))::text[],
                            \(applied.map(\.event))::uuid[], \(applied.map { $0.caseID ?? ChangeSet.noID })::uuid[],
                            \(applied.map { $0.handoffID ?? ChangeSet.noID })::uuid[], \(applied.map(\.outcome))::text[])
                     AS t(citizen_id, slot, value, event_id, case_id, handoff_id, outcome)
                ON CONFLICT (citizen_id, slot) DO UPDATE SET value = EXCLUDED.value, event_id = EXCLUDED.event_id, case_id = EXCLUDED.case_id,
                    handoff_id = EXCLUDED.handoff_id, outcome = EXCLUDED.outcome, applied_at = now()),
            moved AS (
                UPDATE citizens c SET municipality_code = NULLIF(u.code, '')
                FROM unnest(\(municipalities.map(\.key))::uuid[], \(municipalities.map(\.value))::text[]) AS u(id, code) WHERE c.id = u.id),
            stored AS (
                INSERT INTO events (id, source, external_id, type, occurred_at, citizen_id, actor_id, attributes, body_digest, result, posted_by_key,
                                    posting_actor_id, amends_event_id)
                SELECT id, source, external_id, type, occurred_at, citizen_id, NULLIF(actor_id, \(ChangeSet.noID)), attributes::jsonb, digest,
                       result::jsonb, NULLIF(key_id, \(ChangeSet.noID)), NULLIF(posting_actor_id, \(ChangeSet.noID)), NULLIF(amends, \(ChangeSet.noID))
                FROM unnest(\(writes.events.map(\.id))::uuid[], \(writes.events.map(\.source))::text[], \(writes.events.map(\.externalID))::text[],
                            \(writes.events.map(\.type))::text[], \(writes.events.map(\.occurredAt))::timestamptz[], \(writes.events.map(\.citizen))::uuid[],
                            \(writes.events.map { $0.actor ?? ChangeSet.noID })::uuid[], \(writes.events.map(\.attributes))::text[], \(writes.events.map { ByteBuffer(bytes: $0.digest) })::bytea[],
                            \(writes.events.map(\.result))::text[], \(writes.events.map { $0.key ?? ChangeSet.noID })::uuid[],
                            \(writes.events.map { $0.postingActor ?? ChangeSet.noID })::uuid[], \(writes.events.map { $0.amends ?? ChangeSet.noID })::uuid[])
                     AS t(id, source, external_id, type, occurred_at, citizen_id, actor_id, attributes, digest, result, key_id, posting_actor_id,
                          amends)),
            outcomes_replaced AS (
                DELETE FROM outcome_episodes WHERE citizen_id = ANY(\(writes.outcomeCitizens)::uuid[])
                RETURNING measure, on_date, actor_id, actor_kind, municipality_code, age, at, outcome_at, died_at),
            outcomes AS (
                INSERT INTO outcome_episodes (measure, citizen_id, event_id, at, on_date, actor_id, actor_kind, municipality_code, age, outcome_at,
                                              died_at)
                SELECT measure, citizen_id, event_id, at, (at AT TIME ZONE 'Europe/Copenhagen')::date, NULLIF(actor_id, \(ChangeSet.noID)),
                       NULLIF(actor_kind, ''), NULLIF(municipality_code, ''), age, NULLIF(outcome_at, '')::timestamptz,
                       NULLIF(died_at, '')::timestamptz
                FROM unnest(\(writes.outcomes.map(\.episode.measure.rawValue))::text[], \(writes.outcomes.map(\.citizen))::uuid[],
                            \(writes.outcomes.map(\.episode.eventID))::uuid[], \(writes.outcomes.map(\.episode.at))::timestamptz[],
                            \(writes.outcomes.map { $0.actor ?? ChangeSet.noID })::uuid[], \(writes.outcomes.map { $0.episode.actorKind?.rawValue ?? "" })::text[],
                            \(writes.outcomes.map { $0.episode.municipalityCode ?? "" })::text[], \(writes.outcomes.map(\.episode.age))::int[],
                            \(writes.outcomes.map { $0.episode.outcomeAt.map(RFC3339.format) ?? "" })::text[],
                            \(writes.outcomes.map { $0.episode.diedAt.map(RFC3339.format) ?? "" })::text[])
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
            SELECT NULLIF(key_id, \(ChangeSet.noID)), NULLIF(actor_id, \(ChangeSet.noID)), role, action, NULLIF(citizen_id, \(ChangeSet.noID)),
                   NULLIF(case_id, \(ChangeSet.noID)), purpose, NULLIF(request_id, ''), NULLIF(details, '')::jsonb
            FROM unnest(\(writes.audits.map { $0.key ?? ChangeSet.noID })::uuid[], \(writes.audits.map { $0.actor ?? ChangeSet.noID })::uuid[], \(writes.audits.map(\.role))::text[],
                        \(writes.audits.map(\.action.rawValue))::text[], \(writes.audits.map { $0.citizen ?? ChangeSet.noID })::uuid[],
                        \(writes.audits.map { $0.caseID ?? ChangeSet.noID })::uuid[], \(writes.audits.map(\.purpose))::text[], \(writes.audits.map { $0.requestID ?? "" })::text[],
                        \(writes.audits.map { $0.details ?? "" })::text[])
                 AS t(key_id, actor_id, role, action, citizen_id, case_id, purpose, request_id, details)
            """
        }
    }
}
