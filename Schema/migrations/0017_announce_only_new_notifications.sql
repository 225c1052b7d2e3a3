-- The announcement wakes every live stream and webhook sender on every replica; a statement that inserted no
-- notification (the one set-based writer runs its insert for every change, empty or not) must not send it.
CREATE OR REPLACE FUNCTION notifications_announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM announced) THEN
        PERFORM pg_notify('indgang_notifications', '');
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER notifications_announce ON notifications;
CREATE TRIGGER notifications_announce AFTER INSERT ON notifications REFERENCING NEW TABLE AS announced
    FOR EACH STATEMENT EXECUTE FUNCTION notifications_announce();
