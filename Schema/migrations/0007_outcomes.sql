-- Outcome figures read a fact table, not the event history: one row per readmission index discharge and
-- per release, derived by the pure definitions (IndgangCore/Outcomes) from the citizen's whole ordered
-- history and replaced, under the citizen's advisory lock, in the same transaction as every event that can
-- change it. A late event therefore corrects the facts exactly as it corrects the cases. The row holds the
-- moments the classification needs (index, first outcome, death), so censoring is decided when a figure is
-- asked for, against the clock and the window of that question.
--
-- No personal data: no CPR, no birth date (age in years at the index only), no free text.
-- No foreign keys: the table is derived from `events` and is rebuilt from them (`indgang outcomes rebuild`).
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

-- Handoff performance reads handoffs by the time they were requested.
CREATE INDEX handoffs_requested ON handoffs (requested_at);
