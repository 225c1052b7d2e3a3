-- The console's inbox shows open handoffs most urgent first — overdue first, then by due time — a page at a time
-- (issue 16): measured at a million citizens, the page that listed the newest 200 open handoffs each way and
-- sorted them in Swift cost its time in rendering 450 rows (486 KB), and could miss the oldest overdue ones.
-- Open handoffs by party and due time replace 0022's by party and id (nothing else reads open handoffs by id).
DROP INDEX handoffs_open_to;
DROP INDEX handoffs_open_from;
CREATE INDEX handoffs_open_to_due ON handoffs (to_actor_id, due_at, id) WHERE status IN ('pending', 'overdue');
CREATE INDEX handoffs_open_from_due ON handoffs (from_actor_id, due_at, id) WHERE status IN ('pending', 'overdue');
