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

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Projects fires and the runs' own lifecycles into the run read model: a {@link JobFiredEvent} creates the
 * run ({@code scheduled}, attempt 0, version 1), the run's events ({@link RunStreamEvent}) change it by
 * {@link RunFold} (the fold the run aggregate answers with), a {@link RunCanceledEvent} of the
 * automation ends it ({@code canceled}), a purge of the automation removes its runs. Idempotent: a run that exists is not created again,
 * one that is canceled is not canceled again, and the store never replaces a higher version. Writes
 * are collected per batch and flushed in the batch's transaction.
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
        batch().put(e.runId(), RunView.scheduled(e));
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
        batch().put(r.id(), RunFold.apply(r, new RunCancelRecordedEvent(e.runId(), e.automationId(), e.workspaceId(),
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
            batch().put(next.id(), next);
        }
    }

    @EventHandler
    void on(AutomationPurgedEvent e) {
        batch().values().removeIf(r -> r.automationId().equals(e.automationId()));
        store.deleteByAutomation(e.automationId());
    }

    @ResetHandler
    void reset() {
        store.clear();
    }

    private RunView current(String runId) {
        Map<String, RunView> batch = batch();
        return batch.containsKey(runId) ? batch.get(runId) : store.find(runId).orElse(null);
    }

    /** The runs this batch changed, written once each just before the batch (and its token) commits. */
    private Map<String, RunView> batch() {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(BATCH, key -> {
            Map<String, RunView> runs = new LinkedHashMap<>();
            root.onPrepareCommit(uow -> runs.values().forEach(store::save));
            return runs;
        });
    }
}
