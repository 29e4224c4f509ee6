-- Identity and access (issue 3).

-- The access read model of automations as credentials (AccessProjection): what the token exchange
-- and every service-account request check. Only keyed hashes of secrets, never a secret.
CREATE TABLE access_automation (
    automation_id              VARCHAR(64) PRIMARY KEY,
    workspace_id               VARCHAR(64) NOT NULL,
    team_id                    VARCHAR(64),
    scopes                     VARCHAR(2000) NOT NULL,
    team_scope                 VARCHAR(8000) NOT NULL,
    suspended                  BOOLEAN NOT NULL,
    deleted                    BOOLEAN NOT NULL,
    secret_hash                VARCHAR(64),
    previous_secret_hash       VARCHAR(64),
    previous_secret_valid_until TIMESTAMP WITH TIME ZONE,
    updated_at                 TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_access_automation_ws ON access_automation (workspace_id);

-- Visible agents (AccessProjection): read by the agent endpoints and by X-Agent-Name checks.
CREATE TABLE access_agent (
    agent_id        VARCHAR(64) PRIMARY KEY,
    workspace_id    VARCHAR(64) NOT NULL,
    name            VARCHAR(200) NOT NULL,
    name_key        VARCHAR(200) NOT NULL,
    installation_id VARCHAR(64) NOT NULL,
    team_scope      VARCHAR(8000) NOT NULL,
    role            VARCHAR(16),
    suspended       BOOLEAN NOT NULL,
    version         BIGINT NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_access_agent_ws_name ON access_agent (workspace_id, name_key);

-- Command side: agent names are unique per workspace (claimed in the command's transaction).
CREATE TABLE agent_name (
    workspace_id VARCHAR(64) NOT NULL,
    name_key     VARCHAR(200) NOT NULL,
    agent_id     VARCHAR(64) NOT NULL,
    PRIMARY KEY (workspace_id, name_key)
);

-- The key set that signs access tokens, shared by every node through the database: public keys
-- as JWKs in clear, the private key wrapped (Tink AES-256-GCM) by the master key. A key signs
-- from signs_from on; it stays published until published_until (NULL: while it is current).
CREATE TABLE signing_key (
    kid             VARCHAR(64) PRIMARY KEY,
    algorithm       VARCHAR(16) NOT NULL,
    public_jwk      VARCHAR(4000) NOT NULL,
    wrapped_private VARCHAR(8000),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    signs_from      TIMESTAMP WITH TIME ZONE NOT NULL,
    published_until TIMESTAMP WITH TIME ZONE
);
