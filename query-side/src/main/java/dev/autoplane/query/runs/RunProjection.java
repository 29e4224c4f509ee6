package dev.autoplane.query.runs;

import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.RunCancelRecordedEvent;
import dev.autoplane.events.run.RunEvents.RunCanceledEvent;
import dev.autoplane.events.run.RunEvents.RunStreamEvent;
import dev.autoplane.events.run.RunFold;
import dev.autoplane.events.run.RunView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Projects fires and the runs' own lifecycles into the run read model: a {@link JobFiredEvent} creates the
 * run ({@code scheduled}, attempt 0, version 1), the run's events ({@link RunStreamEvent}) change it by
 * {@link RunFold} (the fold the run aggregate answers with), a {@link RunCanceledEvent} of the
 * automation ends it ({@code canceled}), a purge of the automation removes its runs. Idempotent: a run that exists is not created again,
 * one that is canceled is not canceled again, and the store never replaces a higher version. Writes
 * are collected per batch and flushed in the batch's transaction, with the changes they make to their
 * automations' {@link RunSummary} (newest run, count per status) as one delta per automation.
 */
@Component
@ProcessingGroup(RunProjection.PROCESSING_GROUP)
public class RunProjection {

    public static final String PROCESSING_GROUP = "runs";

    private static final String BATCH = RunProjection.class.getName() + ".batch";

    private final RunStore store;

    public RunProjection(RunStore store) {
        this.store = store;
    }

    @EventHandler
    void on(JobFiredEvent e) {
        if (current(e.runId()) != null) {
            return; // replayed
        }
        put(null, RunView.scheduled(e));
    }

    /**
     * The automation's {@code cancel_other} policy canceled the run. The run's own cancellation follows
     * (with the same version, so it changes nothing more); runs fired before runs had their own lifecycle
     * are ended by this alone.
     */
    @EventHandler
    void on(RunCanceledEvent e) {
        RunView r = current(e.runId());
        if (r == null || !r.ongoing()) {
            return; // unknown here, replayed, or it ended before the automation canceled it
        }
        put(r, RunFold.apply(r, new RunCancelRecordedEvent(e.runId(), e.automationId(), e.workspaceId(),
                e.reason(), e.canceledBy(), true, e.canceledAt())));
    }

    /** The run's own lifecycle: its view version is its stream's sequence number + 1, so a replay changes nothing. */
    @EventHandler
    void on(RunStreamEvent e, DomainEventMessage<?> message) {
        RunView r = current(e.runId());
        if (r != null && (message.getSequenceNumber() + 1 <= r.version() || !r.ongoing())) {
            return; // replayed, or already shown ended
        }
        RunView next = RunFold.apply(r, e);
        if (next != null) {
            put(r, next);
        }
    }

    @EventHandler
    void on(AutomationPurgedEvent e) {
        Batch batch = batch();
        batch.runs.values().removeIf(r -> r.automationId().equals(e.automationId()));
        batch.statusBefore.keySet().retainAll(batch.runs.keySet());
        store.deleteByAutomation(e.automationId());
    }

    @ResetHandler
    void reset() {
        store.clear();
    }

    private RunView current(String runId) {
        Batch batch = batch();
        return batch.runs.containsKey(runId) ? batch.runs.get(runId) : store.find(runId).orElse(null);
    }

    /** {@code next} replaces {@code before} (the stored or batched view; {@code null} for a new run). */
    private void put(RunView before, RunView next) {
        Batch batch = batch();
        if (!batch.statusBefore.containsKey(next.id())) {
            batch.statusBefore.put(next.id(), before == null ? null : before.status());
        }
        batch.runs.put(next.id(), next);
    }

    /**
     * The runs this batch changed (written once each just before the batch and its token commit), with each
     * run's status before the batch, from which the automations' {@link RunSummary} deltas follow.
     */
    private static final class Batch {
        final Map<String, RunView> runs = new LinkedHashMap<>();
        final Map<String, String> statusBefore = new HashMap<>();

        Collection<RunSummary> summaryDeltas() {
            Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
            Map<String, RunView> newest = new HashMap<>();
            for (RunView r : runs.values()) {
                String before = statusBefore.get(r.id());
                if (!r.status().equals(before)) {
                    Map<String, Long> c = counts.computeIfAbsent(r.automationId(), a -> new HashMap<>());
                    c.merge(r.status(), 1L, Long::sum);
                    if (before != null) {
                        c.merge(before, -1L, Long::sum);
                    }
                }
                newest.merge(r.automationId(), r, (a, b) -> a.id().compareTo(b.id()) >= 0 ? a : b);
            }
            return newest.values().stream().map(r -> new RunSummary(r.automationId(), r.id(), r.status(),
                    counts.get(r.automationId()))).toList();
        }
    }

    private Batch batch() {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(BATCH, key -> {
            Batch batch = new Batch();
            root.onPrepareCommit(uow -> {
                batch.runs.values().forEach(store::save);
                store.addToSummaries(batch.summaryDeltas());
            });
            return batch;
        });
    }
}
