-- Workspace connections (seed 002; command-side connection/). connection_directory: each connection as its
-- events left it, without its credential (the credential lives only as ciphertext in the connection's events);
-- connection_usage: which automations use which connection in their current draft and in their latest
-- published revision. Both are kept by a subscribing projection of the events (in the transaction that
-- appends them) and read by the connection endpoints and the rules that span aggregates (delete while used).
CREATE TABLE connection_directory (
    connection_id VARCHAR(64) PRIMARY KEY,
    workspace_id  VARCHAR(64) NOT NULL,
    name          VARCHAR(800) NOT NULL,
    version       INTEGER NOT NULL,
    doc           VARCHAR NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_connection_directory_ws ON connection_directory (workspace_id, created_at, connection_id);

CREATE TABLE connection_usage (
    automation_id VARCHAR(64) NOT NULL,
    stage         VARCHAR(16) NOT NULL,
    connection_id VARCHAR(64) NOT NULL,
    workspace_id  VARCHAR(64) NOT NULL,
    version       INTEGER NOT NULL,
    PRIMARY KEY (automation_id, stage, connection_id)
);
CREATE INDEX ix_connection_usage_connection ON connection_usage (connection_id);

-- an automation soft-deleted is not a user of its connections until it is undeleted
CREATE TABLE connection_usage_hidden (
    automation_id VARCHAR(64) PRIMARY KEY
);
