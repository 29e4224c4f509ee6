-- Query-side read models of the scheduling engine (JDBC adapter): runs, occurrences and the
-- per-automation fold of its time sources. Instants used for filtering and ordering are kept as
-- epoch microseconds; the view itself is the JSON document.
CREATE TABLE run_view (
    id            VARCHAR(64) PRIMARY KEY,
    workspace_id  VARCHAR(64) NOT NULL,
    automation_id VARCHAR(64) NOT NULL,
    trigger_id    VARCHAR(200),
    status        VARCHAR(16) NOT NULL,
    scheduled_at  BIGINT NOT NULL,
    version       BIGINT NOT NULL,
    doc           TEXT NOT NULL
);
CREATE INDEX ix_run_view_workspace ON run_view (workspace_id, id);
CREATE INDEX ix_run_view_automation ON run_view (automation_id, id);
CREATE INDEX ix_run_view_trigger ON run_view (automation_id, trigger_id, id);
CREATE INDEX ix_run_view_status ON run_view (workspace_id, status, id);

CREATE TABLE occurrence_view (
    fire_id       VARCHAR(400) PRIMARY KEY,
    workspace_id  VARCHAR(64) NOT NULL,
    automation_id VARCHAR(64) NOT NULL,
    outcome       VARCHAR(32) NOT NULL,
    scheduled_at  BIGINT NOT NULL,
    doc           TEXT NOT NULL
);
CREATE INDEX ix_occurrence_view_automation ON occurrence_view (automation_id, scheduled_at, fire_id);

CREATE TABLE automation_schedule (
    automation_id VARCHAR(64) PRIMARY KEY,
    workspace_id  VARCHAR(64) NOT NULL,
    version       BIGINT NOT NULL,
    doc           TEXT NOT NULL
);
