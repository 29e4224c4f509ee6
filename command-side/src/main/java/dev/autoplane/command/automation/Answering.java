package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationStreamEvent;
import dev.autoplane.platform.automation.AutomationAnswer;
import dev.autoplane.platform.automation.AutomationDocument;
import dev.autoplane.platform.scheduling.SourceBook;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * The automation as its answers show it: its events folded by the read model's own fold
 * ({@link AutomationDocument}), kept beside the aggregate's decision state, so every command answers
 * from the state it produced (never from a read model that may lag, or sit in another process).
 */
class Answering {

    private AutomationDocument document;

    @EventSourcingHandler
    void on(AutomationStreamEvent event, DomainEventMessage<?> message) {
        document = AutomationDocument.apply(document, event, message.getSequenceNumber(), message.getTimestamp());
    }

    /** The automation's time sources: the one book of the automation, which {@link Firing} decides by. */
    SourceBook sources() {
        return document == null ? new SourceBook() : document.book();
    }

    AutomationAnswer answer() {
        return AutomationAnswer.of(document);
    }
}
