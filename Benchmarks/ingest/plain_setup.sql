-- The second single-event baseline: the same transaction (baseline.sql) on plain tables — the same columns, a
-- primary key each, and nothing else: no foreign keys, checks, triggers, secondary indexes or partitions. The
-- distance between the two baselines is what Indgang's schema costs; the distance to this one is what Indgang
-- costs in all. Runs with search_path plain, public, so the script's table names resolve here and bench_cases
-- in public.
CREATE SCHEMA plain;
CREATE TABLE plain.events (LIKE public.events INCLUDING DEFAULTS, PRIMARY KEY (id));
CREATE TABLE plain.cases (LIKE public.cases INCLUDING DEFAULTS, PRIMARY KEY (id));
CREATE TABLE plain.case_timeline (LIKE public.case_timeline INCLUDING DEFAULTS INCLUDING IDENTITY, PRIMARY KEY (id));
CREATE TABLE plain.notifications (LIKE public.notifications INCLUDING DEFAULTS INCLUDING IDENTITY, PRIMARY KEY (id));
CREATE TABLE plain.audit_log (LIKE public.audit_log INCLUDING DEFAULTS INCLUDING IDENTITY, PRIMARY KEY (id));
INSERT INTO plain.cases SELECT * FROM public.cases;
VACUUM ANALYZE plain.cases;
