package dev.autoplane.command.run;

import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.run.RunEvents.RunEndEvent;
import dev.autoplane.events.run.RunEvents.RunAttemptFailedEvent;
import dev.autoplane.events.run.RunEvents.RunDelegatedEvent;
import dev.autoplane.events.run.RunEvents.RunDeliveryFailedEvent;
import dev.autoplane.events.run.RunEvents.RunLeaseExtendedEvent;
import dev.autoplane.events.run.RunEvents.RunLeasedEvent;
import dev.autoplane.events.run.RunEvents.RunScheduledEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Keeps the {@link RunQueue} in step with the run events. A subscribing processor: it runs in the unit
 * of work that appends the events, inside the same database transaction, so the queue never shows a
 * run the log does not have (or misses one it has). After the commit it wakes this node's waiting
 * lease calls ({@link RunQueueSignal}).
 */
@Component
@ProcessingGroup(RunQueueProjection.PROCESSING_GROUP)
public class RunQueueProjection {

    public static final String PROCESSING_GROUP = "run-queue";

    private final RunQueue queue;
    private final RunQueueSignal signal;

    RunQueueProjection(RunQueue queue, RunQueueSignal signal) {
        this.queue = queue;
        this.signal = signal;
    }

    @EventHandler
    void on(RunScheduledEvent e) {
        queue.scheduled(e.runId(), e.workspaceId(), e.automationId(), e.teamId(), e.firedAt());
        wake(e.workspaceId());
    }

    @EventHandler
    void on(RunLeasedEvent e) {
        queue.leased(e.runId(), e.leaseId(), e.leaseExpiresAt(),
                RunLeases.isDeliveryLease(e.leaseId()) ? e.leasedAt() : null); // push delivery owes a send now
    }

    @EventHandler
    void on(RunDeliveryFailedEvent e) {
        queue.deliveryFailed(e.runId(), e.retryAt(), e.leaseExpiresAt());
    }

    @EventHandler
    void on(RunLeaseExtendedEvent e) {
        queue.extended(e.runId(), e.leaseExpiresAt());
    }

    @EventHandler
    void on(RunDelegatedEvent e) {
        queue.delegated(e.runId());
    }

    @EventHandler
    void on(RunAttemptFailedEvent e) {
        queue.retry(e.runId(), e.nextAttemptAt());
        if (!e.nextAttemptAt().isAfter(e.at())) {
            wake(e.workspaceId());
        }
    }

    @EventHandler
    void on(RunEndEvent e) { // completed, failed, canceled
        queue.remove(e.runId());
    }

    @EventHandler
    void on(AutomationPurgedEvent e) {
        queue.removeAutomation(e.automationId());
    }

    private void wake(String workspaceId) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> signal.queued(workspaceId));
        } else {
            signal.queued(workspaceId);
        }
    }
}
