-- pgbench baseline: the same work as one event ingest, as plain SQL in one transaction — insert the event,
-- lock the case, update it, insert a timeline entry, an outbox notification and an audit row.
\set c random(1, 1000)
BEGIN;
INSERT INTO events (id, source, external_id, type, occurred_at, citizen_id, actor_id, attributes, body_digest, result)
    SELECT gen_random_uuid(), 'pgbench', gen_random_uuid()::text, 'hospital.admitted', now(), citizen_id, actor_id,
           '{"admission": "acute", "actor": "bench-hospital", "episode_id": "1"}', '\x00', '{}'
    FROM bench_cases WHERE n = :c;
SELECT c.id FROM cases c JOIN bench_cases b ON b.case_id = c.id WHERE b.n = :c FOR NO KEY UPDATE OF c;
UPDATE cases SET version = version + 1 WHERE id = (SELECT case_id FROM bench_cases WHERE n = :c);
INSERT INTO case_timeline (case_id, kind, data) SELECT case_id, 'event_received', '{"event_id": "x"}' FROM bench_cases WHERE n = :c;
INSERT INTO notifications (id, actor_id, kind, case_id) SELECT gen_random_uuid(), actor_id, 'case.readmission', case_id FROM bench_cases WHERE n = :c;
INSERT INTO audit_log (role, action, citizen_id, purpose) SELECT 'integration', 'event.ingest', citizen_id, 'integration' FROM bench_cases WHERE n = :c;
END;
