package dev.autoplane.command.agent;

import dev.autoplane.events.common.DomainException;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.Map;

/** Agent names in the command-side table {@code agent_name}, primary key (workspace, lower-cased name). */
@Repository
class JdbcAgentNameRegistry implements AgentNameRegistry {

    private final JdbcTemplate jdbc;
    private final String insertIfAbsent;

    JdbcAgentNameRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.insertIfAbsent = SqlDialect.of(jdbc).insertIfAbsent("agent_name",
                List.of("workspace_id", "name_key"), "workspace_id", "name_key", "agent_id");
    }

    @Override
    public void claim(String workspaceId, String name, String agentId) {
        String key = AgentNameRegistry.key(name);
        try {
            jdbc.update(insertIfAbsent, workspaceId, key, agentId);
        } catch (DuplicateKeyException e) {
            // a concurrent claim committed first: the query below names its owner
        }
        List<String> owner = jdbc.queryForList("SELECT agent_id FROM agent_name WHERE workspace_id = ? AND name_key = ?",
                String.class, workspaceId, key);
        if (owner.isEmpty() || !owner.get(0).equals(agentId)) {
            throw DomainException.conflict("name_taken", "an agent named '" + name.strip()
                    + "' already exists in this workspace", Map.of());
        }
    }

    @Override
    public void release(String workspaceId, String name, String agentId) {
        jdbc.update("DELETE FROM agent_name WHERE workspace_id = ? AND name_key = ? AND agent_id = ?",
                workspaceId, AgentNameRegistry.key(name), agentId);
    }
}
