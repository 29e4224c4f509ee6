package dev.autoplane.query.runs;

import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.RunCanceledEvent;
import dev.autoplane.events.run.RunView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Projects fires and cancellations into the run read model: a {@link JobFiredEvent} creates the run
 * ({@code scheduled}, attempt 1, version 1), a {@link RunCanceledEvent} ends it ({@code canceled}),
 * a purge of the automation removes its runs. Idempotent: a run that exists is not created again,
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

    @EventHandler
    void on(RunCanceledEvent e) {
        RunView r = current(e.runId());
        if (r == null || r.status().equals("canceled")) {
            return; // unknown here, or replayed
        }
        batch().put(r.id(), new RunView(r.id(), r.workspaceId(), r.automationId(), r.revision(), r.triggerId(),
                r.triggerType(), r.fireId(), r.source(), r.stage(), r.agentName(), "canceled", r.attempt(),
                r.maxAttempts(), r.scheduledAt(), r.firedAt(), r.startedAt(), e.canceledAt(), r.inputs(), r.outputs(),
                r.error(), r.deliveryError(), r.deliveryErrorAt(), null, e.reason() == null ? r.reason() : e.reason(),
                r.version() + 1, r.createdAt(), e.canceledAt()));
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
