-- When each due source becomes deliverable: its due instant, or the end of its claim if that is later.
-- The engine asks for the earliest of these between passes; as an indexed column that is one index
-- lookup, where the minimum over "unclaimed" rows walked every unclaimed row. Computed by the
-- database (PostgreSQL 12 or later), so no writer can forget it. The claim index it replaces served
-- only that minimum.
ALTER TABLE schedule_due ADD COLUMN ready_at TIMESTAMP WITH TIME ZONE
    GENERATED ALWAYS AS (GREATEST(due_at, COALESCE(claimed_until, due_at))) STORED;
CREATE INDEX ix_schedule_due_ready ON schedule_due (ready_at);
DROP INDEX ix_schedule_due_claimed;
