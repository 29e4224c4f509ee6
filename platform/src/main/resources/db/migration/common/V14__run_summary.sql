-- Per automation: its newest run and how many of its runs are in each status, kept by the run
-- projection as deltas per batch (a read of an automation costs this one row, however many runs it
-- has). Filled here from the runs projected so far; afterwards the projection keeps it current.
CREATE TABLE run_summary (
    automation_id   VARCHAR(64) PRIMARY KEY,
    last_run_id     VARCHAR(64),
    last_run_status VARCHAR(16),
    scheduled       BIGINT NOT NULL DEFAULT 0,
    running         BIGINT NOT NULL DEFAULT 0,
    delegated       BIGINT NOT NULL DEFAULT 0,
    completed       BIGINT NOT NULL DEFAULT 0,
    failed          BIGINT NOT NULL DEFAULT 0,
    canceled        BIGINT NOT NULL DEFAULT 0
);

INSERT INTO run_summary (automation_id, last_run_id, scheduled, running, delegated, completed, failed, canceled)
SELECT automation_id, MAX(id),
       SUM(CASE WHEN status = 'scheduled' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'running' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'delegated' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'canceled' THEN 1 ELSE 0 END)
FROM run_view GROUP BY automation_id;

UPDATE run_summary SET last_run_status = (SELECT v.status FROM run_view v WHERE v.id = run_summary.last_run_id);
