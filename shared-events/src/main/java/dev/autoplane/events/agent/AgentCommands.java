package dev.autoplane.events.agent;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.identity.Role;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.time.Instant;
import java.util.List;

/**
 * Commands of visible agents: named actors of a workspace that act under an automation's
 * credential (their installation). The installation is checked at the edge against the access
 * read model; names are unique per workspace (a command-side table).
 */
public final class AgentCommands {

    private AgentCommands() {
    }

    /** @param role the most an agent may do (its permissions are the installation's scopes within the role), or {@code null} */
    public record CreateAgentCommand(@TargetAggregateIdentifier String agentId, String workspaceId, String name,
                                     String installationId, List<String> teamScope, Role role, Actor actor,
                                     Instant at) {
        public CreateAgentCommand {
            teamScope = teamScope == null ? List.of() : List.copyOf(teamScope);
        }
    }

    /** A partial change: {@code null} leaves a field as it is; {@code clearRole} removes the role. */
    public record UpdateAgentCommand(@TargetAggregateIdentifier String agentId, String workspaceId,
                                     @TargetAggregateVersion Long expectedVersion, String name, String installationId,
                                     List<String> teamScope, Role role, boolean clearRole, Boolean suspended,
                                     Actor actor, Instant at) {
    }
}
