package dev.autoplane.command.scheduling;

import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationStreamEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.platform.scheduling.SourceBook;
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
        String automationId = message.getAggregateIdentifier();
        long sequence = message.getSequenceNumber();
        boolean created = event instanceof AutomationCreatedEvent;
        ScheduleIndex.Stored stored = index.stored(automationId).orElse(null);
        if (stored != null && stored.lastSequence() != null && stored.lastSequence() >= sequence) {
            return; // seen before (a tracking processor redelivers after a crash)
        }
        SourceBook book = created ? new SourceBook() : stored == null ? null : stored.book();
        if (book == null) {
            return; // created before the index existed: a rebuild from the log picks it up
        }
        SourceBook.State before = book.state();
        book.apply(event);
        if (!created && book.state().equals(before)) {
            if (!tracking) {
                return; // most commands (a new description, a revision) change nothing the engine needs
            }
            index.seen(automationId, sequence); // behind the log, every event must count as seen
            return;
        }
        index.save(automationId, book, sequence); // tells the engine when the book is next due (ScheduleIndex.whenDue)
    }
}
