-- Push delivery (command-side delivery/, docs/runs.md "Push delivery"). delivery_target: where each
-- automation's runs are POSTed and its signing secrets, as ciphertext under the automation's own key (never
-- in clear), kept by a subscribing projection of the automation events (in the transaction that appends them).
CREATE TABLE delivery_target (
    automation_id        VARCHAR(64) PRIMARY KEY,
    workspace_id         VARCHAR(64) NOT NULL,
    url                  VARCHAR(2048) NOT NULL,
    secret_key_id        VARCHAR(64) NOT NULL,
    secret_ciphertext    VARCHAR(1024) NOT NULL,
    previous_key_id      VARCHAR(64),
    previous_ciphertext  VARCHAR(1024),
    previous_valid_until TIMESTAMP WITH TIME ZONE
);

-- A running run leased by push delivery owes a send at delivery_due_at (the lease time, or after a transient
-- failure the backoff's next try); NULL once delegated, failed back to the queue, or for pull leases. What is
-- owed is derived from the run events, so a restart resumes every send still owed.
ALTER TABLE run_queue ADD COLUMN delivery_due_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_run_queue_delivery ON run_queue (status, delivery_due_at);
