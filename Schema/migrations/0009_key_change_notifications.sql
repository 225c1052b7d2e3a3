-- Replicas remember which principal an API key stands for (PrincipalCache), so a request needs no database
-- round trip to authenticate. This tells every replica at once when a key or an actor changes (a revocation
-- from any process, or SQL), so a revoked key stops working everywhere within one notification.
CREATE FUNCTION principals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('indgang_principals', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE ON api_keys FOR EACH STATEMENT EXECUTE FUNCTION principals_changed();
CREATE TRIGGER actors_changed AFTER UPDATE OR DELETE ON actors FOR EACH STATEMENT EXECUTE FUNCTION principals_changed();
