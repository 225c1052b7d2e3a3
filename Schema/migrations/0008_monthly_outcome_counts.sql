-- Outcome counts at two grains (issue 6). A figure over five years read about 300,000 daily rows; whole months
-- now come from month rows (on_date = the month's first day), about a tenth as many, and only the partial
-- months at the ends of a range (and a month cut by a `compare=period:` date) are read day by day.
-- Ingest appends every delta at both grains in the same statement, so the two always add up to the same sums.
ALTER TABLE outcome_counts ADD COLUMN grain text NOT NULL DEFAULT 'day' CHECK (grain IN ('day', 'month'));
ALTER TABLE outcome_counts ALTER COLUMN grain DROP DEFAULT;
DROP INDEX outcome_counts_figures;
CREATE INDEX outcome_counts_figures ON outcome_counts (measure, grain, on_date)
    INCLUDE (actor_kind, age_band, actor_id, municipality_code, episodes, positive, died_first);

-- The date a count row of `grain` is filed under.
CREATE FUNCTION outcome_grain_date(grain text, on_date date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE grain WHEN 'month' THEN on_date - (extract(day FROM on_date)::int - 1) ELSE on_date END
$$;

INSERT INTO outcome_counts (measure, grain, on_date, actor_id, actor_kind, municipality_code, age_band, episodes, positive, died_first)
SELECT measure, 'month', outcome_grain_date('month', on_date), actor_id, actor_kind, municipality_code, age_band,
       sum(episodes), sum(positive), sum(died_first)
FROM outcome_counts
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- The classification of an episode with follow-up `span`, stated once for the ingest deltas and the figures
-- (IndgangCore's OutcomeEpisode.status is the same rule in Swift): the outcome happened within the span; or,
-- without it, the citizen died within the span (the episode is then censored). STABLE, not IMMUTABLE, because
-- timestamptz + interval is, so that PostgreSQL inlines them.
CREATE FUNCTION outcome_positive(at timestamptz, outcome_at timestamptz, span interval) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(outcome_at <= at + span, false)
$$;
CREATE FUNCTION outcome_died_first(at timestamptz, outcome_at timestamptz, died_at timestamptz, span interval) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT NOT coalesce(outcome_at <= at + span, false) AND coalesce(died_at <= at + span, false)
$$;
