-- The audit log by month (issue 19): it grows with every event and every audited read (15.4 M rows, 3.4 GB at a
-- simulated million citizens), and personal-data access logs are kept for a period, not for ever. Partitioned by
-- `at` in whole UTC months, retention drops a month's partition instead of deleting rows one by one (which the
-- append-only trigger forbids anyway), and a month's reads and vacuum stay within its partition.
--
-- The rows written before this migration stay where they are: the old table becomes the partition for everything
-- before the first month boundary after the migration (no copy; PostgreSQL scans it once to check the bound, and
-- builds the two indexes the parent declares that it lacks). It is dropped whole once all of it is past retention.

ALTER TABLE audit_log RENAME TO audit_log_before_partitioning;
ALTER INDEX audit_log_citizen RENAME TO audit_log_before_partitioning_citizen;
ALTER INDEX audit_log_actor RENAME TO audit_log_before_partitioning_actor;
-- The parent declares the row trigger; a partition's own copy would clash with it at ATTACH. (The TRUNCATE trigger
-- stays: statement triggers are not inherited, so each partition keeps one of its own.)
DROP TRIGGER audit_log_append_only ON audit_log_before_partitioning;

-- PostgreSQL 15 has no identity columns on partitioned tables: a sequence that goes on from the old one.
ALTER TABLE audit_log_before_partitioning ALTER COLUMN id DROP IDENTITY;
ALTER TABLE audit_log_before_partitioning
    DROP CONSTRAINT audit_log_pkey, ADD CONSTRAINT audit_log_before_partitioning_pkey PRIMARY KEY (id, at);
CREATE SEQUENCE audit_log_id_seq AS bigint;
SELECT setval('audit_log_id_seq', coalesce((SELECT max(id) FROM audit_log_before_partitioning), 0) + 1, false);

CREATE TABLE audit_log (
    id         bigint NOT NULL DEFAULT nextval('audit_log_id_seq'),
    at         timestamptz NOT NULL DEFAULT now(),
    key_id     uuid,
    actor_id   uuid,
    role       text NOT NULL,
    action     text NOT NULL,
    citizen_id uuid,
    case_id    uuid,
    purpose    text NOT NULL,
    request_id text,
    details    jsonb,
    -- A partitioned table's keys hold the partition column: ids stay unique (one sequence), the key says so per month.
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
ALTER SEQUENCE audit_log_id_seq OWNED BY audit_log.id;

CREATE INDEX audit_log_citizen ON audit_log (citizen_id, id DESC) WHERE citizen_id IS NOT NULL;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC) WHERE actor_id IS NOT NULL;
-- A key's last use (the admin's key list): without it, one scan of the whole log per key listed (7.7 s for 7 keys
-- at a million citizens).
CREATE INDEX audit_log_key ON audit_log (key_id, at DESC) WHERE key_id IS NOT NULL;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

DO $$
BEGIN
    EXECUTE format('ALTER TABLE audit_log ATTACH PARTITION audit_log_before_partitioning FOR VALUES FROM (MINVALUE) TO (%L)',
        (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC');
END
$$;

-- Creates the monthly partitions from the last one's end up to `months_ahead` months after the current one;
-- answers how many it created. Run by the migration and by every replica's partition maintenance (idempotent;
-- concurrent runs serialise on the parent's lock).
CREATE FUNCTION audit_log_add_partitions(months_ahead integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    covered timestamp;  -- UTC wall time: month arithmetic on timestamptz would follow the session's time zone
    goal timestamp := date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => months_ahead + 1);
    made integer := 0;
    name text;
BEGIN
    LOCK TABLE audit_log IN SHARE UPDATE EXCLUSIVE MODE;
    SELECT max(audit_log_partition_end(c.oid)) AT TIME ZONE 'UTC' INTO covered
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_log'::regclass;
    covered := coalesce(covered, date_trunc('month', now() AT TIME ZONE 'UTC'));
    WHILE covered < goal LOOP
        name := 'audit_log_' || to_char(covered, 'YYYY_MM');
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
            name, covered AT TIME ZONE 'UTC', (covered + interval '1 month') AT TIME ZONE 'UTC');
        EXECUTE format('CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()', name);
        covered := covered + interval '1 month';
        made := made + 1;
    END LOOP;
    RETURN made;
END
$$;

-- The exclusive upper bound of one partition of audit_log (from its partition bound expression).
CREATE FUNCTION audit_log_partition_end(partition oid) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT substring(pg_get_expr(relpartbound, oid) FROM 'TO \(''([^'']+)''\)')::timestamptz FROM pg_class WHERE oid = partition
$$;

-- Drops the partitions that end at or before `cutoff` (the retention period's start), and answers their names.
-- Refuses a cutoff less than six months ago: personal-data access logs are kept at least that long.
CREATE FUNCTION audit_log_drop_partitions(cutoff timestamptz) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    part record;
BEGIN
    IF cutoff > now() - interval '6 months' THEN
        RAISE EXCEPTION 'audit log partitions are kept at least six months (cutoff %)', cutoff USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR part IN
        SELECT c.oid::regclass::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_log'::regclass AND audit_log_partition_end(c.oid) <= cutoff
        ORDER BY audit_log_partition_end(c.oid)
    LOOP
        EXECUTE format('ALTER TABLE audit_log DETACH PARTITION %s', part.name);
        EXECUTE format('DROP TABLE %s', part.name);
        RETURN NEXT part.name;
    END LOOP;
END
$$;

SELECT audit_log_add_partitions(3);
