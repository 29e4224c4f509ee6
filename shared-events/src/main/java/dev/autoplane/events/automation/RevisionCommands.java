package dev.autoplane.events.automation;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.WorkspaceScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Commands that make a new draft revision from something other than a field change (seed 002): the atomic
 * connection edits, restoring an earlier revision, forking the published one; and the activation state of the
 * published revision. Handled by the automation's {@code Revising} member.
 */
public final class RevisionCommands {

    private RevisionCommands() {
    }

    /** The atomic connection edits of a draft, each all or nothing and one new draft revision. */
    public enum ConnectionEdit { ADD, REMOVE, SWITCH, UPGRADE }

    /** One switch: the connection used now, and the one to use instead. */
    public record ConnectionSwitch(String fromConnectionId, String toConnectionId) {
    }

    /**
     * @param connectionIds  for ADD, REMOVE, UPGRADE: the connections edited
     * @param switches       for SWITCH
     * @param latestVersions the latest version of each connection named (added, switched to, upgraded) that exists in
     *                       the workspace, as the edge found it; a connection absent here does not exist (or was deleted)
     */
    public record EditAutomationConnectionsCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                                   @TargetAggregateVersion Long expectedVersion, ConnectionEdit edit,
                                                   List<String> connectionIds, List<ConnectionSwitch> switches,
                                                   Map<String, Integer> latestVersions, Actor actor, Instant at,
                                                   List<String> teamLimit) implements WorkspaceScoped {
    }

    /** A new draft revision whose definition equals revision {@code revision}'s. */
    public record RestoreAutomationRevisionCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                                   @TargetAggregateVersion Long expectedVersion, String revision,
                                                   Actor actor, Instant at, List<String> teamLimit) implements WorkspaceScoped {
    }

    /** A new draft revision from the latest published one (so a published automation can be edited again). */
    public record ForkAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                        @TargetAggregateVersion Long expectedVersion, Actor actor, Instant at,
                                        List<String> teamLimit) implements WorkspaceScoped {
    }

    /** {@code activate} ({@code active} true) or {@code deactivate} the published revision. */
    public record SetAutomationActivationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                                 @TargetAggregateVersion Long expectedVersion, boolean active,
                                                 Actor actor, Instant at, List<String> teamLimit) implements WorkspaceScoped {
    }
}
