-- Webhook subscriptions and their deliveries. A delivery row is created by the database in the same
-- transaction as the notification it carries, so no committed notification can miss its webhooks.

CREATE TABLE subscriptions (
    id             uuid PRIMARY KEY,
    owner_key_id   uuid,
    owner_actor_id uuid REFERENCES actors (id),
    actor_id       uuid NOT NULL REFERENCES actors (id),
    url            text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
    kinds          text[] NOT NULL CHECK (cardinality(kinds) > 0),
    secret_sealed  bytea NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_actor ON subscriptions (actor_id);

CREATE TABLE deliveries (
    -- The webhook-id: stable across retries and manual redeliveries, so receivers can de-duplicate.
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subscription_id  uuid NOT NULL REFERENCES subscriptions (id),
    notification_id  uuid NOT NULL REFERENCES notifications (id),
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    UNIQUE (subscription_id, notification_id)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_subscription ON deliveries (subscription_id, created_at DESC);

CREATE TABLE delivery_attempts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  uuid NOT NULL REFERENCES deliveries (id),
    attempted_at timestamptz NOT NULL DEFAULT now(),
    status_code  integer,
    error        text,
    duration_ms  integer NOT NULL
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id);

CREATE FUNCTION notifications_enqueue_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deliveries (subscription_id, notification_id)
    SELECT s.id, n.id FROM new_notifications n
    JOIN subscriptions s ON s.actor_id = n.actor_id AND n.kind = ANY (s.kinds);
    RETURN NULL;
END
$$;
CREATE TRIGGER notifications_enqueue_deliveries AFTER INSERT ON notifications
    REFERENCING NEW TABLE AS new_notifications FOR EACH STATEMENT EXECUTE FUNCTION notifications_enqueue_deliveries();
