package dev.autoplane.query.automations;

import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.automation.AutomationStreamEvent;
import dev.autoplane.events.automation.AutomationView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import dev.autoplane.platform.automation.AutomationDocument;
import dev.autoplane.query.schedules.ScheduleBook;
import dev.autoplane.query.schedules.ScheduleStore;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Projects automation events into the automation read model, with the fold the aggregate answers
 * commands with ({@link AutomationDocument}). The occurrence events the automation records
 * ({@code JobFiredEvent}, {@code OccurrenceSkippedEvent}) are folded too: they move the time sources
 * ({@code next_run_at}, kept in the {@link ScheduleStore}) and {@code last_run_at}. Idempotent: an
 * event at or below the stored version changes nothing. Writes are collected per batch and flushed in the batch's transaction.
 */
@Component
@ProcessingGroup(AutomationProjection.PROCESSING_GROUP)
public class AutomationProjection {

    public static final String PROCESSING_GROUP = "automations";

    private static final String BATCH = AutomationProjection.class.getName() + ".batch";


    private final AutomationStore store;
    private final ScheduleStore schedules;

    public AutomationProjection(AutomationStore store, ScheduleStore schedules) {
        this.store = store;
        this.schedules = schedules;
    }

    @EventHandler
    void on(AutomationPurgedEvent event) {
        batch().remove(event.automationId());
        store.delete(event.automationId());
        schedules.delete(event.automationId());
    }

    @EventHandler
    void on(AutomationStreamEvent event, DomainEventMessage<?> message) { // a purge has its own handler, above
        String id = message.getAggregateIdentifier();
        Map<String, AutomationDocument> batch = batch();
        AutomationDocument current = batch.containsKey(id) ? batch.get(id)
                : store.find(id).map(v -> AutomationDocument.fromView(v, schedules.find(id).map(ScheduleBook::toSourceBook).orElse(null)))
                        .orElse(null);
        if (current != null && current.version() >= message.getSequenceNumber()) {
            return; // replayed
        }
        AutomationDocument next = AutomationDocument.apply(current, event, message.getSequenceNumber(), message.getTimestamp());
        if (next != null) {
            batch.put(id, next);
        }
    }

    /**
     * The documents this batch of events changed, written once each just before the batch (and its
     * tracking token) commits: an automation touched by five events in a batch is read and written once.
     */
    private Map<String, AutomationDocument> batch() {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(BATCH, key -> {
            Map<String, AutomationDocument> documents = new LinkedHashMap<>();
            root.onPrepareCommit(uow -> documents.values().forEach(d -> {
                store.save(d.toView());
                if (d.scheduleBookChanged()) {
                    if (d.hasTimeSources()) {
                        schedules.save(ScheduleBook.of(d.id(), d.workspaceId(), d.version(), d.book()));
                    } else {
                        schedules.delete(d.id()); // without sources the view alone says all the book would
                    }
                }
            }));
            return documents;
        });
    }

    @ResetHandler
    void reset() {
        store.clear();
        schedules.clear();
    }
}
