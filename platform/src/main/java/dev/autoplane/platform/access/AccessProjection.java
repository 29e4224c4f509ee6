package dev.autoplane.platform.access;

import dev.autoplane.events.agent.AgentEvents.AgentChangedEvent;
import dev.autoplane.events.agent.AgentEvents.AgentCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeletedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSecretIssuedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSecretRotatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSettingsChangedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationUndeletedEvent;
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.identity.IdentityEvents.PersonalAccessTokenIssuedEvent;
import dev.autoplane.events.identity.IdentityEvents.PersonalAccessTokenRevokedEvent;
import dev.autoplane.events.identity.IdentityEvents.TeamCreatedEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceCreatedEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceMemberPutEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceMemberRemovedEvent;
import dev.autoplane.platform.jdbc.SqlDialect;
import dev.autoplane.platform.storage.DurableCommits;
import dev.autoplane.platform.access.CachedAccessDirectory.Kind;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Projects identity events into the access read model. Every write is an upsert keyed by the
 * event's subject, so a replayed event changes nothing.
 */
@Component
@ProcessingGroup(AccessProjection.PROCESSING_GROUP)
public class AccessProjection {

    public static final String PROCESSING_GROUP = "access";

    private final JdbcTemplate jdbc;
    private final CachedAccessDirectory cache;
    private final String upsertWorkspace;
    private final String upsertMember;
    private final String upsertTeam;
    private final String upsertToken;
    private final String upsertAutomation;
    private final String upsertAgent;

    public AccessProjection(JdbcTemplate jdbc, ObjectProvider<CachedAccessDirectory> cache) {
        this.jdbc = jdbc;
        this.cache = cache.getIfAvailable();
        SqlDialect dialect = SqlDialect.of(jdbc);
        upsertWorkspace = dialect.upsert("access_workspace", List.of("workspace_id"),
                "workspace_id", "name", "organization_id", "created_at");
        upsertMember = dialect.upsert("access_member", List.of("workspace_id", "user_id"),
                "workspace_id", "user_id", "role", "team_ids", "updated_at");
        upsertTeam = dialect.upsert("access_team", List.of("workspace_id", "team_id"),
                "workspace_id", "team_id", "name", "created_at");
        upsertToken = dialect.upsert("access_token", List.of("token_id"),
                "token_id", "token_hash", "user_id", "name", "expires_at", "revoked", "created_at");
        upsertAutomation = dialect.upsert("access_automation", List.of("automation_id"), "automation_id",
                "workspace_id", "team_id", "scopes", "team_scope", "suspended", "deleted", "updated_at");
        upsertAgent = dialect.upsert("access_agent", List.of("agent_id"), "agent_id", "workspace_id", "name",
                "name_key", "installation_id", "team_scope", "role", "suspended", "version", "created_at", "updated_at");
    }

    @EventHandler
    void on(WorkspaceCreatedEvent e) {
        jdbc.update(upsertWorkspace, e.workspaceId(), e.name(), e.organizationId(), ts(e.createdAt()));
    }

    @EventHandler
    void on(WorkspaceMemberPutEvent e) {
        changed(Kind.MEMBER, List.of(e.workspaceId(), e.userId()));
        jdbc.update(upsertMember, e.workspaceId(), e.userId(), e.role().wire(),
                String.join(",", e.teamIds() == null ? List.of() : e.teamIds()), ts(e.changedAt()));
        userExists(e.userId(), e.workspaceId(), e.changedAt());
    }

    @EventHandler
    void on(WorkspaceMemberRemovedEvent e) {
        changed(Kind.MEMBER, List.of(e.workspaceId(), e.userId()));
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
        userExists(e.userId(), null, e.issuedAt());
    }

    /** The first event naming a user makes them exist; its workspace (if any) is their home. Later ones change nothing. */
    private void userExists(String userId, String homeWorkspaceId, Instant at) {
        // look, then insert: portable (ON CONFLICT is not), and one thread handles this projection's events
        // in order; an INSERT … SELECT … WHERE NOT EXISTS on H2 2.4 still raised a duplicate key here
        Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM access_user WHERE user_id = ?", Integer.class, userId);
        if (known == null || known == 0) {
            jdbc.update("INSERT INTO access_user (user_id, home_workspace_id, created_at) VALUES (?, ?, ?)",
                    userId, homeWorkspaceId, ts(at));
        }
    }

    @EventHandler
    void on(PersonalAccessTokenRevokedEvent e) {
        changed(Kind.TOKEN, e.tokenId());
        jdbc.update("UPDATE access_token SET revoked = TRUE WHERE token_id = ?", e.tokenId());
    }

    // --- automations as credentials

    @EventHandler
    void on(AutomationCreatedEvent e) {
        AutomationSettings s = e.settings();
        jdbc.update(upsertAutomation, e.automationId(), e.workspaceId(), s.teamId(), join(s.scopes()),
                join(s.teamScope()), s.suspended(), false, ts(e.createdAt()));
    }

