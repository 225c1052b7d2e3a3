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

-- What one handoff adds to the counts (sign 1) or takes out of them (sign -1), at both grains: the one
-- statement of the projection that the count triggers and the recount below add up. The histogram is NULL
-- unless the handoff is accepted (int_array_sum skips NULLs without a call).
CREATE FUNCTION handoff_count_rows(h handoffs, sign int)
RETURNS TABLE (grain text, on_date date, pathway text, from_actor_id uuid, to_actor_id uuid, municipality_code text, age_band text,
               requested int, accepted int, rejected int, overdue int, accepted_within int[])
LANGUAGE sql STABLE AS $$
    SELECT g.grain, outcome_grain_date(g.grain, f.on_date), f.pathway, h.from_actor_id, h.to_actor_id, f.municipality_code, f.age_band,
           sign, sign * (h.status = 'accepted')::int, sign * (h.status = 'rejected')::int, sign * (h.overdue_at IS NOT NULL)::int,
           CASE WHEN h.status = 'accepted'
                THEN handoff_wait_histogram(handoff_wait_bucket(extract(epoch FROM h.decided_at - h.requested_at)::float8), sign) END
    FROM handoff_facts(h.case_id, h.from_actor_id, h.to_actor_id, h.requested_at) AS f
    CROSS JOIN (VALUES ('day'), ('month')) AS g (grain)
$$;

-- The delta rows for a statement's handoffs: what `added` puts in minus what `removed` takes out, one row per
-- group, leaving out groups where nothing changed. Both count triggers write exactly this.
CREATE FUNCTION handoff_count_deltas(added handoffs[], removed handoffs[])
RETURNS TABLE (grain text, on_date date, pathway text, from_actor_id uuid, to_actor_id uuid, municipality_code text, age_band text,
               requested bigint, accepted bigint, rejected bigint, overdue bigint, accepted_within int[])
LANGUAGE sql STABLE AS $$
    SELECT c.grain, c.on_date, c.pathway, c.from_actor_id, c.to_actor_id, c.municipality_code, c.age_band,
           sum(c.requested), sum(c.accepted), sum(c.rejected), sum(c.overdue), int_array_sum(c.accepted_within)
    FROM (SELECT c.* FROM unnest(added) AS n CROSS JOIN LATERAL handoff_count_rows(n, 1) AS c
          UNION ALL
          SELECT c.* FROM unnest(removed) AS o CROSS JOIN LATERAL handoff_count_rows(o, -1) AS c) AS c
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(c.requested) <> 0 OR sum(c.accepted) <> 0 OR sum(c.rejected) <> 0 OR sum(c.overdue) <> 0
        OR int_array_nonzero(int_array_sum(c.accepted_within))
$$;

-- A new handoff counts as requested (and as whatever its status already says).
CREATE OR REPLACE FUNCTION handoffs_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                                requested, accepted, rejected, overdue, accepted_within)
    SELECT * FROM handoff_count_deltas(ARRAY(SELECT n::handoffs FROM new_rows n), '{}');
    RETURN NULL;
END
$$;

-- An update takes the old row's contribution out and puts the new one's in, as delta rows.
CREATE OR REPLACE FUNCTION handoffs_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                                requested, accepted, rejected, overdue, accepted_within)
    SELECT * FROM handoff_count_deltas(ARRAY(SELECT n::handoffs FROM new_rows n), ARRAY(SELECT o::handoffs FROM old_rows o));
    RETURN NULL;
END
$$;

-- Recount every handoff at both grains, with histograms; the per-handoff times are no longer needed. Added up
-- here rather than through handoff_count_deltas, whose array of every handoff could outgrow PostgreSQL's 1 GB.
TRUNCATE handoff_counts;
INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                            requested, accepted, rejected, overdue, accepted_within)
SELECT c.grain, c.on_date, c.pathway, c.from_actor_id, c.to_actor_id, c.municipality_code, c.age_band,
       sum(c.requested), sum(c.accepted), sum(c.rejected), sum(c.overdue), int_array_sum(c.accepted_within)
FROM handoffs h CROSS JOIN LATERAL handoff_count_rows(h, 1) AS c
GROUP BY 1, 2, 3, 4, 5, 6, 7;
DROP TABLE handoff_acceptances;
