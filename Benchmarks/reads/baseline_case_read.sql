-- The baseline of an audited case read: the same SELECT Indgang sends (CaseSQL.selectCase with the visibility
-- check) and the same audit INSERT, in one transaction per read as PostgreSQL's own client would write it, with
-- the same durability. The case is picked by a random row of bench_case_ids inside the statement (an integer
-- primary-key look-up, no extra round trip).
\set n random(1, :cases)
BEGIN;
SELECT c.id AS case_id, c.citizen_id, c.pathway, c.status, ra.slug, c.summary, c.external_ref, c.flags, c.opened_at,
       c.closed_at, c.close_outcome, c.version,
       h.id, fa.slug, ta.slug, h.status, h.reason, h.requested_at, h.due_at, c.pathway_variant, c.pathway_version
FROM cases c
JOIN actors ra ON ra.id = c.responsible_actor_id
LEFT JOIN handoffs h ON h.case_id = c.id AND h.status IN ('pending', 'overdue')
LEFT JOIN actors fa ON fa.id = h.from_actor_id
LEFT JOIN actors ta ON ta.id = h.to_actor_id
WHERE c.id = (SELECT id FROM bench_case_ids WHERE n = :n) AND case_visible_to(c.id, ':actor') \gset b_
INSERT INTO audit_log (key_id, actor_id, role, action, citizen_id, case_id, purpose, request_id, details)
VALUES (':key', ':actor', 'caseworker', 'case.read', ':b_citizen_id', ':b_case_id', 'case work', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', NULL::jsonb);
COMMIT;
