-- Retraction and correction (API.md, Event authority): an `event.retracted` or `event.corrected` envelope is an
-- ordinary stored event that names the event it amends. Events stay append-only; the history the rules read is
-- the stored events with their amendments applied.
ALTER TABLE events ADD COLUMN amends_event_id uuid REFERENCES events (id);
-- NOT VALID: servers before this migration refused these types, but a development build stored a few as
-- ordinary events; those stay readable (the rules ignore them) and every new row is checked.
ALTER TABLE events ADD CONSTRAINT envelope_names_its_event
    CHECK ((type IN ('event.retracted', 'event.corrected')) = (amends_event_id IS NOT NULL)) NOT VALID;
CREATE INDEX events_amends ON events (amends_event_id) WHERE amends_event_id IS NOT NULL;
-- An event is retracted once: a second envelope is answered with the first one's result.
CREATE UNIQUE INDEX events_retracted_once ON events (amends_event_id) WHERE type = 'event.retracted';

-- A case opened only by an event that its sender retracted closes with outcome `retracted` (set by the system).
ALTER TABLE cases DROP CONSTRAINT cases_close_outcome_check;
ALTER TABLE cases ADD CONSTRAINT cases_close_outcome_check
    CHECK (close_outcome IN ('completed', 'moved', 'deceased', 'declined', 'other', 'retracted'));
