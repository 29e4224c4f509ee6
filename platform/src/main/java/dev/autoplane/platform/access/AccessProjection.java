package dev.autoplane.platform.access;

import dev.autoplane.events.identity.IdentityEvents.PersonalAccessTokenIssuedEvent;
import dev.autoplane.events.identity.IdentityEvents.PersonalAccessTokenRevokedEvent;
import dev.autoplane.events.identity.IdentityEvents.TeamCreatedEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceCreatedEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceMemberPutEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceMemberRemovedEvent;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Projects identity events into the access read model. Every write is an upsert keyed by the
 * event's subject, so a replayed event changes nothing.
 */
@Component
@ProcessingGroup(AccessProjection.PROCESSING_GROUP)
public class AccessProjection {

    public static final String PROCESSING_GROUP = "access";

    private final JdbcTemplate jdbc;
    private final String upsertWorkspace;
    private final String upsertMember;
    private final String upsertTeam;
    private final String upsertToken;

    public AccessProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        SqlDialect dialect = SqlDialect.of(jdbc);
        upsertWorkspace = dialect.upsert("access_workspace", List.of("workspace_id"),
                "workspace_id", "name", "organization_id", "created_at");
        upsertMember = dialect.upsert("access_member", List.of("workspace_id", "user_id"),
                "workspace_id", "user_id", "role", "team_ids", "updated_at");
        upsertTeam = dialect.upsert("access_team", List.of("workspace_id", "team_id"),
                "workspace_id", "team_id", "name", "created_at");
        upsertToken = dialect.upsert("access_token", List.of("token_id"),
                "token_id", "token_hash", "user_id", "name", "expires_at", "revoked", "created_at");
    }

    @EventHandler
    void on(WorkspaceCreatedEvent e) {
        jdbc.update(upsertWorkspace, e.workspaceId(), e.name(), e.organizationId(), ts(e.createdAt()));
    }

    @EventHandler
    void on(WorkspaceMemberPutEvent e) {
        jdbc.update(upsertMember, e.workspaceId(), e.userId(), e.role().wire(),
                String.join(",", e.teamIds() == null ? List.of() : e.teamIds()), ts(e.changedAt()));
    }

    @EventHandler
    void on(WorkspaceMemberRemovedEvent e) {
        jdbc.update("DELETE FROM access_member WHERE workspace_id = ? AND user_id = ?", e.workspaceId(), e.userId());
    }

    @EventHandler
    void on(TeamCreatedEvent e) {
        jdbc.update(upsertTeam, e.workspaceId(), e.teamId(), e.name(), ts(e.createdAt()));
    }

    @EventHandler
    void on(PersonalAccessTokenIssuedEvent e) {
        jdbc.update(upsertToken, e.tokenId(), e.tokenHash(), e.userId(), e.name(), ts(e.expiresAt()), false,
                ts(e.issuedAt()));
    }

    @EventHandler
    void on(PersonalAccessTokenRevokedEvent e) {
        jdbc.update("UPDATE access_token SET revoked = TRUE WHERE token_id = ?", e.tokenId());
    }

    @ResetHandler
    void reset() {
        for (String table : List.of("access_token", "access_team", "access_member", "access_workspace")) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
