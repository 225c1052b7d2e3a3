-- Trust boundaries (API.md, second wave): an integration speaks only for its own actor, idempotency keys are
-- per posting actor, subscriptions can be paused, and the audit log answers "what did this actor do".

-- Event grants of an integration key: NULL means the defaults for its actor's kind (IndgangCore EventAuthority).
ALTER TABLE api_keys ADD COLUMN event_types text[];
CREATE INDEX api_keys_actor ON api_keys (actor_id, created_at DESC);

-- The idempotency key is (posting actor, source, id): two actors can never collide on, or claim, each other's
-- keys. Events loaded by internal tools (the simulator) have no posting actor and share one key space.
ALTER TABLE events ADD COLUMN posting_actor_id uuid REFERENCES actors (id);
ALTER TABLE events DISABLE TRIGGER events_append_only;
UPDATE events e SET posting_actor_id = k.actor_id FROM api_keys k WHERE k.id = e.posted_by_key;
ALTER TABLE events ENABLE TRIGGER events_append_only;
ALTER TABLE events DROP CONSTRAINT events_idempotency;
CREATE UNIQUE INDEX events_idempotency
    ON events (coalesce(posting_actor_id, '00000000-0000-0000-0000-000000000000'::uuid), source, external_id);

-- New notification kinds: a refused duplicate case asks the holder to make contact; a retracted event that
-- cannot be undone (an accepted handoff) is told to the responsible actor.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (
    'handoff.requested', 'handoff.accepted', 'handoff.rejected', 'handoff.cancelled', 'handoff.overdue',
    'case.escalated', 'case.readmission', 'case.reoffence', 'case.closed', 'case.contact_requested',
    'case.event_retracted'));

ALTER TABLE case_timeline DROP CONSTRAINT case_timeline_kind_check;
ALTER TABLE case_timeline ADD CONSTRAINT case_timeline_kind_check CHECK (kind IN (
    'opened', 'handoff_requested', 'handoff_accepted', 'handoff_rejected', 'handoff_cancelled',
    'handoff_overdue', 'escalated', 'event_received', 'event_retracted', 'readmission_flagged', 'reoffence_flagged',
    'note', 'closed'));

-- A paused subscription queues nothing.
ALTER TABLE subscriptions ADD COLUMN active boolean NOT NULL DEFAULT true;
ALTER TABLE subscriptions ADD COLUMN deleted_at timestamptz;
CREATE OR REPLACE FUNCTION notifications_enqueue_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deliveries (subscription_id, notification_id)
    SELECT s.id, n.id FROM new_notifications n
    JOIN subscriptions s ON s.actor_id = n.actor_id AND n.kind = ANY (s.kinds) AND s.active AND s.deleted_at IS NULL;
    RETURN NULL;
END
$$;

-- What an actor's keys did (coordinator queries among them), and the parameters of a query (never data).
ALTER TABLE audit_log ADD COLUMN details jsonb;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC) WHERE actor_id IS NOT NULL;
