-- Outcome figures (issue 6). Three layers, so a figure costs about the same however long the history grows:
--
-- 1. outcome_episodes: one fact row per readmission index discharge and per release, derived by the pure
--    definitions (IndgangCore/Outcomes) from the citizen's whole ordered history, replaced under the
--    citizen's advisory lock in the same transaction as every event that can change it, so a late event
--    corrects the facts exactly as it corrects the cases. It keeps the moments the classification needs
--    (index, first outcome, death): censoring is decided when a figure is asked for.
-- 2. outcome_counts: the facts pre-aggregated per day, actor, municipality and age band, classified with the
--    measure's standard window. The same statement that replaces a citizen's facts appends the net change
--    as delta rows (append-only: concurrent ingest never waits on a shared counter row); OutcomeCompactor
--    folds the deltas of a group into one row in the background. Sums are exact at every moment.
--    A figure reads the counts for days whose follow-up is complete for every episode, and classifies the
--    few recent days (and any non-standard window or age range) from the facts.
-- 3. handoff_counts / handoff_acceptances: the same for handoffs, kept by statement-level triggers.
--
-- No personal data in any of them: no CPR, no birth date (age in years or band), no free text.
-- No foreign keys: they are derived data, rebuilt from `events` by `indgang outcomes rebuild`.

-- The age bands of IndgangCore's AgeBand; their edges follow the pathways' eligibility (15, 18, 30, 65).
CREATE FUNCTION outcome_age_band(age integer) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN age < 15 THEN '0-14' WHEN age < 18 THEN '15-17' WHEN age < 30 THEN '18-29' WHEN age < 65 THEN '30-64'
                WHEN age < 75 THEN '65-74' WHEN age < 85 THEN '75-84' ELSE '85+' END
$$;

-- The window each measure is published with: 30 days (readmission), 730 days (recidivism).
CREATE FUNCTION outcome_standard_window(measure text) RETURNS interval LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT make_interval(secs => CASE measure WHEN 'readmission' THEN 30 ELSE 730 END * 86400.0)
$$;

CREATE TABLE outcome_episodes (
    measure           text        NOT NULL CHECK (measure IN ('readmission', 'recidivism')),
    citizen_id        uuid        NOT NULL,
    event_id          uuid        NOT NULL,
    at                timestamptz NOT NULL,
    -- The Danish calendar date of `at`: what `from`, `to` and `group_by=month` mean.
    on_date           date        NOT NULL,
    actor_id          uuid,
    actor_kind        text,
    municipality_code text,
    age               smallint    NOT NULL,
    outcome_at        timestamptz,
    died_at           timestamptz
);
CREATE INDEX outcome_episodes_citizen ON outcome_episodes (citizen_id);
-- Every figure is a range over one measure's dates; the included columns make it an index-only scan.
CREATE INDEX outcome_episodes_figures ON outcome_episodes (measure, on_date)
    INCLUDE (at, outcome_at, died_at, age, actor_kind, actor_id, municipality_code);

CREATE TABLE outcome_counts (
    measure           text    NOT NULL,
    on_date           date    NOT NULL,
    actor_id          uuid,
    actor_kind        text,
    municipality_code text,
    age_band          text    NOT NULL,
    episodes          integer NOT NULL,
    -- With the standard window: the outcome happened in it; the citizen died in it without the outcome first.
    positive          integer NOT NULL,
    died_first        integer NOT NULL
);
CREATE INDEX outcome_counts_figures ON outcome_counts (measure, on_date)
    INCLUDE (actor_kind, age_band, actor_id, municipality_code, episodes, positive, died_first);

CREATE TABLE handoff_counts (
    on_date           date    NOT NULL,
    pathway           text    NOT NULL,
    from_actor_id     uuid    NOT NULL,
    to_actor_id       uuid    NOT NULL,
    -- The municipality taking part (the receiver's, else the sender's code).
    municipality_code text,
    age_band          text    NOT NULL,
    requested         integer NOT NULL,
    accepted          integer NOT NULL,
    rejected          integer NOT NULL,
    overdue           integer NOT NULL
);
CREATE INDEX handoff_counts_figures ON handoff_counts (on_date)
    INCLUDE (pathway, from_actor_id, to_actor_id, municipality_code, age_band, requested, accepted, rejected, overdue);

CREATE TABLE handoff_acceptances (
    handoff_id        uuid    PRIMARY KEY,
    on_date           date    NOT NULL,
    pathway           text    NOT NULL,
    from_actor_id     uuid    NOT NULL,
    to_actor_id       uuid    NOT NULL,
    municipality_code text,
    age_band          text    NOT NULL,
    seconds           float8  NOT NULL
);
CREATE INDEX handoff_acceptances_figures ON handoff_acceptances (on_date)
    INCLUDE (pathway, from_actor_id, to_actor_id, municipality_code, age_band, seconds);

-- What a handoff contributes to the counts: its day, its case's pathway, the municipality taking part and the
-- citizen's age band, all as of the request.
CREATE FUNCTION handoff_facts(case_id uuid, from_actor_id uuid, to_actor_id uuid, requested_at timestamptz,
                              OUT on_date date, OUT pathway text, OUT municipality_code text, OUT age_band text)
