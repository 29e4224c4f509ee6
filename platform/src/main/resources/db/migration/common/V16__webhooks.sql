-- Inbound webhooks. An endpoint (a slug of a workspace) has one signing secret, stored encrypted
-- under the endpoint's own subject key (FieldCipher, subject = webhook_id) with its keyed hash; after a
-- rotation the previous secret verifies until previous_expires_at. Written in the transaction of
-- the command that creates the first trigger on the slug, or rotates its secret.
CREATE TABLE webhook_endpoint (
    endpoint_key        VARCHAR(200) PRIMARY KEY,
    workspace_id        VARCHAR(64) NOT NULL,
    slug                VARCHAR(64) NOT NULL,
    webhook_id          VARCHAR(64) NOT NULL,
    secret              VARCHAR(2000) NOT NULL,
    secret_hash         VARCHAR(64) NOT NULL,
    previous_secret     VARCHAR(2000),
    previous_expires_at TIMESTAMP WITH TIME ZONE,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    rotated_at          TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX ux_webhook_endpoint_id ON webhook_endpoint (webhook_id);

-- The webhook triggers of every automation, by endpoint: kept by a processor in the transaction
-- that appends the automation's settings events (its own table, for the delivery path).
CREATE TABLE webhook_trigger (
    automation_id VARCHAR(64) NOT NULL,
    trigger_id    VARCHAR(64) NOT NULL,
    workspace_id  VARCHAR(64) NOT NULL,
    endpoint_key  VARCHAR(200) NOT NULL,
    event         VARCHAR(200),
    match_filter  VARCHAR(20000),
    cel_filter    VARCHAR(2000),
    enabled       BOOLEAN NOT NULL,
    deleted       BOOLEAN NOT NULL,
    PRIMARY KEY (automation_id, trigger_id)
);
CREATE INDEX ix_webhook_trigger_endpoint ON webhook_trigger (endpoint_key);

-- Deliveries answered (24 h): a re-sent delivery id answers the first answer and fires nothing.
CREATE TABLE webhook_delivery (
    endpoint_key VARCHAR(200) NOT NULL,
    delivery_id  VARCHAR(200) NOT NULL,
    answer       VARCHAR(1000000) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (endpoint_key, delivery_id)
);
CREATE INDEX ix_webhook_delivery_created ON webhook_delivery (created_at);
