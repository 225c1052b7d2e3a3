-- Indgang core schema: actors, API keys, citizens, cases, warm handoffs, timeline and audit.
-- The invariants of DESIGN.md principle 1 live here as constraints and triggers, so no code path
-- (and no hand-written SQL in an incident) can leave a case without exactly one responsible actor.

CREATE TABLE actors (
    id                uuid PRIMARY KEY,
    slug              text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind              text NOT NULL CHECK (kind IN ('municipality', 'hospital', 'prison', 'psychiatry', 'other')),
    municipality_code text CHECK (municipality_code ~ '^[0-9]{3}$'),
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT municipality_has_code CHECK (kind <> 'municipality' OR municipality_code IS NOT NULL)
);

CREATE TABLE api_keys (
    id         uuid PRIMARY KEY,
    actor_id   uuid NOT NULL REFERENCES actors (id),
    role       text NOT NULL CHECK (role IN ('caseworker', 'coordinator', 'integration', 'admin')),
    label      text CHECK (length(label) <= 200),
    key_hash   bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- CPR is stored sealed (AES-GCM, key outside the database) with a keyed HMAC blind index for look-up.
CREATE TABLE citizens (
    id         uuid PRIMARY KEY,
    cpr_index  bytea NOT NULL UNIQUE CHECK (length(cpr_index) = 32),
    cpr_sealed bytea NOT NULL,
    birth_date date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cases (
    id                   uuid PRIMARY KEY,
    citizen_id           uuid NOT NULL REFERENCES citizens (id),
    pathway              text NOT NULL,
    status               text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    responsible_actor_id uuid NOT NULL REFERENCES actors (id),
    summary              text NOT NULL DEFAULT '',
    external_ref         text,
    flags                text[] NOT NULL DEFAULT '{}',
    opened_at            timestamptz NOT NULL DEFAULT now(),
    closed_at            timestamptz,
    close_outcome        text CHECK (close_outcome IN ('completed', 'moved', 'deceased', 'declined', 'other')),
    version              integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT closed_case_is_complete CHECK ((status = 'closed') = (closed_at IS NOT NULL AND close_outcome IS NOT NULL))
);
-- One entry: at most one open case per citizen and pathway.
CREATE UNIQUE INDEX cases_one_open_per_citizen_pathway ON cases (citizen_id, pathway) WHERE status = 'open';
CREATE INDEX cases_citizen ON cases (citizen_id);

-- Who held responsibility when; also what makes a case visible to an actor that was once responsible.
CREATE TABLE case_responsibility (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    uuid NOT NULL REFERENCES cases (id),
    actor_id   uuid NOT NULL REFERENCES actors (id),
    started_at timestamptz NOT NULL,
    ended_at   timestamptz
);
CREATE UNIQUE INDEX case_responsibility_one_current ON case_responsibility (case_id) WHERE ended_at IS NULL;
CREATE INDEX case_responsibility_actor ON case_responsibility (actor_id, case_id);

CREATE TABLE handoffs (
    id              uuid PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES cases (id),
    from_actor_id   uuid NOT NULL REFERENCES actors (id),
    to_actor_id     uuid NOT NULL REFERENCES actors (id),
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'overdue', 'accepted', 'rejected', 'cancelled')),
    reason          text NOT NULL,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    due_at          timestamptz NOT NULL,
    overdue_at      timestamptz,
    decided_at      timestamptz,
    decided_by_key  uuid,
    decision_reason text,
    CONSTRAINT handoff_not_to_self CHECK (from_actor_id <> to_actor_id),
    CONSTRAINT handoff_decided_iff_closed CHECK ((status IN ('pending', 'overdue')) = (decided_at IS NULL))
);
-- Warm handoff: at most one open (pending or overdue) handoff per case.
CREATE UNIQUE INDEX handoffs_one_open_per_case ON handoffs (case_id) WHERE status IN ('pending', 'overdue');
CREATE INDEX handoffs_case ON handoffs (case_id, id DESC);
CREATE INDEX handoffs_to_actor ON handoffs (to_actor_id, id DESC);
CREATE INDEX handoffs_from_actor ON handoffs (from_actor_id, id DESC);
CREATE INDEX handoffs_pending_due ON handoffs (due_at) WHERE status = 'pending';

