-- Handoff figures that stay fast over years (issue 6). The median and p90 time to acceptance were exact
-- percentiles over one row per accepted handoff (handoff_acceptances): over five years of a million citizens,
-- about 470,000 rows to sort per question, 0.7 s. Now every handoff_counts row carries the histogram of its
-- accepted handoffs' times (IndgangCore's AcceptanceTimeHistogram), histograms add up like the counts, and
-- the counts get month rows beside the day rows, as outcome_counts did in 0008.

-- The 1-based histogram position of a time to acceptance: 1 for under a minute, then one per quarter of a
-- doubling from one minute (the lower bounds are 60 · 2^(k/4) seconds, k = 0…76), the last (78) for a year
-- and more. IndgangCore's AcceptanceTimeHistogram computes the same bounds the same way.
CREATE FUNCTION handoff_wait_bucket(seconds float8) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 1 + width_bucket(seconds, ARRAY(SELECT 60 * power(2::float8, k::float8 / 4) FROM generate_series(0, 76) AS k))
$$;

-- A histogram holding `amount` at `slot`: zeros before it, nothing after (missing slots count as 0).
CREATE FUNCTION handoff_wait_histogram(slot int, amount int) RETURNS int[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_fill(0, ARRAY[slot - 1]) || amount
$$;

-- Element-wise sums of histograms of any lengths.
CREATE FUNCTION int_array_add(a int[], b int[]) RETURNS int[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) ORDER BY i), '{}')
    FROM generate_series(1, greatest(cardinality(a), cardinality(b))) AS i
$$;
CREATE AGGREGATE int_array_sum(int[]) (SFUNC = int_array_add, STYPE = int[], INITCOND = '{}');

CREATE FUNCTION int_array_nonzero(a int[]) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(bool_or(x <> 0), false) FROM unnest(a) AS x
$$;

ALTER TABLE handoff_counts
    ADD COLUMN grain text NOT NULL DEFAULT 'day' CHECK (grain IN ('day', 'month')),
    ADD COLUMN accepted_within int[] NOT NULL DEFAULT '{}';
ALTER TABLE handoff_counts ALTER COLUMN grain DROP DEFAULT;
DROP INDEX handoff_counts_figures;
CREATE INDEX handoff_counts_figures ON handoff_counts (grain, on_date)
    INCLUDE (pathway, from_actor_id, to_actor_id, municipality_code, age_band, requested, accepted, rejected, overdue, accepted_within);

-- A new handoff counts as requested (and as whatever its status already says), at both grains.
CREATE OR REPLACE FUNCTION handoffs_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                                requested, accepted, rejected, overdue, accepted_within)
    SELECT g.grain, outcome_grain_date(g.grain, f.on_date), f.pathway, n.from_actor_id, n.to_actor_id, f.municipality_code, f.age_band,
           count(*), count(*) FILTER (WHERE n.status = 'accepted'), count(*) FILTER (WHERE n.status = 'rejected'),
           count(*) FILTER (WHERE n.overdue_at IS NOT NULL),
           int_array_sum(handoff_wait_histogram(handoff_wait_bucket(extract(epoch FROM n.decided_at - n.requested_at)::float8), 1))
               FILTER (WHERE n.status = 'accepted')
    FROM new_rows n CROSS JOIN LATERAL handoff_facts(n.case_id, n.from_actor_id, n.to_actor_id, n.requested_at) f
    CROSS JOIN (VALUES ('day'), ('month')) AS g (grain)
    GROUP BY 1, 2, 3, 4, 5, 6, 7;
    RETURN NULL;
END
$$;

-- An update takes the old row's contribution out and puts the new one's in, as delta rows at both grains.
CREATE OR REPLACE FUNCTION handoffs_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                                requested, accepted, rejected, overdue, accepted_within)
    SELECT g.grain, outcome_grain_date(g.grain, f.on_date), f.pathway, d.from_actor_id, d.to_actor_id, f.municipality_code, f.age_band,
           sum(d.sign), sum(d.sign * d.accepted), sum(d.sign * d.rejected), sum(d.sign * d.overdue),
           int_array_sum(handoff_wait_histogram(handoff_wait_bucket(d.seconds), d.sign)) FILTER (WHERE d.accepted = 1)
    FROM (SELECT 1 AS sign, n.case_id, n.from_actor_id, n.to_actor_id, n.requested_at, (n.status = 'accepted')::int AS accepted,
                 (n.status = 'rejected')::int AS rejected, (n.overdue_at IS NOT NULL)::int AS overdue,
                 extract(epoch FROM n.decided_at - n.requested_at)::float8 AS seconds
          FROM new_rows n
          UNION ALL
          SELECT -1, o.case_id, o.from_actor_id, o.to_actor_id, o.requested_at, (o.status = 'accepted')::int, (o.status = 'rejected')::int,
                 (o.overdue_at IS NOT NULL)::int, extract(epoch FROM o.decided_at - o.requested_at)::float8
          FROM old_rows o) d
    CROSS JOIN LATERAL handoff_facts(d.case_id, d.from_actor_id, d.to_actor_id, d.requested_at) f
    CROSS JOIN (VALUES ('day'), ('month')) AS g (grain)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(d.sign) <> 0 OR sum(d.sign * d.accepted) <> 0 OR sum(d.sign * d.rejected) <> 0 OR sum(d.sign * d.overdue) <> 0
        OR int_array_nonzero(int_array_sum(handoff_wait_histogram(handoff_wait_bucket(d.seconds), d.sign)) FILTER (WHERE d.accepted = 1));
    RETURN NULL;
END
$$;

-- Recount every handoff at both grains, with histograms; the per-handoff times are no longer needed.
TRUNCATE handoff_counts;
INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                            requested, accepted, rejected, overdue, accepted_within)
SELECT g.grain, outcome_grain_date(g.grain, f.on_date), f.pathway, h.from_actor_id, h.to_actor_id, f.municipality_code, f.age_band,
       count(*), count(*) FILTER (WHERE h.status = 'accepted'), count(*) FILTER (WHERE h.status = 'rejected'),
       count(*) FILTER (WHERE h.overdue_at IS NOT NULL),
       int_array_sum(handoff_wait_histogram(handoff_wait_bucket(extract(epoch FROM h.decided_at - h.requested_at)::float8), 1))
           FILTER (WHERE h.status = 'accepted')
FROM handoffs h CROSS JOIN LATERAL handoff_facts(h.case_id, h.from_actor_id, h.to_actor_id, h.requested_at) f
CROSS JOIN (VALUES ('day'), ('month')) AS g (grain)
GROUP BY 1, 2, 3, 4, 5, 6, 7;
DROP TABLE handoff_acceptances;
