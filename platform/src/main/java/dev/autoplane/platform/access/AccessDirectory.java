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

    /** A user: exists from the first workspace that added them (their home) or the first token issued to them. */
    record UserRecord(String userId, String homeWorkspaceId, Instant createdAt) {
    }

    record TeamRecord(String workspaceId, String teamId, String name, Instant createdAt) {
    }

    /**
     * An automation as a credential: its workspace, team, scopes, team scope, suspension and the
     * keyed hashes of its current and (during a rotation's grace period) previous secret.
     */
    record AutomationCredential(String automationId, String workspaceId, String teamId, List<String> scopes,
                                List<String> teamScope, boolean suspended, boolean deleted, String secretHash,
                                String previousSecretHash, Instant previousSecretValidUntil) {
    }

    record AgentRecord(String agentId, String workspaceId, String name, String installationId,
                       List<String> teamScope, Role role, boolean suspended, long version, Instant createdAt,
                       Instant updatedAt) {
    }

    Optional<AutomationCredential> automation(String automationId);

    Optional<AgentRecord> agent(String agentId);

    Optional<AgentRecord> agentByName(String workspaceId, String name);

    /** A workspace's agents ordered by id, after {@code afterId} (exclusive, or from the start when null). */
    List<AgentRecord> agents(String workspaceId, String afterId, int limit);

    Optional<TokenRecord> tokenByHash(String tokenHash);

    Optional<TokenRecord> token(String tokenId);

    List<TokenRecord> tokensOf(String userId);

    Optional<UserRecord> user(String userId);

    Optional<Membership> membership(String workspaceId, String userId);

    List<Membership> members(String workspaceId);

    Optional<WorkspaceRecord> workspace(String workspaceId);

    List<WorkspaceRecord> workspacesOf(String userId);

    List<TeamRecord> teams(String workspaceId);
}
