-- The audit log (docs/audit.md): one row per event of the event store, in the order the single-threaded
-- audit-log processor handled them (seq, the audit position), with the columns the audit filters use and
-- the event's link in its workspace's hash chain. The events themselves stay in the event store: rows
-- here point at them by global_index; the chain is recomputed from the stored events by /audit/verify.
CREATE TABLE audit_log (
    seq            BIGINT PRIMARY KEY,
    global_index   BIGINT NOT NULL UNIQUE,
    workspace_id   VARCHAR(64) NOT NULL,
    event_id       VARCHAR(255) NOT NULL,
    aggregate_id   VARCHAR(255) NOT NULL,
    aggregate_type VARCHAR(255),
    event_type     VARCHAR(255) NOT NULL,
    actor_id       VARCHAR(255),
    occurred_us    BIGINT NOT NULL,
    hash           VARCHAR(64) NOT NULL
);
CREATE INDEX ix_audit_log_workspace ON audit_log (workspace_id, seq);
CREATE INDEX ix_audit_log_aggregate ON audit_log (workspace_id, aggregate_id, seq);
CREATE INDEX ix_audit_log_type ON audit_log (workspace_id, aggregate_type, aggregate_id);
