package dev.autoplane.command.scheduling;

import dev.autoplane.events.automation.AutomationStreamEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps the engine's {@link ScheduleIndex} in step with the automation events. Where events and
 * index share a database (embedded and postgres modes) it is a subscribing processor: it runs in the
 * unit of work that appends the events, inside the same database transaction, so the index never
 * lags behind or runs ahead of the log. Where events live in Axon Server (distributed mode) it is a
 * tracking processor: at least once, behind the log by its lag, and idempotent (an event at or below
 * the book's {@code last_sequence} changes nothing), catching up after a crash from its token.
 */
@Component
@ProcessingGroup(ScheduleIndexProjection.PROCESSING_GROUP)
public class ScheduleIndexProjection {

    public static final String PROCESSING_GROUP = "schedule-index";

    private final ScheduleIndex index;
    private final boolean tracking;

    ScheduleIndexProjection(ScheduleIndex index, @Value("${autoplane.storage:embedded}") String storage) {
        this.index = index;
        this.tracking = "distributed".equals(storage);
    }

    @EventHandler
    void on(AutomationPurgedEvent event) {
        index.delete(event.automationId());
    }

    @EventHandler
    void on(AutomationStreamEvent event, DomainEventMessage<?> message) {
        index.apply(message.getAggregateIdentifier(), event, message.getSequenceNumber(), tracking);
    }
}
