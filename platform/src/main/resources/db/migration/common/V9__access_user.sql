-- Users (AccessProjection): a user exists from the first time a workspace admin adds them (that
-- workspace is their home) or a token is issued to them. Adding an existing user to another
-- workspace, and acting on another user's tokens, need authority over that user (UserAuthority).
CREATE TABLE access_user (
    user_id           VARCHAR(200) PRIMARY KEY,
    home_workspace_id VARCHAR(64),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

-- An installation from before this table: everyone already named in the access read model exists.
INSERT INTO access_user (user_id, home_workspace_id, created_at)
    SELECT user_id, MIN(workspace_id), MIN(updated_at) FROM access_member GROUP BY user_id;
INSERT INTO access_user (user_id, home_workspace_id, created_at)
    SELECT t.user_id, NULL, MIN(t.created_at) FROM access_token t
    WHERE NOT EXISTS (SELECT 1 FROM access_user u WHERE u.user_id = t.user_id) GROUP BY t.user_id;
