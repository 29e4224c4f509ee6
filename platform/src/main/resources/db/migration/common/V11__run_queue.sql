-- The executors' lease queue, derived from the run events (command-side run/RunQueueProjection, a
-- subscribing processor: written in the transaction that appends the events). One row per open run:
-- scheduled (due_at = when it may be leased), running (due_at = when its lease expires) or delegated;
-- the row goes when the run ends. claimed_until marks a claim in progress (a lease command on its way
-- to the run), so another executor or node passes the row by meanwhile.
CREATE TABLE run_queue (
    run_id        VARCHAR(64) PRIMARY KEY,
    workspace_id  VARCHAR(64) NOT NULL,
    automation_id VARCHAR(64) NOT NULL,
    team_id       VARCHAR(64),
    status        VARCHAR(16) NOT NULL,
    due_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_id      VARCHAR(64),
    claimed_until TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_run_queue_workspace ON run_queue (workspace_id, status, due_at);
CREATE INDEX ix_run_queue_automation ON run_queue (automation_id, status, due_at);
CREATE INDEX ix_run_queue_due ON run_queue (status, due_at);
