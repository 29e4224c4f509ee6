package dev.autoplane.events.agent;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.identity.Role;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** Events of visible agents. Each carries the agent's whole (small) state, so a projection needs no lookups. */
public final class AgentEvents {

    private AgentEvents() {
    }

    @Revision("1")
    public record AgentCreatedEvent(String agentId, String workspaceId, String name, String installationId,
                                    List<String> teamScope, Role role, Actor createdBy, Instant createdAt) {
    }

    /** The agent was renamed, moved to another installation, re-scoped, given another role or (un)suspended. */
    @Revision("1")
    public record AgentChangedEvent(String agentId, String workspaceId, String name, String installationId,
                                    List<String> teamScope, Role role, boolean suspended, Actor changedBy,
                                    Instant changedAt) {
    }
}
