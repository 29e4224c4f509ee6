-- The access read model (AccessProjection): workspaces, members, teams, personal access tokens
CREATE TABLE access_workspace (
    workspace_id    VARCHAR(64) PRIMARY KEY,
    name            VARCHAR(200) NOT NULL,
    organization_id VARCHAR(200),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE access_member (
    workspace_id VARCHAR(64) NOT NULL,
    user_id      VARCHAR(200) NOT NULL,
    role         VARCHAR(16) NOT NULL,
    team_ids     VARCHAR(4000),
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX ix_access_member_user ON access_member (user_id);

CREATE TABLE access_team (
    workspace_id VARCHAR(64) NOT NULL,
    team_id      VARCHAR(64) NOT NULL,
    name         VARCHAR(200) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (workspace_id, team_id)
);

CREATE TABLE access_token (
    token_id   VARCHAR(64) PRIMARY KEY,
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    user_id    VARCHAR(200) NOT NULL,
    name       VARCHAR(200) NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE,
    revoked    BOOLEAN NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_access_token_user ON access_token (user_id);
