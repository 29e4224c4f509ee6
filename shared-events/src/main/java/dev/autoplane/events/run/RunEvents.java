package dev.autoplane.events.run;

import dev.autoplane.events.automation.AutomationStreamEvent;
import dev.autoplane.events.common.Actor;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened to each occurrence and the runs it created. Recorded by the automation that fired
 * (it alone knows its status, policies and open runs); the run's own lifecycle (lease, heartbeat,
 * complete, fail, retry) belongs to the run once executors arrive.
 */
public final class RunEvents {

    private RunEvents() {
    }

    /**
     * An occurrence fired and created run {@code runId} in status {@code scheduled}.
     *
     * @param sourceId     {@code "schedule"}, a trigger id, or {@code null} for a manual fire without trigger
     * @param triggerType  {@code schedule}, {@code cron}, {@code interval}, {@code at}, {@code api}, {@code webhook}
     * @param source       why it fired: {@code schedule} (on time or within the misfire grace), {@code catch_up},
     *                     {@code backfill}, {@code manual} ({@code POST .../trigger}), {@code invoke}, {@code buffered}
     * @param scheduledAt  the occurrence's nominal instant (for manual fires: when it was asked for)
     * @param revision     the revision the run executes (the latest published one, or the draft for test runs)
     * @param outcome      {@code fired}, or {@code canceled_other} when the overlap policy canceled {@code canceledRunIds}
     */
    @Revision("1")
    public record JobFiredEvent(String automationId, String workspaceId, String fireId, String runId,
                                String sourceId, String triggerType, String source, Instant scheduledAt,
                                Instant firedAt, String revision, String stage, Map<String, Object> inputs,
                                String agentName, int maxAttempts, String outcome, List<String> canceledRunIds,
                                String reason, Actor firedBy) implements AutomationStreamEvent {
    }

    /**
     * An occurrence that came due and did not fire: {@code skipped_paused}, {@code skipped_overlap},
     * {@code throttled}, {@code missed} or {@code buffered} (held to fire when the open run ends),
     * with a human {@code reason}.
     */
    @Revision("1")
    public record OccurrenceSkippedEvent(String automationId, String workspaceId, String fireId, String sourceId,
                                         String triggerType, Instant scheduledAt, Instant recordedAt,
                                         String outcome, String reason) implements AutomationStreamEvent {
    }

    /** A run was canceled before it ended (for now: by the {@code cancel_other} overlap policy). */
    @Revision("1")
    public record RunCanceledEvent(String runId, String automationId, String workspaceId, String reason,
                                   Actor canceledBy, Instant canceledAt) implements AutomationStreamEvent {
    }
}
