package dev.autoplane.events.automation;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.WorkspaceScoped;
import dev.autoplane.events.common.EncryptedValue;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Commands of the automation lifecycle. Each names the workspace the caller addressed; the
 * aggregate refuses (as not found) a command for an automation of another workspace. Ids, clock readings, generated secrets (as hashes) and
 * ciphertexts are made at the edge and carried here, so the aggregate stays deterministic.
 * {@code expectedVersion} is the {@code If-Match} a client sent, or {@code null}. {@code teamLimit} is the
 * teams the caller is limited to (a member's {@code team_ids}, a service account's {@code team_scope});
 * empty (or null) means every team: the aggregate refuses a change of an automation outside those teams
 * ({@link dev.autoplane.events.common.WorkspaceScoped}: one guard for every command).
 */
public final class AutomationCommands {

    private AutomationCommands() {
    }

    /**
     * @param fields      the client's fields as plain JSON values (snake_case keys); validated by the aggregate
     * @param mayApprove  whether the actor holds {@code automation.approve}
     */
    public record CreateAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                          Map<String, Object> fields, EncryptedValue oauthToken,
                                          DeliveryChange delivery, String secretId, String secretHash,
                                          Actor actor, boolean mayApprove, Instant at, List<String> teamLimit) implements WorkspaceScoped {
    }

    /** A partial update: only the keys present in {@code changes} change; {@code status} may move the status machine. */
    public record UpdateAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                          @TargetAggregateVersion Long expectedVersion,
                                          Map<String, Object> changes, EncryptedValue oauthToken,
                                          boolean clearOauthToken, DeliveryChange delivery, Actor actor, boolean mayApprove, Instant at, List<String> teamLimit) implements WorkspaceScoped {
    }

    /**
     * The {@code delivery} setting as sent: {@code null} when not sent; {@code url} {@code null} clears it;
     * otherwise the URL (checked at the edge) and a new signing secret sealed at the edge.
     */
    public record DeliveryChange(String url, EncryptedValue signingSecret) {

        public boolean clears() {
            return url == null;
        }
    }

    /** A new delivery signing secret; the previous one still signs for {@code gracePeriodSeconds}. */
    public record RotateDeliverySecretCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                              @TargetAggregateVersion Long expectedVersion, EncryptedValue signingSecret,
                                              long gracePeriodSeconds, Actor actor, List<String> teamLimit, Instant at)
            implements WorkspaceScoped {
    }

    public record SubmitAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                          @TargetAggregateVersion Long expectedVersion, Actor actor, Instant at, List<String> teamLimit) implements WorkspaceScoped {
    }

    /** @param revision the revision the approver looked at, or {@code null} for the one pending now */
    public record ApproveAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                           @TargetAggregateVersion Long expectedVersion, String revision,
                                           Actor actor, boolean mayApprove, Instant at, List<String> teamLimit) implements WorkspaceScoped {
    }

    public record RejectAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                          @TargetAggregateVersion Long expectedVersion, String reason,
                                          Actor actor, boolean mayApprove, Instant at, List<String> teamLimit) implements WorkspaceScoped {
    }

    public record PauseAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                         @TargetAggregateVersion Long expectedVersion, Actor actor, Instant at, List<String> teamLimit) implements WorkspaceScoped {
    }

    public record ResumeAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                          @TargetAggregateVersion Long expectedVersion, Actor actor,
                                          boolean mayApprove, Instant at, List<String> teamLimit) implements WorkspaceScoped {
    }

    public record PublishAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                           @TargetAggregateVersion Long expectedVersion, Actor actor, Instant at, List<String> teamLimit) implements WorkspaceScoped {
    }

    public record DeleteAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                          @TargetAggregateVersion Long expectedVersion, Actor actor, Instant at, List<String> teamLimit) implements WorkspaceScoped {
    }

    public record UndeleteAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                            @TargetAggregateVersion Long expectedVersion, Actor actor, Instant at, List<String> teamLimit) implements WorkspaceScoped {
        @Override
        public boolean reachesDeleted() {
            return true;
        }
    }

    public record PurgeAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                         @TargetAggregateVersion Long expectedVersion, Actor actor, Instant at, List<String> teamLimit) implements WorkspaceScoped {
        @Override
        public boolean reachesDeleted() {
            return true;
        }
    }

    /**
     * Records nothing: answers the automation as it is now, from the aggregate (so the answer is as
     * fresh as a command's, wherever the automation's commands are handled).
     */
    public record DescribeAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                            List<String> teamLimit) implements WorkspaceScoped {
        @Override
        public boolean reachesDeleted() {
            return true;
        }
    }

    /**
     * Issues a new secret; the previous one keeps working until {@code at + gracePeriodSeconds}
     * (exclusive) and never after. Only hashes travel.
     */
    public record RotateAutomationSecretCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                                @TargetAggregateVersion Long expectedVersion, String secretId,
                                                String secretHash, long gracePeriodSeconds, Actor actor,
                                                List<String> teamLimit, Instant at) implements WorkspaceScoped {
    }
}
