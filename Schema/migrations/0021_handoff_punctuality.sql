-- Handoff punctuality (issue 17). handoffs_accepted_in_time: the share of requested handoffs accepted by their
-- due_at, per group of /v1/outcomes/handoffs, with its interval and the same suppression, so that goals can be set
-- for it. And the time to acceptance in working time beside clock time: the seconds that fall on Danish working
-- days (IndgangCore's DanishCalendar.workingSeconds: every second of a Monday–Friday that is not a public holiday,
-- Copenhagen days), as a second histogram. Both kept by the same projection, at both grains; existing rows are
-- recounted.

-- The public holidays of 1900–2200, as IndgangCore's DanishCalendar has them (a test compares every year):
-- Easter by the anonymous Gregorian algorithm, the movable feasts from it, store bededag until 2023.
CREATE TABLE danish_holidays (on_date date PRIMARY KEY);
INSERT INTO danish_holidays
SELECT DISTINCT d FROM (
    SELECT y, make_date(y, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1) AS easter
    FROM (SELECT y, a, h, l, (a + 11 * h + 22 * l) / 451 AS m
          FROM (SELECT y, a, h, (32 + 2 * e + 2 * i - h - k) % 7 AS l
                FROM (SELECT y, a, e, i, k, (19 * a + b - d - g + 15) % 30 AS h
                      FROM (SELECT y, y % 19 AS a, y / 100 AS b, y % 100 / 4 AS i, y % 100 % 4 AS k, y / 100 / 4 AS d, y / 100 % 4 AS e,
                                   (y / 100 - (y / 100 + 8) / 25 + 1) / 3 AS g
                            FROM generate_series(1900, 2200) AS y) s1) s2) s3) s4) e
CROSS JOIN LATERAL (VALUES (easter - 3), (easter - 2), (easter), (easter + 1), (easter + 39), (easter + 49), (easter + 50),
                           (CASE WHEN y <= 2023 THEN easter + 26 END),
                           (make_date(y, 1, 1)), (make_date(y, 6, 5)), (make_date(y, 12, 24)), (make_date(y, 12, 25)), (make_date(y, 12, 26))) AS v (d)
WHERE d IS NOT NULL;

-- Seconds from t0 to t1 that fall on Copenhagen working days (t1 before t0: 0; figures only ask forwards).
CREATE FUNCTION working_seconds(t0 timestamptz, t1 timestamptz) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(sum(extract(epoch FROM least(t1, (day + 1)::timestamp AT TIME ZONE 'Europe/Copenhagen')
                                         - greatest(t0, day::timestamp AT TIME ZONE 'Europe/Copenhagen'))), 0)::float8
    FROM (SELECT g::date AS day FROM generate_series((t0 AT TIME ZONE 'Europe/Copenhagen')::date, (t1 AT TIME ZONE 'Europe/Copenhagen')::date,
                                                     interval '1 day') AS g) AS days
    WHERE t1 > t0 AND extract(isodow FROM day) < 6 AND NOT EXISTS (SELECT 1 FROM danish_holidays h WHERE h.on_date = day)
$$;

ALTER TABLE handoff_counts ADD COLUMN accepted_within_working int[] NOT NULL DEFAULT '{}';
ALTER TABLE handoff_counts ADD COLUMN accepted_in_time integer NOT NULL DEFAULT 0;
ALTER TABLE handoff_counts ALTER COLUMN accepted_in_time DROP DEFAULT;

DROP FUNCTION handoff_count_deltas(handoffs[], handoffs[]);
DROP FUNCTION handoff_count_rows(handoffs, int);

CREATE FUNCTION handoff_count_rows(h handoffs, sign int)
RETURNS TABLE (grain text, on_date date, pathway text, from_actor_id uuid, to_actor_id uuid, municipality_code text, age_band text,
               requested int, accepted int, rejected int, overdue int, accepted_within int[], accepted_in_time int,
               accepted_within_working int[])