LANGUAGE sql STABLE AS $$
    SELECT (requested_at AT TIME ZONE 'Europe/Copenhagen')::date, c.pathway, coalesce(ta.municipality_code, fa.municipality_code),
           outcome_age_band(date_part('year', age((requested_at AT TIME ZONE 'Europe/Copenhagen')::date, ci.birth_date))::int)
    FROM cases c JOIN citizens ci ON ci.id = c.citizen_id, actors fa, actors ta
    WHERE c.id = case_id AND fa.id = from_actor_id AND ta.id = to_actor_id
$$;

-- A new handoff counts as requested (and as whatever its status already says).
CREATE FUNCTION handoffs_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_counts (on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band, requested, accepted, rejected, overdue)
    SELECT f.on_date, f.pathway, n.from_actor_id, n.to_actor_id, f.municipality_code, f.age_band, count(*),
           count(*) FILTER (WHERE n.status = 'accepted'), count(*) FILTER (WHERE n.status = 'rejected'), count(*) FILTER (WHERE n.overdue_at IS NOT NULL)
    FROM new_rows n CROSS JOIN LATERAL handoff_facts(n.case_id, n.from_actor_id, n.to_actor_id, n.requested_at) f
    GROUP BY 1, 2, 3, 4, 5, 6;
    RETURN NULL;
END
$$;
CREATE TRIGGER handoffs_counted_insert AFTER INSERT ON handoffs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION handoffs_count_inserted();

-- An update takes the old row's contribution out and puts the new one's in (as delta rows), and records the
-- time to acceptance of a handoff that is now accepted.
CREATE FUNCTION handoffs_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_counts (on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band, requested, accepted, rejected, overdue)
    SELECT f.on_date, f.pathway, d.from_actor_id, d.to_actor_id, f.municipality_code, f.age_band,
           sum(d.sign), sum(d.sign * d.accepted), sum(d.sign * d.rejected), sum(d.sign * d.overdue)
    FROM (SELECT 1 AS sign, n.case_id, n.from_actor_id, n.to_actor_id, n.requested_at, (n.status = 'accepted')::int AS accepted,
                 (n.status = 'rejected')::int AS rejected, (n.overdue_at IS NOT NULL)::int AS overdue
          FROM new_rows n
          UNION ALL
          SELECT -1, o.case_id, o.from_actor_id, o.to_actor_id, o.requested_at, (o.status = 'accepted')::int, (o.status = 'rejected')::int,
                 (o.overdue_at IS NOT NULL)::int
          FROM old_rows o) d
    CROSS JOIN LATERAL handoff_facts(d.case_id, d.from_actor_id, d.to_actor_id, d.requested_at) f
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(d.sign) <> 0 OR sum(d.sign * d.accepted) <> 0 OR sum(d.sign * d.rejected) <> 0 OR sum(d.sign * d.overdue) <> 0;
    INSERT INTO handoff_acceptances (handoff_id, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band, seconds)
    SELECT n.id, f.on_date, f.pathway, n.from_actor_id, n.to_actor_id, f.municipality_code, f.age_band,
           extract(epoch FROM n.decided_at - n.requested_at)::float8
    FROM new_rows n CROSS JOIN LATERAL handoff_facts(n.case_id, n.from_actor_id, n.to_actor_id, n.requested_at) f
    WHERE n.status = 'accepted'
    ON CONFLICT (handoff_id) DO UPDATE SET on_date = EXCLUDED.on_date, municipality_code = EXCLUDED.municipality_code,
        age_band = EXCLUDED.age_band, seconds = EXCLUDED.seconds;
    RETURN NULL;
END
$$;
CREATE TRIGGER handoffs_counted_update AFTER UPDATE ON handoffs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION handoffs_count_updated();

-- Handoffs made before this migration.
INSERT INTO handoff_counts (on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band, requested, accepted, rejected, overdue)
SELECT f.on_date, f.pathway, h.from_actor_id, h.to_actor_id, f.municipality_code, f.age_band, count(*),
       count(*) FILTER (WHERE h.status = 'accepted'), count(*) FILTER (WHERE h.status = 'rejected'), count(*) FILTER (WHERE h.overdue_at IS NOT NULL)
FROM handoffs h CROSS JOIN LATERAL handoff_facts(h.case_id, h.from_actor_id, h.to_actor_id, h.requested_at) f
GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO handoff_acceptances (handoff_id, on_date, pathway, from_actor_id, to_actor_id, municipality_code, age_band, seconds)
SELECT h.id, f.on_date, f.pathway, h.from_actor_id, h.to_actor_id, f.municipality_code, f.age_band, extract(epoch FROM h.decided_at - h.requested_at)
FROM handoffs h CROSS JOIN LATERAL handoff_facts(h.case_id, h.from_actor_id, h.to_actor_id, h.requested_at) f
WHERE h.status = 'accepted';
