-- Set-based ingest inserts hundreds of cases in one statement: record their first responsibility period with
-- one statement-level trigger (a transition table) instead of a PL/pgSQL call per row. Updates keep the
-- row-level trigger from 0001, now limited to UPDATE.

DROP TRIGGER cases_track_responsibility ON cases;

CREATE TRIGGER cases_track_responsibility AFTER UPDATE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_track_responsibility();

CREATE FUNCTION cases_track_new_responsibility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_responsibility (case_id, actor_id, started_at)
    SELECT id, responsible_actor_id, now() FROM new_cases;
    RETURN NULL;
END
$$;
CREATE TRIGGER cases_track_new_responsibility AFTER INSERT ON cases
    REFERENCING NEW TABLE AS new_cases FOR EACH STATEMENT EXECUTE FUNCTION cases_track_new_responsibility();
