package dev.autoplane.events.run;

import java.time.Instant;
import java.util.Map;

/**
 * A run as the API shows it (snake_case on the wire). Statuses: {@code scheduled}, {@code running},
 * {@code delegated}, {@code completed}, {@code failed}, {@code canceled}. Shaped to be leased
 * ({@code lease_expires_at}), retried ({@code attempt} of {@code max_attempts}) and streamed
 * ({@code version} grows with every change).
 */
public record RunView(
        String id, String workspaceId, String automationId, String revision, String triggerId, String triggerType,
        String fireId, String source, String stage, String agentName, String status, int attempt, int maxAttempts,
        Instant scheduledAt, Instant firedAt, Instant startedAt, Instant endedAt, Map<String, Object> inputs,
        Map<String, Object> outputs, String error, String deliveryError, Instant deliveryErrorAt,
        Instant leaseExpiresAt, String reason, long version, Instant createdAt, Instant updatedAt) {

    /** The run a {@code JobFired} starts, as the firing aggregate answers it and the run read model first stores it. */
    public static RunView scheduled(RunEvents.JobFiredEvent e) {
        return new RunView(e.runId(), e.workspaceId(), e.automationId(), e.revision(), e.sourceId(), e.triggerType(),
                e.fireId(), e.source(), e.stage(), e.agentName(), "scheduled", 1, Math.max(1, e.maxAttempts()),
                e.scheduledAt(), e.firedAt(), null, null, e.inputs(), null, null, null, null, null, e.reason(), 1,
                e.firedAt(), e.firedAt());
    }
}
