package dev.autoplane.command.scheduling;

import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationStreamEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.platform.scheduling.SourceBook;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps the engine's {@link ScheduleIndex} in step with the automation events. A subscribing
 * processor: it runs in the unit of work that appends the events, inside the same database
 * transaction, so the index never lags behind or runs ahead of the log.
 */
@Component
@ProcessingGroup(ScheduleIndexProjection.PROCESSING_GROUP)
public class ScheduleIndexProjection {

    public static final String PROCESSING_GROUP = "schedule-index";

    private final ScheduleIndex index;

    ScheduleIndexProjection(ScheduleIndex index) {
        this.index = index;
    }

    @EventHandler
    void on(AutomationPurgedEvent event) {
        index.delete(event.automationId());
    }

    @EventHandler
    void on(AutomationStreamEvent event, DomainEventMessage<?> message) {
        String automationId = message.getAggregateIdentifier();
        boolean created = event instanceof AutomationCreatedEvent;
        SourceBook book = created ? new SourceBook() : index.book(automationId).orElse(null);
        if (book == null) {
            return; // created before the index existed: a rebuild from the log picks it up
        }
        SourceBook.State before = book.state();
        book.apply(event);
        if (!created && book.state().equals(before)) {
            return; // most commands (a new description, a revision) change nothing the engine needs
        }
        index.save(automationId, book); // tells the engine when the book is next due (ScheduleIndex.whenDue)
    }
}
