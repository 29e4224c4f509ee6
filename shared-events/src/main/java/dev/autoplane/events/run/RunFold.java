package dev.autoplane.events.run;

import dev.autoplane.events.run.RunEvents.RunAttemptFailedEvent;
import dev.autoplane.events.run.RunEvents.RunCancelRecordedEvent;
import dev.autoplane.events.run.RunEvents.RunCompletedEvent;
import dev.autoplane.events.run.RunEvents.RunDelegatedEvent;
import dev.autoplane.events.run.RunEvents.RunDeliveryFailedEvent;
import dev.autoplane.events.run.RunEvents.RunFailedEvent;
import dev.autoplane.events.run.RunEvents.RunLeaseExtendedEvent;
import dev.autoplane.events.run.RunEvents.RunLeasedEvent;
import dev.autoplane.events.run.RunEvents.RunScheduledEvent;
import dev.autoplane.events.run.RunEvents.RunStreamEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one fold of a run's own events into its {@link RunView}: the run aggregate keeps its view by it
 * (and answers commands with it), the run read model stores what it gives. Each event adds 1 to
 * {@code version}, so a run's view version is its stream's sequence number + 1.
 */
public final class RunFold {

    private RunFold() {
    }

    /** The view after {@code event}; {@code current} is {@code null} only before a {@link RunScheduledEvent}. */
    public static RunView apply(RunView current, RunStreamEvent event) {
        if (event instanceof RunScheduledEvent e) {
            return current != null ? current : scheduled(e);
        }
        if (current == null) {
            return null; // a run this fold never saw scheduled
        }
        Builder b = new Builder(current);
        if (event instanceof RunLeasedEvent e) {
            b.status = "running";
            b.attempt = e.attempt();
            b.startedAt = e.leasedAt();
            b.leaseExpiresAt = e.leaseExpiresAt();
            b.nextAttemptAt = null;
            b.attempts.add(new RunView.Attempt(e.attempt(), e.leasedAt(), null, null, null));
            b.touch(e.leasedAt());
        } else if (event instanceof RunLeaseExtendedEvent e) {
            b.leaseExpiresAt = e.leaseExpiresAt();
            b.touch(e.at());
        } else if (event instanceof RunDeliveryFailedEvent e) {
            b.deliveryError = e.error();
            b.deliveryErrorAt = e.at();
            b.leaseExpiresAt = e.leaseExpiresAt();
            b.touch(e.at());
        } else if (event instanceof RunDelegatedEvent e) {
            b.status = "delegated";
            b.externalRef = e.externalRef();
            b.leaseExpiresAt = null;
            b.touch(e.at());
        } else if (event instanceof RunCompletedEvent e) {
            b.end("completed", e.at(), "completed", null);
            b.outputs = e.outputs();
        } else if (event instanceof RunAttemptFailedEvent e) {
            b.closeAttempt(e.at(), e.leaseExpired() ? "lease_expired" : "failed", e.error());
            b.status = "scheduled";
            b.error = e.error();
            b.leaseExpiresAt = null;
            b.nextAttemptAt = e.nextAttemptAt();
            b.touch(e.at());
        } else if (event instanceof RunFailedEvent e) {
            b.end("failed", e.at(), e.leaseExpired() ? "lease_expired" : "failed", e.error());
            b.error = e.error();
        } else if (event instanceof RunCancelRecordedEvent e) {
            b.end("canceled", e.at(), "canceled", null);
            if (e.reason() != null) {
                b.reason = e.reason();
            }
        } else {
            return current;
        }
        return b.build();
    }

    static RunView scheduled(RunScheduledEvent e) {
        return new RunView(e.runId(), e.workspaceId(), e.automationId(), e.revision(), e.sourceId(), e.triggerType(),
                e.fireId(), e.source(), e.stage(), e.agentName(), "scheduled", 0, Math.max(1, e.maxAttempts()),
                e.scheduledAt(), e.firedAt(), null, null, e.inputs(), null, null, null, null, null, e.reason(), 1,
                e.firedAt(), e.firedAt(), null, null, List.of());
    }

    /** A mutable copy of a view, changed by one event and built again. */
    private static final class Builder {
        private final RunView v;
        String status;
        int attempt;
        Instant startedAt;
        Instant endedAt;
        Map<String, Object> outputs;
        String error;
        Instant leaseExpiresAt;
        String reason;
        Instant updatedAt;
        Instant nextAttemptAt;
        String externalRef;
        String deliveryError;
        Instant deliveryErrorAt;
        final List<RunView.Attempt> attempts;

        Builder(RunView v) {
            this.v = v;
            status = v.status();
            attempt = v.attempt();
            startedAt = v.startedAt();
            endedAt = v.endedAt();
            outputs = v.outputs();
            error = v.error();
            leaseExpiresAt = v.leaseExpiresAt();
            reason = v.reason();
            updatedAt = v.updatedAt();
            nextAttemptAt = v.nextAttemptAt();
            externalRef = v.externalRef();
            deliveryError = v.deliveryError();
            deliveryErrorAt = v.deliveryErrorAt();
            attempts = new ArrayList<>(v.attempts());
        }

        void touch(Instant at) {
            updatedAt = at;
        }

        void end(String finalStatus, Instant at, String outcome, String attemptError) {
            closeAttempt(at, outcome, attemptError);
            status = finalStatus;
            endedAt = at;
            leaseExpiresAt = null;
            nextAttemptAt = null;
            touch(at);
        }

        void closeAttempt(Instant at, String outcome, String attemptError) {
            int last = attempts.size() - 1;
            if (last >= 0 && attempts.get(last).endedAt() == null) {
                RunView.Attempt a = attempts.get(last);
                attempts.set(last, new RunView.Attempt(a.attempt(), a.startedAt(), at, outcome, attemptError));
            }
        }

        RunView build() {
            return new RunView(v.id(), v.workspaceId(), v.automationId(), v.revision(), v.triggerId(), v.triggerType(),
                    v.fireId(), v.source(), v.stage(), v.agentName(), status, attempt, v.maxAttempts(), v.scheduledAt(),
                    v.firedAt(), startedAt, endedAt, v.inputs(), outputs, error, deliveryError, deliveryErrorAt,
                    leaseExpiresAt, reason, v.version() + 1, v.createdAt(), updatedAt, nextAttemptAt, externalRef,
                    attempts);
        }
    }
}
