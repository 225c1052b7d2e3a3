-- The console's inbox (issue 16) lists a municipality's open incoming, open outgoing and rejected outgoing
-- handoffs, newest first. With only (actor, id) indexes, the open and rejected lists walked every handoff the
-- actor ever sent or received to find the few that are open or rejected — at a million citizens hundreds of
-- thousands of index entries per page. Partial indexes hold only the open and the rejected ones; the list
-- queries are planned with their parameters bound, so their status conditions select these indexes.
CREATE INDEX handoffs_open_to ON handoffs (to_actor_id, id DESC) WHERE status IN ('pending', 'overdue');
CREATE INDEX handoffs_open_from ON handoffs (from_actor_id, id DESC) WHERE status IN ('pending', 'overdue');
CREATE INDEX handoffs_rejected_from ON handoffs (from_actor_id, id DESC) WHERE status = 'rejected';
