-- Events from systems of record, the effects the pathway rules derived from them, and notifications
-- (the transactional outbox: a notification row commits with the change that causes it).

ALTER TABLE citizens ADD COLUMN municipality_code text CHECK (municipality_code ~ '^[0-9]{3}$');

CREATE TABLE events (
    id            uuid PRIMARY KEY,
    source        text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
    external_id   text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
    type          text NOT NULL,
    occurred_at   timestamptz NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    citizen_id    uuid NOT NULL REFERENCES citizens (id),
    actor_id      uuid REFERENCES actors (id),
    attributes    jsonb NOT NULL,
    -- Keyed digest (HMAC) of the canonical body, to tell a replay from a conflicting re-use of the key
    -- without storing the CPR number the body contains.
    body_digest   bytea NOT NULL,
    result        jsonb NOT NULL,
    posted_by_key uuid,
    CONSTRAINT events_idempotency UNIQUE (source, external_id)
);
CREATE INDEX events_citizen ON events (citizen_id, occurred_at);
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Which rule effects have been applied for a citizen, by stable slot (pathway, rule, effect, event), so a
-- replay of the history applies each once and a changed value (a late citizen.moved) is a correction.
CREATE TABLE applied_effects (
    citizen_id uuid NOT NULL REFERENCES citizens (id),
    slot       text NOT NULL,
    value      text NOT NULL,
    event_id   uuid NOT NULL,
    case_id    uuid REFERENCES cases (id),
    handoff_id uuid REFERENCES handoffs (id),
    outcome    text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (citizen_id, slot)
);

CREATE TABLE notifications (
    id         uuid PRIMARY KEY,
    -- Commit-independent order of creation, for the inbox and the live stream.
    position   bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    actor_id   uuid NOT NULL REFERENCES actors (id),
    kind       text NOT NULL CHECK (kind IN (
                   'handoff.requested', 'handoff.accepted', 'handoff.rejected', 'handoff.cancelled', 'handoff.overdue',
                   'case.escalated', 'case.readmission', 'case.reoffence', 'case.closed')),
    case_id    uuid REFERENCES cases (id),
    handoff_id uuid REFERENCES handoffs (id),
    data       jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz
);
CREATE INDEX notifications_actor ON notifications (actor_id, position DESC);
CREATE INDEX notifications_actor_unread ON notifications (actor_id, position DESC) WHERE read_at IS NULL;
