package dev.autoplane.events.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as the API shows it (snake_case on the wire). Statuses: {@code scheduled}, {@code running},
 * {@code delegated}, {@code completed}, {@code failed}, {@code canceled}. {@code attempt} counts the
 * attempts started (0 until first leased) of {@code max_attempts}; {@code attempts} records each one;
 * {@code version} grows with every change. Built from the events by {@link RunFold} (the run aggregate
 * answers with the same fold the read model stores).
 */
public record RunView(
        String id, String workspaceId, String automationId, String revision, String triggerId, String triggerType,
        String fireId, String source, String stage, String agentName, String status, int attempt, int maxAttempts,
        Instant scheduledAt, Instant firedAt, Instant startedAt, Instant endedAt, Map<String, Object> inputs,
        Map<String, Object> outputs, String error, String deliveryError, Instant deliveryErrorAt,
        Instant leaseExpiresAt, String reason, long version, Instant createdAt, Instant updatedAt,
        Instant nextAttemptAt, String externalRef, List<Attempt> attempts) {

    /** The open statuses (a run in one of them may still change). */
    public static final List<String> OPEN = List.of("scheduled", "running", "delegated");

    public RunView {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /**
     * One started attempt: when it started and ended, how ({@code completed}, {@code failed},
     * {@code lease_expired}, {@code canceled}; absent while it runs) and the error reported.
     */
    public record Attempt(int attempt, Instant startedAt, Instant endedAt, String outcome, String error) {
    }

    /** The run a {@code JobFired} starts, as the firing aggregate answers it and the run read model first stores it. */
    public static RunView scheduled(RunEvents.JobFiredEvent e) {
        return new RunView(e.runId(), e.workspaceId(), e.automationId(), e.revision(), e.sourceId(), e.triggerType(),
                e.fireId(), e.source(), e.stage(), e.agentName(), "scheduled", 0, Math.max(1, e.maxAttempts()),
                e.scheduledAt(), e.firedAt(), null, null, e.inputs(), null, null, null, null, null, e.reason(), 1,
                e.firedAt(), e.firedAt(), null, null, List.of());
    }

    /** Whether it is in an open status (not named like a getter: it is no field of the JSON). */
    public boolean ongoing() {
        return OPEN.contains(status);
    }
}
