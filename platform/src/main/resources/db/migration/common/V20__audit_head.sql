-- Each workspace's last audit link, kept beside the audit log by its one writer in the same transaction:
-- the writer reads a workspace's head per batch, and ORDER BY seq DESC LIMIT 1 over audit_log walked the
-- workspace's whole log on H2 (30 % of the server's samples under P1). Filled here from the log so far.
CREATE TABLE audit_head (
    workspace_id VARCHAR(64) PRIMARY KEY,
    seq          BIGINT NOT NULL,
    hash         VARCHAR(64) NOT NULL
);

INSERT INTO audit_head (workspace_id, seq, hash)
SELECT a.workspace_id, a.seq, a.hash FROM audit_log a
WHERE a.seq = (SELECT MAX(b.seq) FROM audit_log b WHERE b.workspace_id = a.workspace_id);
