package dev.autoplane.events.automation;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.WorkspaceScoped;
import dev.autoplane.events.run.RunView;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Commands and events of inbound webhooks (the {@code webhook} triggers of an automation). The
 * signing secret of an endpoint never travels in them: it is sealed at the edge and stored with the
 * command that creates or rotates it; events carry its keyed hash at most.
 */
public final class WebhookCommands {

    private WebhookCommands() {
    }

    /**
     * A verified delivery matched this webhook trigger: fire it through the normal path (status,
     * published revision, fire limits, overlap policy, retry). Repeated with the same {@code fireId}
     * (a re-sent delivery) it fires nothing.
     *
     * @param fireId     {@code <automation>/<trigger>/webhook/<delivery id>}, the run's {@code fire_id}
     * @param deliveredAt the delivery's signed timestamp (the occurrence instant of the fire)
     */
    public record FireWebhookTriggerCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                            String triggerId, String endpointSlug, String deliveryId, String fireId,
                                            Map<String, Object> inputs, Instant deliveredAt, Instant at)
            implements WorkspaceScoped {

        @Override
        public List<String> teamLimit() {
            return List.of();
        }
    }

    /**
     * What one matched trigger did with a delivery: {@code fired} (with its run), a skip outcome
     * ({@code skipped_paused}, {@code skipped_inactive}, {@code throttled}, {@code skipped_overlap},
     * {@code buffered}) with a reason, or {@code duplicate} (this delivery fired it before).
     */
    public record WebhookFireResult(String automationId, String triggerId, String outcome, String reason, RunView run) {
    }

    /**
     * {@code POST .../triggers/{tid}/rotate-secret}: the edge sealed a new secret for the trigger's
     * endpoint; the aggregate checks the trigger is a webhook trigger on that endpoint.
     */
    public record RotateWebhookSecretCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                             String triggerId, String endpointSlug, String secretHash,
                                             Instant previousExpiresAt, Actor actor, Instant at,
                                             List<String> teamLimit) implements WorkspaceScoped {
    }

    /** The signing secret of a webhook endpoint was rotated (its keyed hash only; the old one verifies until {@code previousExpiresAt}). */
    public record WebhookSecretRotatedEvent(String automationId, String workspaceId, String triggerId, String endpointSlug,
                                            String secretHash, Instant previousExpiresAt, Actor rotatedBy, Instant rotatedAt)
            implements AutomationStreamEvent {
    }
}
