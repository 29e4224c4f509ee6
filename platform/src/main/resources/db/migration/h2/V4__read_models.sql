-- Query-side read models (JDBC adapter)
CREATE TABLE automation_view (
    id           VARCHAR(64) PRIMARY KEY,
    workspace_id VARCHAR(64) NOT NULL,
    deleted      BOOLEAN NOT NULL,
    version      BIGINT NOT NULL,
    doc          VARCHAR NOT NULL
);
CREATE INDEX ix_automation_view_workspace ON automation_view (workspace_id, id);

CREATE TABLE automation_revision (
    automation_id VARCHAR(64) NOT NULL,
    major         INTEGER NOT NULL,
    minor         INTEGER NOT NULL,
    workspace_id  VARCHAR(64) NOT NULL,
    stage         VARCHAR(16) NOT NULL,
    doc           VARCHAR NOT NULL,
    PRIMARY KEY (automation_id, major, minor)
);
