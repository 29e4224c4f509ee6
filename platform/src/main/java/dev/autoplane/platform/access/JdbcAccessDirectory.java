package dev.autoplane.platform.access;

import dev.autoplane.events.identity.Role;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The access read model in the JDBC database (every storage mode keeps it there). */
@Repository
public class JdbcAccessDirectory implements AccessDirectory {

    private static final RowMapper<TokenRecord> TOKEN = (rs, i) -> new TokenRecord(rs.getString("token_id"),
            rs.getString("token_hash"), rs.getString("user_id"), rs.getString("name"),
            instant(rs.getTimestamp("expires_at")), rs.getBoolean("revoked"), instant(rs.getTimestamp("created_at")));
    private static final RowMapper<Membership> MEMBER = (rs, i) -> new Membership(rs.getString("workspace_id"),
            rs.getString("user_id"), Role.fromWire(rs.getString("role")).orElseThrow(),
            splitTeams(rs.getString("team_ids")), instant(rs.getTimestamp("updated_at")));
    private static final RowMapper<WorkspaceRecord> WORKSPACE = (rs, i) -> new WorkspaceRecord(
            rs.getString("workspace_id"), rs.getString("name"), rs.getString("organization_id"),
            instant(rs.getTimestamp("created_at")));
    private static final RowMapper<TeamRecord> TEAM = (rs, i) -> new TeamRecord(rs.getString("workspace_id"),
            rs.getString("team_id"), rs.getString("name"), instant(rs.getTimestamp("created_at")));

    private static final RowMapper<AutomationCredential> AUTOMATION = (rs, i) -> new AutomationCredential(
            rs.getString("automation_id"), rs.getString("workspace_id"), rs.getString("team_id"),
            splitTeams(rs.getString("scopes")), splitTeams(rs.getString("team_scope")), rs.getBoolean("suspended"),
            rs.getBoolean("deleted"), rs.getString("secret_hash"), rs.getString("previous_secret_hash"),
            instant(rs.getTimestamp("previous_secret_valid_until")));
    private static final RowMapper<AgentRecord> AGENT = (rs, i) -> new AgentRecord(rs.getString("agent_id"),
            rs.getString("workspace_id"), rs.getString("name"), rs.getString("installation_id"),
            splitTeams(rs.getString("team_scope")),
            rs.getString("role") == null ? null : Role.fromWire(rs.getString("role")).orElse(null),
            rs.getBoolean("suspended"), rs.getLong("version"), instant(rs.getTimestamp("created_at")),
            instant(rs.getTimestamp("updated_at")));

    private final JdbcTemplate jdbc;

    public JdbcAccessDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<AutomationCredential> automation(String automationId) {
        return jdbc.query("SELECT * FROM access_automation WHERE automation_id = ?", AUTOMATION, automationId)
                .stream().findFirst();
    }

    @Override
    public Optional<AgentRecord> agent(String agentId) {
        return jdbc.query("SELECT * FROM access_agent WHERE agent_id = ?", AGENT, agentId).stream().findFirst();
    }

    @Override
    public Optional<AgentRecord> agentByName(String workspaceId, String name) {
        return jdbc.query("SELECT * FROM access_agent WHERE workspace_id = ? AND name_key = ?", AGENT, workspaceId,
                AccessProjection.nameKey(name)).stream().findFirst();
    }

    @Override
    public List<AgentRecord> agents(String workspaceId, String afterId, int limit) {
        return jdbc.query("SELECT * FROM access_agent WHERE workspace_id = ? AND agent_id > ? ORDER BY agent_id LIMIT ?",
                AGENT, workspaceId, afterId == null ? "" : afterId, limit);
    }

    @Override
    public Optional<TokenRecord> tokenByHash(String tokenHash) {
        return jdbc.query("SELECT * FROM access_token WHERE token_hash = ?", TOKEN, tokenHash).stream().findFirst();
    }

    @Override
    public Optional<TokenRecord> token(String tokenId) {
        return jdbc.query("SELECT * FROM access_token WHERE token_id = ?", TOKEN, tokenId).stream().findFirst();
    }

    @Override
    public List<TokenRecord> tokensOf(String userId) {
        return jdbc.query("SELECT * FROM access_token WHERE user_id = ? ORDER BY token_id", TOKEN, userId);
    }

    @Override
    public Optional<UserRecord> user(String userId) {
        return jdbc.query("SELECT * FROM access_user WHERE user_id = ?", (rs, i) -> new UserRecord(
                rs.getString("user_id"), rs.getString("home_workspace_id"), instant(rs.getTimestamp("created_at"))),
                userId).stream().findFirst();
    }

    @Override
    public Optional<Membership> membership(String workspaceId, String userId) {
        return jdbc.query("SELECT * FROM access_member WHERE workspace_id = ? AND user_id = ?", MEMBER,
                workspaceId, userId).stream().findFirst();
    }

    @Override
    public List<Membership> members(String workspaceId) {
        return jdbc.query("SELECT * FROM access_member WHERE workspace_id = ? ORDER BY user_id", MEMBER, workspaceId);
    }

    @Override
    public Optional<WorkspaceRecord> workspace(String workspaceId) {
        return jdbc.query("SELECT * FROM access_workspace WHERE workspace_id = ?", WORKSPACE, workspaceId)
                .stream().findFirst();
    }

    @Override
    public List<WorkspaceRecord> workspacesOf(String userId) {
        return jdbc.query("SELECT w.* FROM access_workspace w JOIN access_member m ON m.workspace_id = w.workspace_id"
                + " WHERE m.user_id = ? ORDER BY w.workspace_id", WORKSPACE, userId);
    }

    @Override
    public List<TeamRecord> teams(String workspaceId) {
        return jdbc.query("SELECT * FROM access_team WHERE workspace_id = ? ORDER BY team_id", TEAM, workspaceId);
    }

    static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    static List<String> splitTeams(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
