-- Claiming a delivery checks that no earlier notification of the same case is still pending for the same
-- subscription; this index makes that a short look-up per candidate instead of a scan of the queue.
CREATE INDEX notifications_case ON notifications (case_id, position);
