package dev.autoplane.command.agent;

import dev.autoplane.platform.text.TextRules;
import dev.autoplane.events.agent.AgentCommands.CreateAgentCommand;
import dev.autoplane.events.agent.AgentCommands.UpdateAgentCommand;
import dev.autoplane.events.agent.AgentEvents.AgentChangedEvent;
import dev.autoplane.events.agent.AgentEvents.AgentCreatedEvent;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.identity.Role;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import dev.autoplane.platform.access.AccessDirectory.AgentRecord;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A visible agent: a named actor of a workspace that acts under an automation's credential (its
 * installation), optionally narrowed to teams and a role, and suspendable. Names are unique per
 * workspace ({@link AgentNameRegistry}).
 */
@Aggregate
class Agent {

    @AggregateIdentifier
    private String agentId;
    private String workspaceId;
    private String name;
    private String installationId;
    private List<String> teamScope;
    private Role role;
    private boolean suspended;
    private long version;
    private Instant createdAt;
    private Instant updatedAt;

    Agent() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS) // a method, not a constructor: it answers the agent
    AgentRecord handle(CreateAgentCommand cmd, AgentNameRegistry names) {
        if (!cmd.actor().isPerson()) {
            throw DomainException.forbidden("person_required", "only people create agents");
        }
        String name = requireName(cmd.name());
        if (cmd.installationId() == null) {
            throw DomainException.invalid("installation_id", "is required");
        }
        names.claim(cmd.workspaceId(), name, cmd.agentId());
        apply(new AgentCreatedEvent(cmd.agentId(), cmd.workspaceId(), name, cmd.installationId(), cmd.teamScope(),
                cmd.role(), cmd.actor(), cmd.at()));
        return record();
    }

    /** Answers the agent as the command left it: from this aggregate, never from a read model that may lag. */
    @CommandHandler
    AgentRecord handle(UpdateAgentCommand cmd, AgentNameRegistry names) {
        if (!workspaceId.equals(cmd.workspaceId())) {
            throw DomainException.notFound("agent_not_found", "agent " + agentId + " not found");
        }
        if (!cmd.actor().isPerson()) {
            throw DomainException.forbidden("person_required", "only people change agents");
        }
        String newName = cmd.name() == null ? name : requireName(cmd.name());
        String newInstallation = cmd.installationId() == null ? installationId : cmd.installationId();
        List<String> newTeams = cmd.teamScope() == null ? teamScope : List.copyOf(cmd.teamScope());
        Role newRole = cmd.clearRole() ? null : cmd.role() == null ? role : cmd.role();
        boolean newSuspended = cmd.suspended() == null ? suspended : cmd.suspended();
        if (newName.equals(name) && newInstallation.equals(installationId) && newTeams.equals(teamScope)
                && Objects.equals(newRole, role) && newSuspended == suspended) {
            return record(); // nothing changes: no event
        }
        if (!AgentNameRegistry.key(newName).equals(AgentNameRegistry.key(name))) {
            names.release(workspaceId, name, agentId);
            names.claim(workspaceId, newName, agentId);
        }
        apply(new AgentChangedEvent(agentId, workspaceId, newName, newInstallation, newTeams, newRole, newSuspended,
                cmd.actor(), cmd.at()));
        return record();
    }

    /** The agent as the access read model shows it (the same fields, version and instants). */
    private AgentRecord record() {
        return new AgentRecord(agentId, workspaceId, name, installationId, teamScope, role, suspended, version,
                createdAt, updatedAt);
    }

    private static String requireName(String raw) {
        return TextRules.AGENT_NAME.require("name", raw);
    }

    @EventSourcingHandler
    void on(AgentCreatedEvent e, @SequenceNumber long sequence) {
        version = sequence;
        createdAt = e.createdAt();
        updatedAt = e.createdAt();
        agentId = e.agentId();
        workspaceId = e.workspaceId();
        name = e.name();
        installationId = e.installationId();
        teamScope = e.teamScope() == null ? List.of() : e.teamScope();
        role = e.role();
        suspended = false;
    }

    @EventSourcingHandler
    void on(AgentChangedEvent e, @SequenceNumber long sequence) {
        version = sequence;
        updatedAt = e.changedAt();
        name = e.name();
        installationId = e.installationId();
        teamScope = e.teamScope() == null ? List.of() : e.teamScope();
        role = e.role();
        suspended = e.suspended();
    }
}
