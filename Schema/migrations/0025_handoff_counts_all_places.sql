-- Handoff counts by month over all municipalities and ages (issue 20). A month's handoff figures without a
-- municipality filter or an age or municipality split added up 2–3 rows per actor pair (one per municipality and age
-- band), each with two 78-position histograms: five years by month summed 7,832 rows into 4,005 groups, 156 sums a
-- row, most of the answer's database time (p95 189–239 ms against a target of 200 at a million citizens). Grain
-- `month_all` holds each month, pathway and actor pair once (municipality NULL, age band 'all'), written by the same
-- trigger as the others and folded by the same compaction.
ALTER TABLE handoff_counts DROP CONSTRAINT handoff_counts_grain_check;
ALTER TABLE handoff_counts ADD CONSTRAINT handoff_counts_grain_check CHECK (grain IN ('day', 'month', 'month_all'));

CREATE OR REPLACE FUNCTION handoff_count_rows(h handoffs, sign int)
RETURNS TABLE (grain text, on_date date, pathway text, from_actor_id uuid, to_actor_id uuid, municipality_code text, age_band text,
               requested int, accepted int, rejected int, overdue int, accepted_within int[], accepted_in_time int,
               accepted_within_working int[])
LANGUAGE sql STABLE AS $$
    SELECT g.grain, outcome_grain_date(CASE g.grain WHEN 'day' THEN 'day' ELSE 'month' END, f.on_date), f.pathway, h.from_actor_id,
           h.to_actor_id, CASE WHEN g.grain <> 'month_all' THEN f.municipality_code END,
           CASE WHEN g.grain = 'month_all' THEN 'all' ELSE f.age_band END,
           sign, sign * (h.status = 'accepted')::int, sign * (h.status = 'rejected')::int, sign * (h.overdue_at IS NOT NULL)::int,
           CASE WHEN h.status = 'accepted'
                THEN handoff_wait_histogram(handoff_wait_bucket(extract(epoch FROM h.decided_at - h.requested_at)::float8), sign) END,
           sign * (h.status = 'accepted' AND h.decided_at <= h.due_at)::int,
           CASE WHEN h.status = 'accepted'
                THEN handoff_wait_histogram(handoff_wait_bucket(working_seconds(h.requested_at, h.decided_at)), sign) END
    FROM handoff_facts(h.case_id, h.from_actor_id, h.to_actor_id, h.requested_at) AS f
    CROSS JOIN (VALUES ('day'), ('month'), ('month_all')) AS g (grain)
$$;

INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                            requested, accepted, rejected, overdue, accepted_within, accepted_in_time, accepted_within_working)
SELECT 'month_all', on_date, pathway, from_actor_id, to_actor_id, NULL, 'all',
       sum(requested), sum(accepted), sum(rejected), sum(overdue), int_array_sum(accepted_within), sum(accepted_in_time),
       int_array_sum(accepted_within_working)
FROM handoff_counts WHERE grain = 'month'
GROUP BY on_date, pathway, from_actor_id, to_actor_id;