    @EventHandler
    void on(AutomationSettingsChangedEvent e) {
        // most changes of settings (a description, a schedule) leave the automation's access as it was: only a
        // change of team, scopes, team scope or suspension is one (and is written with its batch, see changed)
        AutomationSettings s = e.settings();
        String teamId = s.teamId();
        String scopes = join(s.scopes());
        String teamScope = join(s.teamScope());
        int updated = jdbc.update("UPDATE access_automation SET team_id = ?, scopes = ?, team_scope = ?, suspended = ?,"
                        + " updated_at = ? WHERE automation_id = ? AND NOT (team_id IS NOT DISTINCT FROM ?"
                        + " AND scopes IS NOT DISTINCT FROM ? AND team_scope IS NOT DISTINCT FROM ? AND suspended = ?)",
                teamId, scopes, teamScope, s.suspended(), ts(e.changedAt()), e.automationId(),
                teamId, scopes, teamScope, s.suspended());
        if (updated > 0) {
            changed(Kind.AUTOMATION, e.automationId());
        }
    }

    @EventHandler
    void on(AutomationSecretIssuedEvent e) {
        granted(Kind.AUTOMATION, e.automationId()); // the first secret, issued with the automation
        jdbc.update("UPDATE access_automation SET secret_hash = ?, previous_secret_hash = NULL,"
                + " previous_secret_valid_until = NULL WHERE automation_id = ?", e.secretHash(), e.automationId());
    }

    @EventHandler
    void on(AutomationSecretRotatedEvent e) {
        changed(Kind.AUTOMATION, e.automationId());
        jdbc.update("UPDATE access_automation SET secret_hash = ?, previous_secret_hash = ?,"
                        + " previous_secret_valid_until = ?, updated_at = ? WHERE automation_id = ?", e.secretHash(),
                e.previousSecretHash(), ts(e.previousSecretValidUntil()), ts(e.rotatedAt()), e.automationId());
    }

    @EventHandler
    void on(AutomationDeletedEvent e) {
        changed(Kind.AUTOMATION, e.automationId());
        jdbc.update("UPDATE access_automation SET deleted = TRUE WHERE automation_id = ?", e.automationId());
    }

    @EventHandler
    void on(AutomationUndeletedEvent e) {
        changed(Kind.AUTOMATION, e.automationId());
        jdbc.update("UPDATE access_automation SET deleted = FALSE WHERE automation_id = ?", e.automationId());
    }

    @EventHandler
    void on(AutomationPurgedEvent e) {
        changed(Kind.AUTOMATION, e.automationId());
        jdbc.update("DELETE FROM access_automation WHERE automation_id = ?", e.automationId());
    }

    // --- visible agents

    @EventHandler
    void on(AgentCreatedEvent e, @SequenceNumber long sequence) {
        jdbc.update(upsertAgent, e.agentId(), e.workspaceId(), e.name(), nameKey(e.name()), e.installationId(),
                join(e.teamScope()), e.role() == null ? null : e.role().wire(), false, sequence, ts(e.createdAt()),
                ts(e.createdAt()));
    }

    @EventHandler
    void on(AgentChangedEvent e, @SequenceNumber long sequence) {
        changed(Kind.AGENT, e.agentId());
        jdbc.update("UPDATE access_agent SET name = ?, name_key = ?, installation_id = ?, team_scope = ?, role = ?,"
                        + " suspended = ?, version = ?, updated_at = ? WHERE agent_id = ?", e.name(), nameKey(e.name()),
                e.installationId(), join(e.teamScope()), e.role() == null ? null : e.role().wire(), e.suspended(),
                sequence, ts(e.changedAt()), e.agentId());
    }

    /**
     * Existing access changed (a revocation, a removal, a change of role, scopes or secret): the batch is written to
     * the file with its commit ({@link DurableCommits#writeWithCommit()}), so that no crash can bring back what it
     * took away, and the in-memory lookups forget what the event changed once the batch has committed (new rows need
     * nothing: only existing ones are kept). At the latest, then: a request that follows a command's answer (which
     * waits for this projection, read-your-writes) sees the change.
     */
    private void changed(Kind kind, Object key) {
        DurableCommits.writeWithCommit();
        granted(kind, key);
    }

    /**
     * Access was only added: the cached lookups (a "no secret yet", say) are forgotten once the batch has committed.
     * The batch may reach the file with the next write: a crash before it loses a grant, which fails closed until the
     * projection has applied its event again.
     */
    private void granted(Kind kind, Object key) {
        if (cache == null) {
            return;
        }
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(uow -> cache.changed(kind, key));
        } else {
            cache.changed(kind, key);
        }
    }

    public static String nameKey(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    private static String join(List<String> values) {
        return values == null ? "" : String.join(",", values);
    }

    @ResetHandler
    void reset() {
        for (Kind kind : Kind.values()) {
            changed(kind, null);
        }
        for (String table : List.of("access_agent", "access_automation", "access_token", "access_team", "access_member", "access_workspace",
                "access_user")) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
