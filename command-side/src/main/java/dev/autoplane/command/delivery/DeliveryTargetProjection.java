package dev.autoplane.command.delivery;

import dev.autoplane.events.automation.AutomationEvents.AutomationDeliveryClearedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeliverySecretRotatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeliverySetEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link DeliveryTargets} in step with the automations' delivery events: a subscribing processor, in the
 * transaction that appends them (like the run queue), so a run fired after {@code delivery} was set is owed a
 * delivery from its first moment. Idempotent (a replayed event writes the same row).
 */
@Component
@ProcessingGroup(DeliveryTargetProjection.PROCESSING_GROUP)
public class DeliveryTargetProjection {

    public static final String PROCESSING_GROUP = "delivery-targets";

    private final DeliveryTargets targets;

    DeliveryTargetProjection(DeliveryTargets targets) {
        this.targets = targets;
    }

    @EventHandler
    void on(AutomationDeliverySetEvent e) {
        targets.set(e.automationId(), e.workspaceId(), e.url(), e.signingSecret());
    }

    @EventHandler
    void on(AutomationDeliverySecretRotatedEvent e) {
        targets.rotated(e.automationId(), e.signingSecret(), e.previousSigningSecret(), e.previousValidUntil());
    }

    @EventHandler
    void on(AutomationDeliveryClearedEvent e) {
        targets.remove(e.automationId());
    }

    @EventHandler
    void on(AutomationPurgedEvent e) {
        targets.remove(e.automationId());
    }
}
