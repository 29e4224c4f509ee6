package dev.autoplane.events.identity;

import dev.autoplane.events.common.Actor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

/** Commands of workspaces, their members and personal access tokens. */
public final class IdentityCommands {

    private IdentityCommands() {
    }

    /** Creates a workspace; {@code actor} (a person) becomes its first {@code admin}. */
    public record CreateWorkspaceCommand(@TargetAggregateIdentifier String workspaceId, String name,
                                         String organizationId, Actor actor, Instant at) {
    }

    public record PutWorkspaceMemberCommand(@TargetAggregateIdentifier String workspaceId, String userId, Role role,
                                            List<String> teamIds, Actor actor, Instant at) {
    }

    public record RemoveWorkspaceMemberCommand(@TargetAggregateIdentifier String workspaceId, String userId,
                                               Actor actor, Instant at) {
    }

    public record CreateTeamCommand(@TargetAggregateIdentifier String workspaceId, String teamId, String name,
                                    Actor actor, Instant at) {
    }

    /** @param tokenHash keyed hash of the token; the token itself is shown once and never stored */
    public record IssuePersonalAccessTokenCommand(@TargetAggregateIdentifier String tokenId, String userId,
                                                  String name, String tokenHash, Instant expiresAt,
                                                  Actor actor, Instant at) {
    }

    public record RevokePersonalAccessTokenCommand(@TargetAggregateIdentifier String tokenId, Actor actor,
                                                   Instant at) {
    }
}
