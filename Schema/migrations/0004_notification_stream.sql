-- The live stream delivers notifications in commit-safe order: by the writing transaction's id (xid8), then by
-- position, and only once every transaction that could still add an earlier row has finished (xid below the
-- current snapshot's xmin). Positions alone are not enough: they are assigned at insert, not at commit, so a
-- reader paging by position could skip a row whose transaction commits late.
ALTER TABLE notifications ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX notifications_actor_stream ON notifications (actor_id, xid, position);

-- Wakes the stream readers of every replica (LISTEN indgang_notifications) when notifications commit.
CREATE FUNCTION notifications_announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('indgang_notifications', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER notifications_announce AFTER INSERT ON notifications FOR EACH STATEMENT EXECUTE FUNCTION notifications_announce();
