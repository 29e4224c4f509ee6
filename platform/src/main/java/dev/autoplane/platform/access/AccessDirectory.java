package dev.autoplane.platform.access;

import dev.autoplane.events.identity.Role;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The access read model: who holds which token, who belongs to which workspace with which role.
 * Consulted on every request, so removing a member or revoking a token takes effect on the next one.
 */
public interface AccessDirectory {

    record TokenRecord(String tokenId, String tokenHash, String userId, String name, Instant expiresAt,
                       boolean revoked, Instant createdAt) {
    }

    record Membership(String workspaceId, String userId, Role role, List<String> teamIds, Instant updatedAt) {
    }

    record WorkspaceRecord(String workspaceId, String name, String organizationId, Instant createdAt) {
    }

    record TeamRecord(String workspaceId, String teamId, String name, Instant createdAt) {
    }

    Optional<TokenRecord> tokenByHash(String tokenHash);

    Optional<TokenRecord> token(String tokenId);

    List<TokenRecord> tokensOf(String userId);

    Optional<Membership> membership(String workspaceId, String userId);

    List<Membership> members(String workspaceId);

    Optional<WorkspaceRecord> workspace(String workspaceId);

    List<WorkspaceRecord> workspacesOf(String userId);

    List<TeamRecord> teams(String workspaceId);
}
