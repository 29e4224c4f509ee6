-- Seed 002's automation visualization (query-side visualization/): one document per automation, the diagram of
-- its latest published revision (PENDING while generated, then COMPLETED or FAILED).
CREATE TABLE automation_visualization (
    automation_id VARCHAR(64) PRIMARY KEY,
    workspace_id  VARCHAR(64) NOT NULL,
    doc           VARCHAR NOT NULL
);
