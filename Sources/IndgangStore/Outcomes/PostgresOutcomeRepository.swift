import Foundation
import IndgangCore
import PostgresNIO

public struct PostgresOutcomeRepository: OutcomeRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Complete days come from the pre-aggregated `outcome_counts` (classified with the standard window when
    /// they were written, and final since), whole months from its month rows; the recent days whose follow-up
    /// may still be running, and any question the counts cannot answer (another window, an age range that cuts
    /// through a band), are classified from the facts exactly as `OutcomeEpisode.status` does. Both parts add
    /// up per group.
    public func counts(_ query: OutcomeQuery) async throws -> [OutcomeCounts] {
        let bands = AgeBand.covering(minimum: query.minimumAge, maximum: query.maximumAge)?.map(\.rawValue)
        // The last day on which every episode's follow-up has ended by `asOf`.
        let complete = CalendarDate(query.asOf.addingTimeInterval(-Double(query.windowDays) * 86_400)).adding(days: -1)
        let countedUntil = query.readsCounts ? min(query.to, complete) : query.from.adding(days: -1)
        let classifiedFrom = max(query.from, countedUntil.adding(days: 1))
        var boundary: CalendarDate?
        var segments = VariantSegments(baseKey: "", segments: [])
        switch query.split {
        case .period(let date): boundary = date
        case .variant(let variants): segments = variants
        default: break
        }
        let counted = OutcomeCountRanges(first: query.from, last: countedUntil, boundaries: (boundary.map { [$0] } ?? []) + segments.boundaries).ranges
        let variants = Self.segmentColumns(segments)
        let split = (boundary ?? query.from).description
        let kinds = (query.actorKinds.isEmpty ? ActorKind.allCases : query.actorKinds).map(\.rawValue)
        // The ranges' dates travel as text[] and are cast per row: a text[] → date[] cast is only stable, so the
        // planner could not see how many ranges there are, guessed ten and chose a sequential scan.
        let rows = try await database.client.query(
            """
            SELECT k, sum(numerator)::bigint, sum(denominator)::bigint, sum(total)::bigint FROM (
                SELECT \(unescaped: Self.groupKey(query.split, ageBand: "age_band")) AS k, sum(positive) AS numerator,
                       sum(episodes - died_first) AS denominator, sum(episodes) AS total
                FROM unnest(\(counted.map(\.grain.rawValue))::text[], \(counted.map(\.first.description))::text[],
                            \(counted.map(\.last.description))::text[]) AS r(grain, first_day, last_day)
                JOIN outcome_counts c ON c.measure = \(query.measure.rawValue) AND c.grain = r.grain
                                     AND c.on_date BETWEEN r.first_day::date AND r.last_day::date,
                     (SELECT \(split)::date AS split_on, \(variants.municipalities)::text[] AS seg_m, \(variants.from)::text[] AS seg_f,
                             \(variants.until)::text[] AS seg_u, \(variants.keys)::text[] AS seg_k, \(segments.baseKey) AS base_key) p
                WHERE age_band = ANY(\(bands ?? [])::text[]) AND coalesce(actor_kind, 'other') = ANY(\(kinds)::text[])
                  AND (\(query.actor)::uuid IS NULL OR actor_id = \(query.actor))
                  AND (\(query.municipality)::text IS NULL OR municipality_code = \(query.municipality))
                GROUP BY 1
                UNION ALL
                SELECT k, count(*) FILTER (WHERE complete AND positive), count(*) FILTER (WHERE complete AND NOT died_first), count(*)
                FROM (
                    SELECT \(unescaped: Self.groupKey(query.split, ageBand: "outcome_age_band(age)")) AS k, e.at + p.span <= p.as_of AS complete,
                           outcome_positive(e.at, e.outcome_at, p.span) AS positive, outcome_died_first(e.at, e.outcome_at, e.died_at, p.span) AS died_first
                    FROM outcome_episodes e,
                         (SELECT make_interval(secs => \(query.windowDays) * 86400.0) AS span, \(query.asOf)::timestamptz AS as_of,
                                 \(split)::date AS split_on, \(variants.municipalities)::text[] AS seg_m, \(variants.from)::text[] AS seg_f,
                                 \(variants.until)::text[] AS seg_u, \(variants.keys)::text[] AS seg_k, \(segments.baseKey) AS base_key) p
                    WHERE e.measure = \(query.measure.rawValue)
                      AND e.on_date BETWEEN \(classifiedFrom.description)::date AND \(query.to.description)::date
                      AND e.age BETWEEN \(query.minimumAge) AND \(query.maximumAge ?? 10_000) AND coalesce(e.actor_kind, 'other') = ANY(\(kinds)::text[])
                      AND (\(query.actor)::uuid IS NULL OR e.actor_id = \(query.actor))
                      AND (\(query.municipality)::text IS NULL OR e.municipality_code = \(query.municipality))
                ) classified
                GROUP BY k
            ) parts
            GROUP BY k HAVING sum(total) <> 0 ORDER BY k
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

    /// The SQL expression of a row's group, for count rows and fact rows alike (`ageBand`: where the band comes from).
    private static func groupKey(_ split: OutcomeQuery.Split, ageBand: String) -> String {
        switch split {
        case .none: "'all'"
        case .month: "to_char(on_date, 'YYYY-MM')"
        case .municipality: "coalesce(municipality_code, 'unknown')"
        case .actor: "coalesce(actor_id::text, 'unknown')"
        case .ageBand: ageBand
        case .period: "CASE WHEN on_date < p.split_on THEN 'before' ELSE 'from' END"
        case .variant: variantKey(pathwayMatch: false, otherwise: "p.base_key")
        }
    }

    /// The group of a row by variant: the segment holding its municipality and date (`p.seg_*`), else `otherwise`.
    /// With `pathwayMatch`, only segments of the row's own pathway count (handoff rows carry one; `p.seg_p`).
    static func variantKey(pathwayMatch: Bool, otherwise: String) -> String {
        """
        coalesce((SELECT s.k FROM unnest(p.seg_m, p.seg_f, p.seg_u, p.seg_k\(pathwayMatch ? ", p.seg_p" : "")) AS s(m, f, u, k\(pathwayMatch ? ", pw" : ""))
                  WHERE s.m = municipality_code AND on_date >= s.f::date AND (s.u = '' OR on_date < s.u::date)\(pathwayMatch ? " AND s.pw = pathway" : "")
                  LIMIT 1), \(otherwise))
        """
    }

    /// The segments as parallel arrays (text; an open end is '').
    static func segmentColumns(_ segments: VariantSegments) -> (municipalities: [String], from: [String], until: [String], keys: [String], pathways: [String]) {
        (segments.segments.map(\.municipality), segments.segments.map(\.from.description), segments.segments.map { $0.until?.description ?? "" },
         segments.segments.map(\.key), segments.segments.map(\.pathway))
    }

    public func handoffCounts(_ query: HandoffOutcomeQuery) async throws -> [HandoffCounts] {
        let key: String
        var segments = VariantSegments(baseKey: "", segments: [])
        switch query.split {
        case .none, .actor, .period: key = "'all'"
        case .month: key = "to_char(on_date, 'YYYY-MM')"
        case .municipality: key = "coalesce(municipality_code, 'unknown')"
        case .ageBand: key = "age_band"
        case .variant(let variants):
            // A handoff of a pathway without variants is in its base's group.
            key = Self.variantKey(pathwayMatch: true, otherwise: "pathway")
            segments = variants
        }
        let variants = Self.segmentColumns(segments)
        let ranges = OutcomeCountRanges(first: query.from, last: query.to, boundaries: segments.boundaries).ranges
        // Whole months without a municipality to filter or split on read the rows over all places (migration 0025): one
        // per month, pathway and actor pair instead of one per municipality and age band as well.
        var allPlaces = query.municipality == nil
        switch query.split {
        case .none, .month, .actor, .period: break
        case .municipality, .ageBand, .variant: allPlaces = false
        }
        let grains = ranges.map { $0.grain == .month && allPlaces ? "month_all" : $0.grain.rawValue }
        // Each count row carries two histograms (~400 bytes a row): five years by month is 7,832 rows into 4,005
        // groups, whose sorts spilled to disk at the default work_mem of 4 MB (EXPLAIN: external merge, 5.5 MB).
        // With 16 MB for this statement the planner hashes instead: 97 → 72 ms at a million citizens. SET LOCAL
        // keeps it to this transaction, so a pooled connection never carries it into other statements.
        return try await database.transaction { connection in
            try await connection.query("SET LOCAL work_mem = '16MB'", logger: database.logger)
            let rows = try await connection.query(
                """
                WITH picked AS (
                    SELECT \(unescaped: key) AS k, c.*
                    FROM unnest(\(grains)::text[], \(ranges.map(\.first.description))::text[],
                                \(ranges.map(\.last.description))::text[]) AS r(grain, first_day, last_day)
                    JOIN handoff_counts c ON c.grain = r.grain AND c.on_date BETWEEN r.first_day::date AND r.last_day::date,
                         (SELECT \(variants.municipalities)::text[] AS seg_m, \(variants.from)::text[] AS seg_f, \(variants.until)::text[] AS seg_u,
                                 \(variants.keys)::text[] AS seg_k, \(variants.pathways)::text[] AS seg_p) p
                    WHERE (\(query.pathway)::text IS NULL OR pathway = \(query.pathway))
                      AND (\(query.actor)::uuid IS NULL OR from_actor_id = \(query.actor) OR to_actor_id = \(query.actor))
                      AND (\(query.municipality)::text IS NULL OR municipality_code = \(query.municipality))),
                -- A group of one row (every group of the compacted rows over all places) keeps its histograms as they are;
                -- only groups of several rows add theirs up position by position, the costly part: 156 sums per group.
                counted AS (
                    SELECT k, pathway, from_actor_id, to_actor_id, count(*) AS n, sum(requested) AS requested, sum(accepted) AS accepted,
                           sum(rejected) AS rejected, sum(overdue) AS overdue, sum(accepted_in_time) AS accepted_in_time,
                           min(accepted_within)::bigint[] AS accepted_within, min(accepted_within_working)::bigint[] AS working
                    FROM picked GROUP BY 1, 2, 3, 4),
                summed AS (
                    SELECT p.k, p.pathway, p.from_actor_id, p.to_actor_id, ARRAY[\(unescaped: Self.histogramSums)] AS accepted_within,
                           ARRAY[\(unescaped: Self.histogramSums(of: "accepted_within_working"))] AS working
                    FROM picked p JOIN counted c USING (k, pathway, from_actor_id, to_actor_id) WHERE c.n > 1
                    GROUP BY 1, 2, 3, 4)
                SELECT c.k, c.pathway, fa.slug, ta.slug, c.requested::bigint, c.accepted::bigint, c.rejected::bigint, c.overdue::bigint,
                       coalesce(s.accepted_within, c.accepted_within), c.accepted_in_time::bigint, coalesce(s.working, c.working)
                FROM counted c
                LEFT JOIN summed s USING (k, pathway, from_actor_id, to_actor_id)
                JOIN actors fa ON fa.id = c.from_actor_id
                JOIN actors ta ON ta.id = c.to_actor_id
                WHERE c.requested <> 0
                ORDER BY 1, 2, 3, 4
                """,
                logger: database.logger
            )
            var counts: [HandoffCounts] = []
            for try await (key, pathway, from, to, requested, accepted, rejected, overdue, histogram, inTime, working) in rows.decode(
                (String, String, String, String, Int64, Int64, Int64, Int64, IntArrayColumn, Int64, IntArrayColumn).self)
            {
                let times = AcceptanceTimeHistogram(counts: histogram.values)
                let workingTimes = AcceptanceTimeHistogram(counts: working.values)
                counts.append(
                    HandoffCounts(
                        key: key, pathway: pathway, fromActor: from, toActor: to, requested: Int(requested), accepted: Int(accepted),
                        rejected: Int(rejected), overdue: Int(overdue), medianSecondsToAccept: times.percentile(0.5),
                        p90SecondsToAccept: times.percentile(0.9), acceptedInTime: Int(inTime),
                        medianWorkingSecondsToAccept: workingTimes.percentile(0.5), p90WorkingSecondsToAccept: workingTimes.percentile(0.9)))
            }
            return counts
        }
    }

    /// `coalesce(sum(p.accepted_within[1]), 0), …`: the histograms added up position by position (a row's array
    /// stops after its last non-zero position).
    private static let histogramSums = histogramSums(of: "accepted_within")

    private static func histogramSums(of column: String) -> String {
        (1...AcceptanceTimeHistogram.bucketCount).map { "coalesce(sum(p.\(column)[\($0)]), 0)" }.joined(separator: ", ")
    }

    /// Folds the delta rows of each group of `outcome_counts` and `handoff_counts` into one row. Readers see
    /// the same sums before and after (one statement per table); replicas skip while another compacts.
    public func compact() async throws -> Int {
        try await database.transaction { connection in
            var locked = false
            for try await value in try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.compactionLock))", logger: database.logger)
                .decode(Bool.self)
            {
                locked = value
            }
            guard locked else { return 0 }
            var folded = 0
            for statement in Self.compactions {
                for try await count in try await connection.query(PostgresQuery(unsafeSQL: statement), logger: database.logger).decode(Int64.self) {
                    folded += Int(count)
                }
            }
            return folded
        }
    }

    static let compactionLock: Int64 = 0x4F55_5443_4F4D_5041  // "OUTCOMPA"

    static let compactions = [
        """
        WITH groups AS (
            SELECT measure, grain, on_date, actor_id, actor_kind, municipality_code, age_band FROM outcome_counts
            GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING count(*) > 1),
        moved AS (
            DELETE FROM outcome_counts o USING groups g
            WHERE o.measure = g.measure AND o.grain = g.grain AND o.on_date = g.on_date AND o.actor_id IS NOT DISTINCT FROM g.actor_id
              AND o.actor_kind IS NOT DISTINCT FROM g.actor_kind AND o.municipality_code IS NOT DISTINCT FROM g.municipality_code
              AND o.age_band = g.age_band
            RETURNING o.*),
        folded AS (
            INSERT INTO outcome_counts (measure, grain, on_date, actor_id, actor_kind, municipality_code, age_band, episodes, positive, died_first)
            SELECT measure, grain, on_date, actor_id, actor_kind, municipality_code, age_band, sum(episodes), sum(positive), sum(died_first)
            FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7
            HAVING sum(episodes) <> 0 OR sum(positive) <> 0 OR sum(died_first) <> 0)
        SELECT count(*) FROM moved
        """,
        """
        WITH groups AS (
            SELECT grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band FROM handoff_counts
            GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING count(*) > 1),
        moved AS (
            DELETE FROM handoff_counts h USING groups g
            WHERE h.grain = g.grain AND h.on_date = g.on_date AND h.pathway = g.pathway AND h.from_actor_id = g.from_actor_id
              AND h.to_actor_id = g.to_actor_id AND h.municipality_code IS NOT DISTINCT FROM g.municipality_code AND h.age_band = g.age_band
            RETURNING h.*),
        folded AS (
            INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                                        requested, accepted, rejected, overdue, accepted_within, accepted_in_time, accepted_within_working)
            SELECT grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                   sum(requested), sum(accepted), sum(rejected), sum(overdue), int_array_sum(accepted_within), sum(accepted_in_time),
                   int_array_sum(accepted_within_working)
            FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7
            HAVING sum(requested) <> 0 OR sum(accepted) <> 0 OR sum(rejected) <> 0 OR sum(overdue) <> 0
                OR int_array_nonzero(int_array_sum(accepted_within)) OR sum(accepted_in_time) <> 0
                OR int_array_nonzero(int_array_sum(accepted_within_working)))
        SELECT count(*) FROM moved
        """,
    ]

    public func rebuild(batchSize: Int, progress: @Sendable (Int) -> Void) async throws -> Int {
        var after = ChangeSet.noID
        var done = 0
        let directory = ActorDirectory()
        while true {
            let batch: [UUID] = try await database.transaction { [after] connection in
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
                var writes = ChangeSet()
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

    private func slugs(of ids: [UUID]) async throws -> [UUID: String] {
        let rows = try await database.client.query("SELECT id, slug FROM actors WHERE id = ANY(\(ids)::uuid[])", logger: database.logger)
        var slugs: [UUID: String] = [:]
        for try await (id, slug) in rows.decode((UUID, String).self) { slugs[id] = slug }
        return slugs
    }
}
