package dev.autoplane.events.identity;

import dev.autoplane.events.common.Actor;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** Events of workspaces, members, teams and personal access tokens. */
public final class IdentityEvents {

    private IdentityEvents() {
    }

    @Revision("1")
    public record WorkspaceCreatedEvent(String workspaceId, String name, String organizationId, Actor createdBy,
                                        Instant createdAt) {
    }

    /** A member was added or their role / teams changed. */
    @Revision("1")
    public record WorkspaceMemberPutEvent(String workspaceId, String userId, Role role, List<String> teamIds,
                                          Actor changedBy, Instant changedAt) {
    }

    @Revision("1")
    public record WorkspaceMemberRemovedEvent(String workspaceId, String userId, Actor removedBy, Instant removedAt) {
    }

    @Revision("1")
    public record TeamCreatedEvent(String workspaceId, String teamId, String name, Actor createdBy,
                                   Instant createdAt) {
    }

    @Revision("1")
    public record PersonalAccessTokenIssuedEvent(String tokenId, String userId, String name, String tokenHash,
                                                 Instant expiresAt, Actor issuedBy, Instant issuedAt) {
    }

    @Revision("1")
    public record PersonalAccessTokenRevokedEvent(String tokenId, String userId, Actor revokedBy,
                                                  Instant revokedAt) {
    }
}
