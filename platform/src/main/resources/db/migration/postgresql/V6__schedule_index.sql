-- The scheduling engine's index, derived from the automation events (see command-side scheduling/):
-- per automation the fold of its time sources, and per source when it is next due.
CREATE TABLE schedule_book (
    automation_id VARCHAR(64) PRIMARY KEY,
    state         TEXT NOT NULL
);

CREATE TABLE schedule_due (
    automation_id VARCHAR(64) NOT NULL,
    source_id     VARCHAR(64) NOT NULL,
    due_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (automation_id, source_id)
);
CREATE INDEX ix_schedule_due_at ON schedule_due (due_at);
