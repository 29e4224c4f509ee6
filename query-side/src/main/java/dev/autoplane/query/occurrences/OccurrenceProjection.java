package dev.autoplane.query.occurrences;

import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.run.OccurrenceView;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Projects what became of every due occurrence of a time source into one row per fire id: each
 * {@link OccurrenceSkippedEvent}, and each {@link JobFiredEvent} of a time source (source
 * {@code schedule}, {@code catch_up} or {@code buffered}; manual, invoke and backfill fires are runs,
 * not occurrences). An occurrence first skipped (paused) or buffered and fired later ends up
 * {@code fired} with its run id.
 *
 * <p>Which outcome stands: a fired one ({@code fired}, {@code canceled_other}) is final; otherwise
 * the one recorded last. That rule makes a replay over a store that was not cleared change nothing.
 */
@Component
@ProcessingGroup(OccurrenceProjection.PROCESSING_GROUP)
public class OccurrenceProjection {

    public static final String PROCESSING_GROUP = "occurrences";

    /** The sources of a {@link JobFiredEvent} that are occurrences of a time source. */
    public static final Set<String> TIME_SOURCES = Set.of("schedule", "catch_up", "buffered");

    private static final String BATCH = OccurrenceProjection.class.getName() + ".batch";

    private final OccurrenceStore store;

    public OccurrenceProjection(OccurrenceStore store) {
        this.store = store;
    }

    @EventHandler
    void on(JobFiredEvent e) {
        if (e.fireId() == null || !TIME_SOURCES.contains(e.source())) {
            return;
        }
        offer(new OccurrenceView(e.fireId(), e.workspaceId(), e.automationId(), e.sourceId(), e.triggerType(),
                e.scheduledAt(), e.firedAt(), e.outcome() == null ? "fired" : e.outcome(), e.reason(), e.runId()));
    }

    @EventHandler
    void on(OccurrenceSkippedEvent e) {
        if (e.fireId() == null) {
            return;
        }
        offer(new OccurrenceView(e.fireId(), e.workspaceId(), e.automationId(), e.sourceId(), e.triggerType(),
                e.scheduledAt(), e.recordedAt(), e.outcome(), e.reason(), null));
    }

    @EventHandler
    void on(AutomationPurgedEvent e) {
        batch().values().removeIf(o -> o.automationId().equals(e.automationId()));
        store.deleteByAutomation(e.automationId());
    }

    @ResetHandler
    void reset() {
        store.clear();
    }

    /** Whether {@code next} replaces {@code current} as what became of the occurrence. */
    static boolean supersedes(OccurrenceView next, OccurrenceView current) {
        if (current == null) {
            return true;
        }
        if (next.equals(current) || fired(current)) {
            return false;
        }
        return fired(next) || current.recordedAt() == null
                || (next.recordedAt() != null && !next.recordedAt().isBefore(current.recordedAt()));
    }

    private static boolean fired(OccurrenceView o) {
        return o.runId() != null || "fired".equals(o.outcome()) || "canceled_other".equals(o.outcome());
    }

    private void offer(OccurrenceView next) {
        Map<String, OccurrenceView> batch = batch();
        OccurrenceView current = batch.containsKey(next.fireId()) ? batch.get(next.fireId())
                : store.find(next.fireId()).orElse(null);
        if (supersedes(next, current)) {
            batch.put(next.fireId(), next);
        }
    }

    /** The occurrences this batch changed, written once each just before the batch (and its token) commits. */
    private Map<String, OccurrenceView> batch() {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(BATCH, key -> {
            Map<String, OccurrenceView> occurrences = new LinkedHashMap<>();
            root.onPrepareCommit(uow -> occurrences.values().forEach(store::save));
            return occurrences;
        });
    }
}
