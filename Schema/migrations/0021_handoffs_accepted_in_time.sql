-- handoffs_accepted_in_time (issue 17): the share of requested handoffs accepted by their due_at, per group of
-- /v1/outcomes/handoffs, with its interval and the same suppression, so that goals can be set for it. One more
-- count beside accepted, kept by the same projection, at both grains; the existing rows are recounted.
ALTER TABLE handoff_counts ADD COLUMN accepted_in_time integer NOT NULL DEFAULT 0;
ALTER TABLE handoff_counts ALTER COLUMN accepted_in_time DROP DEFAULT;

DROP FUNCTION handoff_count_deltas(handoffs[], handoffs[]);
DROP FUNCTION handoff_count_rows(handoffs, int);

CREATE FUNCTION handoff_count_rows(h handoffs, sign int)
RETURNS TABLE (grain text, on_date date, pathway text, from_actor_id uuid, to_actor_id uuid, municipality_code text, age_band text,
               requested int, accepted int, rejected int, overdue int, accepted_within int[], accepted_in_time int)
LANGUAGE sql STABLE AS $$
    SELECT g.grain, outcome_grain_date(g.grain, f.on_date), f.pathway, h.from_actor_id, h.to_actor_id, f.municipality_code, f.age_band,
           sign, sign * (h.status = 'accepted')::int, sign * (h.status = 'rejected')::int, sign * (h.overdue_at IS NOT NULL)::int,
           CASE WHEN h.status = 'accepted'
                THEN handoff_wait_histogram(handoff_wait_bucket(extract(epoch FROM h.decided_at - h.requested_at)::float8), sign) END,
           sign * (h.status = 'accepted' AND h.decided_at <= h.due_at)::int
    FROM handoff_facts(h.case_id, h.from_actor_id, h.to_actor_id, h.requested_at) AS f
    CROSS JOIN (VALUES ('day'), ('month')) AS g (grain)
$$;

CREATE FUNCTION handoff_count_deltas(added handoffs[], removed handoffs[])
RETURNS TABLE (grain text, on_date date, pathway text, from_actor_id uuid, to_actor_id uuid, municipality_code text, age_band text,
               requested bigint, accepted bigint, rejected bigint, overdue bigint, accepted_within int[], accepted_in_time bigint)
LANGUAGE sql STABLE AS $$
    SELECT c.grain, c.on_date, c.pathway, c.from_actor_id, c.to_actor_id, c.municipality_code, c.age_band,
           sum(c.requested), sum(c.accepted), sum(c.rejected), sum(c.overdue), int_array_sum(c.accepted_within), sum(c.accepted_in_time)
    FROM (SELECT c.* FROM unnest(added) AS n CROSS JOIN LATERAL handoff_count_rows(n, 1) AS c
          UNION ALL
          SELECT c.* FROM unnest(removed) AS o CROSS JOIN LATERAL handoff_count_rows(o, -1) AS c) AS c
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(c.requested) <> 0 OR sum(c.accepted) <> 0 OR sum(c.rejected) <> 0 OR sum(c.overdue) <> 0
        OR int_array_nonzero(int_array_sum(c.accepted_within)) OR sum(c.accepted_in_time) <> 0
$$;

CREATE OR REPLACE FUNCTION handoffs_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                                requested, accepted, rejected, overdue, accepted_within, accepted_in_time)
    SELECT * FROM handoff_count_deltas(ARRAY(SELECT n::handoffs FROM new_rows n), '{}');
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION handoffs_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                                requested, accepted, rejected, overdue, accepted_within, accepted_in_time)
    SELECT * FROM handoff_count_deltas(ARRAY(SELECT n::handoffs FROM new_rows n), ARRAY(SELECT o::handoffs FROM old_rows o));
    RETURN NULL;
END
$$;

TRUNCATE handoff_counts;
INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                            requested, accepted, rejected, overdue, accepted_within, accepted_in_time)
SELECT c.grain, c.on_date, c.pathway, c.from_actor_id, c.to_actor_id, c.municipality_code, c.age_band,
       sum(c.requested), sum(c.accepted), sum(c.rejected), sum(c.overdue), int_array_sum(c.accepted_within), sum(c.accepted_in_time)
FROM handoffs h CROSS JOIN LATERAL handoff_count_rows(h, 1) AS c
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- The figures stay index-only scans.
DROP INDEX handoff_counts_figures;
CREATE INDEX handoff_counts_figures ON handoff_counts (grain, on_date)
    INCLUDE (pathway, from_actor_id, to_actor_id, municipality_code, age_band, requested, accepted, rejected, overdue, accepted_within,
             accepted_in_time);
