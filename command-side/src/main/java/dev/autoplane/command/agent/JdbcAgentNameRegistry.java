package dev.autoplane.command.agent;

import dev.autoplane.events.common.DomainException;
import dev.autoplane.platform.jdbc.NameClaims;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.Map;

/** Agent names in the command-side table {@code agent_name} ({@link NameClaims}). */
@Repository
class JdbcAgentNameRegistry implements AgentNameRegistry {

    private final NameClaims names;

    JdbcAgentNameRegistry(JdbcTemplate jdbc) {
        this.names = NameClaims.of(jdbc, "agent_name", "agent_id");
    }

    @Override
    public void claim(String workspaceId, String name, String agentId) {
        if (!names.claim(workspaceId, AgentNameRegistry.key(name), agentId)) {
            throw DomainException.conflict("name_taken", "an agent named '" + name.strip()
                    + "' already exists in this workspace", Map.of());
        }
    }

    @Override
    public void release(String workspaceId, String name, String agentId) {
        names.release(workspaceId, AgentNameRegistry.key(name), agentId);
    }
}
