import Foundation
import IndgangCore
import PostgresNIO

public struct PostgresOutcomeRepository: OutcomeRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// One pass over the measure's index range (`outcome_episodes_figures`, index-only): each episode is
    /// classified against the window and `asOf` exactly as `OutcomeEpisode.status` does, then counted.
    public func counts(_ query: OutcomeQuery) async throws -> [OutcomeCounts] {
        let key: String
        switch query.split {
        case .none: key = "'all'"
        case .month: key = "to_char(on_date, 'YYYY-MM')"
        case .municipality: key = "coalesce(municipality_code, 'unknown')"
        case .actor: key = "coalesce(actor_id::text, 'unknown')"
        case .age: key = "age::text"
        case .period: key = "CASE WHEN on_date < p.split_on THEN 'before' ELSE 'from' END"
        }
        let split: String
        if case .period(let date) = query.split { split = date.description } else { split = query.from.description }
        let kinds = (query.actorKinds.isEmpty ? ActorKind.allCases : query.actorKinds).map(\.rawValue)
        let rows = try await database.client.query(
            """
            SELECT k, (count(*) FILTER (WHERE complete AND positive))::bigint,
                      (count(*) FILTER (WHERE complete AND (positive OR NOT died_in)))::bigint, count(*)::bigint
            FROM (
                SELECT \(unescaped: key) AS k, e.at + p.span <= p.as_of AS complete,
                       coalesce(e.outcome_at <= e.at + p.span, false) AS positive, coalesce(e.died_at <= e.at + p.span, false) AS died_in
                FROM outcome_episodes e,
                     (SELECT make_interval(secs => \(query.windowDays) * 86400.0) AS span, \(query.asOf)::timestamptz AS as_of,
                             \(split)::date AS split_on) p
                WHERE e.measure = \(query.measure.rawValue) AND e.on_date BETWEEN \(query.from.description)::date AND \(query.to.description)::date
                  AND e.age BETWEEN \(query.minimumAge) AND \(query.maximumAge) AND coalesce(e.actor_kind, 'other') = ANY(\(kinds)::text[])
                  AND (\(query.actor)::uuid IS NULL OR e.actor_id = \(query.actor))
                  AND (\(query.municipality)::text IS NULL OR e.municipality_code = \(query.municipality))
            ) classified
            GROUP BY k ORDER BY k
            """,
            logger: database.logger
        )
        var counts: [OutcomeCounts] = []
        for try await (key, numerator, denominator, total) in rows.decode((String, Int64, Int64, Int64).self) {
            counts.append(OutcomeCounts(key: key, numerator: Int(numerator), denominator: Int(denominator), censored: Int(total - denominator)))
        }
        guard query.split == .actor else { return counts }
        let slugs = try await slugs(of: counts.compactMap { UUID(uuidString: $0.key) })
        return counts.map {
            OutcomeCounts(key: UUID(uuidString: $0.key).flatMap { slugs[$0] } ?? "unknown", numerator: $0.numerator, denominator: $0.denominator,
                          censored: $0.censored)
        }.sorted { $0.key < $1.key }
    }

    public func handoffCounts(_ query: HandoffOutcomeQuery) async throws -> [HandoffCounts] {
        let key: String
        switch query.split {
        case .none, .actor, .period: key = "'all'"
        case .month: key = "to_char(h.requested_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM')"
        case .municipality: key = "coalesce(ta.municipality_code, fa.municipality_code, 'unknown')"
        case .age: key = Self.ageBand("date_part('year', age((h.requested_at AT TIME ZONE 'Europe/Copenhagen')::date, ci.birth_date))")
        }
        let rows = try await database.client.query(
            """
            SELECT \(unescaped: key) AS k, c.pathway, fa.slug, ta.slug, count(*)::bigint,
                   (count(*) FILTER (WHERE h.status = 'accepted'))::bigint, (count(*) FILTER (WHERE h.status = 'rejected'))::bigint,
                   (count(*) FILTER (WHERE h.overdue_at IS NOT NULL))::bigint,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.decided_at - h.requested_at)::float8)
                       FILTER (WHERE h.status = 'accepted'),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM h.decided_at - h.requested_at)::float8)
                       FILTER (WHERE h.status = 'accepted')
            FROM handoffs h
            JOIN cases c ON c.id = h.case_id
            JOIN citizens ci ON ci.id = c.citizen_id
            JOIN actors fa ON fa.id = h.from_actor_id
            JOIN actors ta ON ta.id = h.to_actor_id
            WHERE h.requested_at >= (\(query.from.description)::date)::timestamp AT TIME ZONE 'Europe/Copenhagen'
              AND h.requested_at < (\(query.to.description)::date + 1)::timestamp AT TIME ZONE 'Europe/Copenhagen'
              AND (\(query.pathway)::text IS NULL OR c.pathway = \(query.pathway))
              AND (\(query.actor)::uuid IS NULL OR h.from_actor_id = \(query.actor) OR h.to_actor_id = \(query.actor))
              AND (\(query.municipality)::text IS NULL OR \(query.municipality) IN (fa.municipality_code, ta.municipality_code))
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            """,
            logger: database.logger
        )
        var counts: [HandoffCounts] = []
        for try await (key, pathway, from, to, requested, accepted, rejected, overdue, median, p90) in rows.decode(
            (String, String, String, String, Int64, Int64, Int64, Int64, Double?, Double?).self)
        {
            counts.append(
                HandoffCounts(
                    key: key, pathway: pathway, fromActor: from, toActor: to, requested: Int(requested), accepted: Int(accepted),
                    rejected: Int(rejected), overdue: Int(overdue), medianSecondsToAccept: median, p90SecondsToAccept: p90))
        }
        return counts
    }

    public func rebuild(batchSize: Int, progress: @Sendable (Int) -> Void) async throws -> Int {
        var after = IngestWrites.noID
        var done = 0
        let directory = ActorDirectory()
        while true {
            let batch: [UUID] = try await database.transaction { connection in
                let rows = try await connection.query(
                    "SELECT id, birth_date::text FROM citizens WHERE id > \(after) ORDER BY id LIMIT \(batchSize)", logger: database.logger)
                var citizens: [(UUID, CalendarDate)] = []
                for try await (id, born) in rows.decode((UUID, String).self) {
                    if let date = CalendarDate(iso: born) { citizens.append((id, date)) }
                }
                guard !citizens.isEmpty else { return [] }
                // The ingest path's lock, so no event of these citizens commits while their facts are replaced.
                try await connection.query(
                    """
                    SELECT pg_advisory_xact_lock(k) FROM (
                        SELECT ('x' || encode(substr(cpr_index, 1, 8), 'hex'))::bit(64)::bigint AS k
                        FROM citizens WHERE id = ANY(\(citizens.map(\.0))::uuid[]) ORDER BY 1) AS ordered
                    """,
                    logger: database.logger)
                let histories = try await CitizenSQL.histories(of: citizens.map(\.0), on: connection, logger: database.logger)
                var writes = IngestWrites()
                for (id, born) in citizens {
                    writes.outcomeCitizens.append(id)
                    for episode in OutcomeFacts.episodes(birthDate: born, history: histories[id] ?? []) {
                        var actorID: UUID?
                        if let slug = episode.actorSlug { actorID = try await directory.actor(slug: slug, on: connection, logger: database.logger)?.id }
                        writes.outcomes.append(.init(citizen: id, episode: episode, actor: actorID))
                    }
                }
                try await writes.flush(on: connection, logger: database.logger)
                return citizens.map(\.0)
            }
            guard let last = batch.last else { return done }
            after = last
            done += batch.count
            progress(done)
        }
    }

    /// `AgeBand` in SQL, for an expression giving the age in years.
    static func ageBand(_ age: String) -> String {
        let bands = AgeBand.allCases.dropFirst().map { "WHEN \(age) < \($0.lowerAge) THEN '\(AgeBand(age: $0.lowerAge - 1).rawValue)'" }
        return "CASE \(bands.joined(separator: " ")) ELSE '\(AgeBand.allCases.last!.rawValue)' END"
    }

    private func slugs(of ids: [UUID]) async throws -> [UUID: String] {
        let rows = try await database.client.query("SELECT id, slug FROM actors WHERE id = ANY(\(ids)::uuid[])", logger: database.logger)
        var slugs: [UUID: String] = [:]
        for try await (id, slug) in rows.decode((UUID, String).self) { slugs[id] = slug }
        return slugs
    }
}
