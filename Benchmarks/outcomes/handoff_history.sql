-- A synthetic five-year handoff history for the outcomes benchmark (never for a real database).
--
-- `indgang simulate` makes handoffs through the real rules, but nobody decides them, and their requested_at is
-- the moment the rule fired, i.e. the load: every simulated handoff falls on one day, undecided. To time the
-- handoff figures at the volume five years would leave, this replaces the pre-aggregated handoff counts with
-- the same handoffs (same pathways, actor pairs, municipalities and age bands) spread evenly over the five
-- years before :until, about 85 % accepted after a log-normal delay (median 6 hours), 3 % rejected and the
-- rest left open; those accepted after more than a day, and those left open, count as overdue (and the others as
-- accepted in time); the working-time histogram counts the same delays from a random hour of the day.
BEGIN;
SELECT setseed(0.42);
CREATE TEMP TABLE synthetic ON COMMIT DROP AS
SELECT *, CASE WHEN fate < 0.85 THEN working_seconds(t0, t0 + seconds * interval '1 second') END AS working
FROM (SELECT :'until'::date - 1 - floor(random() * 1826)::int AS on_date,
             c.pathway, c.from_actor_id, c.to_actor_id, c.municipality_code, c.age_band, random() AS fate,
             exp(ln(6 * 3600) + 1.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS seconds, random() AS hour
      FROM handoff_counts c, generate_series(1, c.requested) WHERE c.grain = 'day' AND c.requested > 0) raw
CROSS JOIN LATERAL (SELECT (on_date + hour * interval '1 day') AT TIME ZONE 'Europe/Copenhagen' AS t0) t;
TRUNCATE handoff_counts;
INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                            requested, accepted, rejected, overdue, accepted_within, accepted_in_time, accepted_within_working)
SELECT g.grain, outcome_grain_date(CASE g.grain WHEN 'day' THEN 'day' ELSE 'month' END, s.on_date), s.pathway, s.from_actor_id,
       s.to_actor_id, CASE WHEN g.grain <> 'month_all' THEN s.municipality_code END, CASE WHEN g.grain = 'month_all' THEN 'all' ELSE s.age_band END,
       count(*), count(*) FILTER (WHERE fate < 0.85), count(*) FILTER (WHERE fate >= 0.85 AND fate < 0.88),
       count(*) FILTER (WHERE (fate < 0.85 AND seconds > 86400) OR fate >= 0.88),
       coalesce(int_array_sum(handoff_wait_histogram(handoff_wait_bucket(seconds), 1)) FILTER (WHERE fate < 0.85), '{}'),
       count(*) FILTER (WHERE fate < 0.85 AND seconds <= 86400),
       coalesce(int_array_sum(handoff_wait_histogram(handoff_wait_bucket(working), 1)) FILTER (WHERE fate < 0.85), '{}')
FROM synthetic s CROSS JOIN (VALUES ('day'), ('month'), ('month_all')) AS g (grain)  -- the grains of migration 0025
GROUP BY 1, 2, 3, 4, 5, 6, 7;
COMMIT;
VACUUM ANALYZE handoff_counts;