LANGUAGE sql STABLE AS $$
    SELECT g.grain, outcome_grain_date(g.grain, f.on_date), f.pathway, h.from_actor_id, h.to_actor_id, f.municipality_code, f.age_band,
           sign, sign * (h.status = 'accepted')::int, sign * (h.status = 'rejected')::int, sign * (h.overdue_at IS NOT NULL)::int,
           CASE WHEN h.status = 'accepted'
                THEN handoff_wait_histogram(handoff_wait_bucket(extract(epoch FROM h.decided_at - h.requested_at)::float8), sign) END,
           sign * (h.status = 'accepted' AND h.decided_at <= h.due_at)::int,
           CASE WHEN h.status = 'accepted'
                THEN handoff_wait_histogram(handoff_wait_bucket(working_seconds(h.requested_at, h.decided_at)), sign) END
    FROM handoff_facts(h.case_id, h.from_actor_id, h.to_actor_id, h.requested_at) AS f
    CROSS JOIN (VALUES ('day'), ('month')) AS g (grain)
$$;

CREATE FUNCTION handoff_count_deltas(added handoffs[], removed handoffs[])
RETURNS TABLE (grain text, on_date date, pathway text, from_actor_id uuid, to_actor_id uuid, municipality_code text, age_band text,
               requested bigint, accepted bigint, rejected bigint, overdue bigint, accepted_within int[], accepted_in_time bigint,
               accepted_within_working int[])
LANGUAGE sql STABLE AS $$
    SELECT c.grain, c.on_date, c.pathway, c.from_actor_id, c.to_actor_id, c.municipality_code, c.age_band,
           sum(c.requested), sum(c.accepted), sum(c.rejected), sum(c.overdue), int_array_sum(c.accepted_within), sum(c.accepted_in_time),
           int_array_sum(c.accepted_within_working)
    FROM (SELECT c.* FROM unnest(added) AS n CROSS JOIN LATERAL handoff_count_rows(n, 1) AS c
          UNION ALL
          SELECT c.* FROM unnest(removed) AS o CROSS JOIN LATERAL handoff_count_rows(o, -1) AS c) AS c
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(c.requested) <> 0 OR sum(c.accepted) <> 0 OR sum(c.rejected) <> 0 OR sum(c.overdue) <> 0
        OR int_array_nonzero(int_array_sum(c.accepted_within)) OR sum(c.accepted_in_time) <> 0
        OR int_array_nonzero(int_array_sum(c.accepted_within_working))
$$;

CREATE OR REPLACE FUNCTION handoffs_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                                requested, accepted, rejected, overdue, accepted_within, accepted_in_time, accepted_within_working)
    SELECT * FROM handoff_count_deltas(ARRAY(SELECT n::handoffs FROM new_rows n), '{}');
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION handoffs_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                                requested, accepted, rejected, overdue, accepted_within, accepted_in_time, accepted_within_working)
    SELECT * FROM handoff_count_deltas(ARRAY(SELECT n::handoffs FROM new_rows n), ARRAY(SELECT o::handoffs FROM old_rows o));
    RETURN NULL;
END
$$;

TRUNCATE handoff_counts;
INSERT INTO handoff_counts (grain, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band,
                            requested, accepted, rejected, overdue, accepted_within, accepted_in_time, accepted_within_working)
SELECT c.grain, c.on_date, c.pathway, c.from_actor_id, c.to_actor_id, c.municipality_code, c.age_band,
       sum(c.requested), sum(c.accepted), sum(c.rejected), sum(c.overdue), int_array_sum(c.accepted_within), sum(c.accepted_in_time),
       int_array_sum(c.accepted_within_working)
FROM handoffs h CROSS JOIN LATERAL handoff_count_rows(h, 1) AS c
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- The figures stay index-only scans.
DROP INDEX handoff_counts_figures;
CREATE INDEX handoff_counts_figures ON handoff_counts (grain, on_date)
    INCLUDE (pathway, from_actor_id, to_actor_id, municipality_code, age_band, requested, accepted, rejected, overdue, accepted_within,
             accepted_in_time, accepted_within_working);
