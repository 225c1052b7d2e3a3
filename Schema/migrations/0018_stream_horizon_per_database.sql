-- The live stream's horizon was the snapshot's xmin, and xmin is cluster-wide: a transaction left open in another
-- database of the same cluster (another service, a test, a long report) held back every live stream until it
-- ended. A transaction of another database can never add a row to this table, so the horizon is the oldest
-- transaction still running that may belong to this one: the snapshot's running ids, less those that
-- pg_stat_activity shows running elsewhere right now (an id belongs to one backend, and so to one database, for
-- its whole life). An id that has just finished, or whose backend we may not see, still counts as ours: the
-- horizon can only be too early, never too late, so no row is skipped.
CREATE FUNCTION notification_stream_horizon() RETURNS xid8 LANGUAGE sql STABLE AS $$
    SELECT coalesce(min(running.xid), pg_snapshot_xmax(pg_current_snapshot()))
    FROM pg_snapshot_xip(pg_current_snapshot()) AS running(xid)
    WHERE NOT EXISTS (
        SELECT 1 FROM pg_stat_activity AS elsewhere
        WHERE elsewhere.backend_xid = running.xid::xid AND elsewhere.datname IS DISTINCT FROM current_database())
$$;
