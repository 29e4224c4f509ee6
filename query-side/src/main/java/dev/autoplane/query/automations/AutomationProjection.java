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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.autoplane.platform.scheduling.SourceBook;

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
    /**
     * What this projection last wrote per automation, so the next event of a warm automation is folded without reading
     * its document and book back (a fire reads and parses both otherwise): as many automations as the command side keeps
     * warm ({@code autoplane.aggregates.cache-size}). Only where this processor is the read model's one writer
     * ({@code autoplane.read-models.cache}: the embedded mode); empty elsewhere. Filled after a
     * batch commits (a rolled-back batch leaves nothing), emptied by a reset, a purge and a rebuild's swap.
     */
    private final Cache<String, Written> written;

    /** A document as written: its view, and its book as the schedule store holds it (null: none stored). */
    private record Written(AutomationView view, SourceBook.State book) {
    }

    /** A projection that keeps nothing (a rebuild's, over the shadow stores). */
    public AutomationProjection(AutomationStore store, ScheduleStore schedules) {
        this(store, schedules, false, 0);
    }

    @org.springframework.beans.factory.annotation.Autowired
    public AutomationProjection(AutomationStore store, ScheduleStore schedules,
                                @Value("${autoplane.read-models.cache:false}") boolean cache,
                                @Value("${autoplane.aggregates.cache-size:10000}") long size) {
        this.store = store;
        this.schedules = schedules;
        this.written = Caffeine.newBuilder().maximumSize(cache ? size : 0).build();
    }

    /** Forgets every document kept (the read model's tables were replaced under it: a rebuild's swap). */
    public void forget() {
        written.invalidateAll();
    }

    @EventHandler
    void on(AutomationPurgedEvent event) {
        batch().remove(event.automationId());
        written.invalidate(event.automationId());
        store.delete(event.automationId());
        schedules.delete(event.automationId());
    }

    @EventHandler
    void on(AutomationStreamEvent event, DomainEventMessage<?> message) { // a purge has its own handler, above
        String id = message.getAggregateIdentifier();
        Map<String, AutomationDocument> batch = batch();
        AutomationDocument current = batch.containsKey(id) ? batch.get(id) : stored(id);
        if (current != null && current.version() >= message.getSequenceNumber()) {
            return; // replayed
        }
        AutomationDocument next = AutomationDocument.apply(current, event, message.getSequenceNumber(), message.getTimestamp());
        if (next != null) {
            batch.put(id, next);
        }
    }

    /** The document as stored: from what this projection last wrote, else read back from the stores. */
    private AutomationDocument stored(String id) {
        Written w = written.getIfPresent(id);
        if (w != null) {
            return AutomationDocument.fromView(w.view(), w.book() == null ? null : SourceBook.from(w.book()));
        }
        return store.find(id).map(v -> AutomationDocument.fromView(v, schedules.find(id).map(ScheduleBook::toSourceBook).orElse(null)))
                .orElse(null);
    }

    /**
     * The documents this batch of events changed, written once each just before the batch (and its
     * tracking token) commits: an automation touched by five events in a batch is read and written once.
     */
    private Map<String, AutomationDocument> batch() {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(BATCH, key -> {
            Map<String, AutomationDocument> documents = new LinkedHashMap<>();
            Map<String, Written> writes = new LinkedHashMap<>();
            root.onPrepareCommit(uow -> documents.values().forEach(d -> {
                AutomationView view = d.toView();
                store.save(view);
                if (d.scheduleBookChanged()) {
                    if (d.hasTimeSources()) {
                        schedules.save(ScheduleBook.of(d.id(), d.workspaceId(), d.version(), d.book()));
                    } else {
                        schedules.delete(d.id()); // without sources the view alone says all the book would
                    }
                }
                writes.put(d.id(), new Written(view, d.hasTimeSources() ? d.book().state() : null));
            }));
            root.afterCommit(uow -> written.putAll(writes));
            return documents;
        });
    }

    @ResetHandler
    void reset() {
        written.invalidateAll();
        store.clear();
        schedules.clear();
    }
}
