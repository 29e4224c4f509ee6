package dev.autoplane.events.run;

import java.time.Instant;

/**
 * One due occurrence of a time source and what became of it: {@code fired} (with {@code run_id}),
 * {@code canceled_other} (fired, canceling the runs still open), {@code skipped_paused},
 * {@code skipped_overlap}, {@code throttled}, {@code missed} or {@code buffered}, and why.
 */
public record OccurrenceView(String fireId, String workspaceId, String automationId, String triggerId,
                             String triggerType, Instant scheduledAt, Instant recordedAt, String outcome,
                             String reason, String runId) {
}
