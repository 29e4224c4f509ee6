package dev.autoplane.command.identity;

import dev.autoplane.platform.text.TextRules;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.identity.IdentityCommands.CreateTeamCommand;
import dev.autoplane.events.identity.IdentityCommands.CreateWorkspaceCommand;
import dev.autoplane.events.identity.IdentityCommands.PutWorkspaceMemberCommand;
import dev.autoplane.events.identity.IdentityCommands.RemoveWorkspaceMemberCommand;
import dev.autoplane.events.identity.IdentityEvents.TeamCreatedEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceCreatedEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceMemberPutEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceMemberRemovedEvent;
import dev.autoplane.events.identity.Role;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A workspace with its members (role, teams) and teams. It always keeps at least one admin. */
@Aggregate
class Workspace {

    @AggregateIdentifier
    private String workspaceId;
    private final Map<String, Role> roles = new HashMap<>();
    private final Map<String, List<String>> memberTeams = new HashMap<>();
    private final Set<String> teams = new HashSet<>();

    Workspace() {
        // for Axon
    }

    @CommandHandler
    Workspace(CreateWorkspaceCommand cmd) {
        if (!cmd.actor().isPerson() && cmd.actor().kind() != dev.autoplane.events.common.ActorKind.SYSTEM) {
            throw DomainException.forbidden("person_required", "only people create workspaces");
        }
        apply(new WorkspaceCreatedEvent(cmd.workspaceId(), TextRules.NAME.require("name", cmd.name()),
                TextRules.REFERENCE.optional("organization_id", cmd.organizationId()), cmd.actor(), cmd.at()));
        String admin = cmd.actor().isPerson() ? cmd.actor().id() : "admin";
        apply(new WorkspaceMemberPutEvent(cmd.workspaceId(), admin, Role.ADMIN, List.of(), cmd.actor(), cmd.at()));
    }

    @CommandHandler
    void handle(PutWorkspaceMemberCommand cmd) {
        List<String> teamIds = cmd.teamIds() == null ? List.of() : List.copyOf(cmd.teamIds());
        for (String team : teamIds) {
            if (!teams.contains(team)) {
                throw DomainException.invalid("team_ids", "team " + team + " does not exist in this workspace");
            }
        }
        if (roles.get(cmd.userId()) == Role.ADMIN && cmd.role() != Role.ADMIN && adminCount() == 1) {
            throw DomainException.conflict("last_admin", "a workspace keeps at least one admin", Map.of());
        }
        if (cmd.role() == roles.get(cmd.userId()) && Objects.equals(teamIds, memberTeams.get(cmd.userId()))) {
            return; // nothing changes: no event
        }
        apply(new WorkspaceMemberPutEvent(workspaceId, cmd.userId(), cmd.role(), teamIds, cmd.actor(), cmd.at()));
    }

    @CommandHandler
    void handle(RemoveWorkspaceMemberCommand cmd) {
        if (!roles.containsKey(cmd.userId())) {
            throw DomainException.notFound("member_not_found", "user " + cmd.userId() + " is not a member");
        }
        if (roles.get(cmd.userId()) == Role.ADMIN && adminCount() == 1) {
            throw DomainException.conflict("last_admin", "a workspace keeps at least one admin", Map.of());
        }
        apply(new WorkspaceMemberRemovedEvent(workspaceId, cmd.userId(), cmd.actor(), cmd.at()));
    }

    @CommandHandler
    void handle(CreateTeamCommand cmd) {
        apply(new TeamCreatedEvent(workspaceId, cmd.teamId(), TextRules.NAME.require("name", cmd.name()), cmd.actor(), cmd.at()));
    }

    private long adminCount() {
        return roles.values().stream().filter(r -> r == Role.ADMIN).count();
    }

    @EventSourcingHandler
    void on(WorkspaceCreatedEvent e) {
        workspaceId = e.workspaceId();
    }

    @EventSourcingHandler
    void on(WorkspaceMemberPutEvent e) {
        roles.put(e.userId(), e.role());
        memberTeams.put(e.userId(), e.teamIds());
    }

    @EventSourcingHandler
    void on(WorkspaceMemberRemovedEvent e) {
        roles.remove(e.userId());
        memberTeams.remove(e.userId());
    }

    @EventSourcingHandler
    void on(TeamCreatedEvent e) {
        teams.add(e.teamId());
    }
}