CREATE TABLE case_timeline (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id  uuid NOT NULL REFERENCES cases (id),
    at       timestamptz NOT NULL DEFAULT now(),
    kind     text NOT NULL CHECK (kind IN (
                 'opened', 'handoff_requested', 'handoff_accepted', 'handoff_rejected', 'handoff_cancelled',
                 'handoff_overdue', 'escalated', 'event_received', 'readmission_flagged', 'reoffence_flagged',
                 'note', 'closed')),
    actor_id uuid REFERENCES actors (id),
    data     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX case_timeline_case ON case_timeline (case_id, id);

-- Every read and write of personal data: who (key, actor, role), what, when, why.
CREATE TABLE audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    key_id     uuid,
    actor_id   uuid,
    role       text NOT NULL,
    action     text NOT NULL,
    citizen_id uuid,
    case_id    uuid,
    purpose    text NOT NULL,
    request_id text
);
CREATE INDEX audit_log_citizen ON audit_log (citizen_id, id DESC) WHERE citizen_id IS NOT NULL;

-- Append-only tables refuse UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER case_timeline_append_only BEFORE UPDATE OR DELETE ON case_timeline
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_timeline_no_truncate BEFORE TRUNCATE ON case_timeline
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Cases: identity is immutable, closed cases stay closed, responsibility moves only through an
-- accepted handoff to exactly the receiver, and a case with an open handoff cannot be closed.
CREATE FUNCTION cases_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.citizen_id <> OLD.citizen_id OR NEW.pathway <> OLD.pathway OR NEW.opened_at <> OLD.opened_at THEN
        RAISE EXCEPTION 'case % identity is immutable', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.status = 'closed' AND (NEW.status <> 'closed' OR NEW.responsible_actor_id <> OLD.responsible_actor_id) THEN
        RAISE EXCEPTION 'case % is closed', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.responsible_actor_id <> OLD.responsible_actor_id AND NOT EXISTS (
        SELECT 1 FROM handoffs h
        WHERE h.case_id = NEW.id AND h.status = 'accepted' AND h.decided_at = now()
          AND h.from_actor_id = OLD.responsible_actor_id AND h.to_actor_id = NEW.responsible_actor_id
    ) THEN
        RAISE EXCEPTION 'responsibility for case % moves only by an accepted handoff', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.status = 'closed' AND OLD.status = 'open' AND EXISTS (
        SELECT 1 FROM handoffs h WHERE h.case_id = NEW.id AND h.status IN ('pending', 'overdue')
    ) THEN
        RAISE EXCEPTION 'case % has an open handoff', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER cases_guard BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION cases_guard();
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The responsibility history follows the case row, maintained by the database itself.
CREATE FUNCTION cases_track_responsibility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO case_responsibility (case_id, actor_id, started_at) VALUES (NEW.id, NEW.responsible_actor_id, now());
    ELSIF NEW.responsible_actor_id <> OLD.responsible_actor_id THEN
        UPDATE case_responsibility SET ended_at = now() WHERE case_id = NEW.id AND ended_at IS NULL;
        INSERT INTO case_responsibility (case_id, actor_id, started_at) VALUES (NEW.id, NEW.responsible_actor_id, now());
    ELSIF NEW.status = 'closed' AND OLD.status = 'open' THEN
        UPDATE case_responsibility SET ended_at = NEW.closed_at WHERE case_id = NEW.id AND ended_at IS NULL;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER cases_track_responsibility AFTER INSERT OR UPDATE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_track_responsibility();

-- Handoffs start pending from the current responsible actor of an open case; a decided handoff is final.
CREATE FUNCTION handoffs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c cases%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT * INTO c FROM cases WHERE id = NEW.case_id;
        IF c.status <> 'open' OR c.responsible_actor_id <> NEW.from_actor_id OR NEW.status <> 'pending' THEN
            RAISE EXCEPTION 'a handoff starts pending, from the responsible actor of an open case'
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
CREATE TRIGGER handoffs_guard BEFORE INSERT OR UPDATE ON handoffs FOR EACH ROW EXECUTE FUNCTION handoffs_guard();
CREATE TRIGGER handoffs_no_delete BEFORE DELETE ON handoffs FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Visibility (API.md): an actor sees a case while it is or was responsible for it, or has an open
-- handoff addressed to it. One definition, used by every query that reads cases.
CREATE FUNCTION case_visible_to(p_case_id uuid, p_actor_id uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM case_responsibility r WHERE r.case_id = p_case_id AND r.actor_id = p_actor_id)
        OR EXISTS (SELECT 1 FROM handoffs h WHERE h.case_id = p_case_id AND h.to_actor_id = p_actor_id
                   AND h.status IN ('pending', 'overdue'))
$$;
