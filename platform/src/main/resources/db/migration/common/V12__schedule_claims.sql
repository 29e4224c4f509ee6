-- The engine claims a due source for a short lease before it sends the fire command, and sends it
-- after the claim has committed: no database lock is held while a command is handled, wherever it
-- is handled (another thread, another transaction, another node through Axon Server). A claim that
-- outlives its lease (its node died, the command failed) makes the source deliverable again; the
-- aggregate ignores an occurrence it has already recorded.
ALTER TABLE schedule_due ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_schedule_due_claimed ON schedule_due (claimed_until);

-- The last automation event folded into the book: where the index is kept by a tracking processor
-- (the distributed mode, events in Axon Server), a redelivered event changes nothing.
ALTER TABLE schedule_book ADD COLUMN last_sequence BIGINT;
