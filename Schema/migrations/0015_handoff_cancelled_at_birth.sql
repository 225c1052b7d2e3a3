-- A handoff requested and cancelled within one ingest transaction (a discharge, then a later event in the same
-- batch that changes its receiver or closes the case) is stored as cancelled from the start: inserted pending and
-- cancelled afterwards, it would meet its successor on the one-open-handoff-per-case index.
CREATE OR REPLACE FUNCTION handoffs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c cases%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT * INTO c FROM cases WHERE id = NEW.case_id;
        IF c.status <> 'open' OR c.responsible_actor_id <> NEW.from_actor_id OR NEW.status NOT IN ('pending', 'cancelled') THEN
            RAISE EXCEPTION 'a handoff starts pending (or cancelled), from the responsible actor of an open case'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.case_id <> OLD.case_id OR NEW.from_actor_id <> OLD.from_actor_id OR NEW.to_actor_id <> OLD.to_actor_id THEN
        RAISE EXCEPTION 'handoff % parties are immutable', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.status NOT IN ('pending', 'overdue') AND NEW.status <> OLD.status THEN
        RAISE EXCEPTION 'handoff % is already %', OLD.id, OLD.status USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.status = 'overdue' AND NEW.status = 'pending' THEN
        RAISE EXCEPTION 'handoff % cannot become pending again', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
