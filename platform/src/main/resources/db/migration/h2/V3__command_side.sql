-- Command-side tables: set-based validation, idempotency keys, per-subject encryption keys
CREATE TABLE automation_name (
    workspace_id  VARCHAR(64) NOT NULL,
    name_key      VARCHAR(800) NOT NULL,
    automation_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (workspace_id, name_key)
);

CREATE TABLE idempotency_key (
    scope          VARCHAR(300) NOT NULL,
    idem_key       VARCHAR(255) NOT NULL,
    request_hash   VARCHAR(64) NOT NULL,
    resource_id    VARCHAR(64) NOT NULL,
    response_status INTEGER,
    response_body  VARCHAR,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX ix_idempotency_created ON idempotency_key (created_at);

CREATE TABLE subject_key (
    key_id         VARCHAR(64) PRIMARY KEY,
    subject_id     VARCHAR(64) NOT NULL,
    wrapped_key    VARCHAR,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    destroyed_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_subject_key_subject ON subject_key (subject_id);
