package dev.autoplane.query.automations;

import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.automation.AutomationView.FindAutomationQuery;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Projects automation events into the automation read model, and answers {@link FindAutomationQuery}
 * (the command side asks it for its answers). Idempotent: an event at or below the stored version
 * changes nothing.
 */
@Component
@ProcessingGroup(AutomationProjection.PROCESSING_GROUP)
public class AutomationProjection {

    public static final String PROCESSING_GROUP = "automations";

    private final AutomationStore store;

    public AutomationProjection(AutomationStore store) {
        this.store = store;
    }

    @EventHandler
    void on(AutomationPurgedEvent event) {
        store.delete(event.automationId());
    }

    @EventHandler
    void on(Object event, DomainEventMessage<?> message) {
        if (!message.getPayloadType().getPackageName().equals("dev.autoplane.events.automation")
                || event instanceof AutomationPurgedEvent) {
            return;
        }
        String id = message.getAggregateIdentifier();
        Optional<AutomationView> stored = store.find(id);
        if (stored.isPresent() && stored.get().version() >= message.getSequenceNumber()) {
            return; // replayed
        }
        AutomationDocument current = stored.map(AutomationDocument::fromView).orElse(null);
        AutomationDocument next = AutomationDocument.apply(current, event, message.getSequenceNumber(), message.getTimestamp());
        if (next != null) {
            store.save(next.toView());
        }
    }

    @QueryHandler
    Optional<AutomationView> handle(FindAutomationQuery query) {
        return store.find(query.automationId()).filter(v -> v.workspaceId().equals(query.workspaceId()));
    }

    @ResetHandler
    void reset() {
        store.clear();
    }
}
