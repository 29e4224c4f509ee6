package dev.autoplane.events.run;

import dev.autoplane.events.automation.AutomationSettings.RetryPolicy;
import dev.autoplane.events.automation.AutomationStreamEvent;
import dev.autoplane.events.common.Actor;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened to each occurrence and the runs it created. The fires, skips, overlap cancellations
 * and {@link RunEndedEvent} are recorded by the automation that fired (it alone knows its status,
 * policies and open runs); the run's own lifecycle (lease, heartbeat, complete, fail, retry, cancel)
 * is recorded by the run itself, as {@link RunStreamEvent}s of the run's stream (id = run id), so a
 * busy automation's stream does not move on every heartbeat.
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

    /**
     * The automation learned that one of its runs ended ({@code completed}, {@code failed} or
     * {@code canceled}): it no longer counts as open for the overlap policies. {@code error}: a failed run's
     * last error (else {@code null}), shown as the automation's {@code last_error}.
     */
    @Revision("1")
    public record RunEndedEvent(String automationId, String workspaceId, String runId, String status, String error,
                                Instant endedAt) implements AutomationStreamEvent {
    }

    // --- the run's own stream

    /** An event of a run's own stream (aggregate id = run id). */
    public interface RunStreamEvent {

        String runId();

        String automationId();

        String workspaceId();
    }

    /** An event that ends a run (completed, failed, canceled): select by this type, not by a list of classes. */
    public interface RunEndEvent extends RunStreamEvent {
    }

    /**
     * What an executor needs of the revision a run executes (no secrets: the definition as published).
     */
    public record RunDefinition(String kind, Map<String, Object> config, String prompt, String code, String agentName,
                                List<String> repositoryIds) {
    }

    /**
     * A run came into being, {@code scheduled}, in the same transaction as the {@link JobFiredEvent}
     * that started it (whose fields it repeats), with what executing and retrying it needs.
     *
     * @param teamId the automation's team when it fired (who may lease and report)
     * @param retry  the retry policy in force (the trigger's, else the automation's); {@code null}: none
     */
    @Revision("1")
    public record RunScheduledEvent(String runId, String automationId, String workspaceId, String teamId, String fireId,
                                    String sourceId, String triggerType, String source, Instant scheduledAt,
                                    Instant firedAt, String revision, String stage, Map<String, Object> inputs,
                                    String agentName, int maxAttempts, RetryPolicy retry, RunDefinition definition,
                                    String reason) implements RunStreamEvent {
    }

    /** An executor leased the run: attempt {@code attempt} started and the run is {@code running}. */
    @Revision("1")
    public record RunLeasedEvent(String runId, String automationId, String workspaceId, String leaseId, Actor executor,
                                 int attempt, Instant leasedAt, Instant leaseExpiresAt) implements RunStreamEvent {
    }

    /** The lease holder's heartbeat moved the lease's expiry. */
    @Revision("1")
    public record RunLeaseExtendedEvent(String runId, String automationId, String workspaceId, String leaseId,
                                        Instant at, Instant leaseExpiresAt) implements RunStreamEvent {
    }

    /**
     * A push delivery of the running attempt failed transiently (timeout, reset, 5xx, 429): {@code error} says
     * how; it is tried again at {@code retryAt}, and the lease is held until {@code leaseExpiresAt} meanwhile.
     */
    @Revision("1")
    public record RunDeliveryFailedEvent(String runId, String automationId, String workspaceId, String leaseId,
                                         String error, Instant at, Instant retryAt, Instant leaseExpiresAt)
            implements RunStreamEvent {
    }

    /** The lease holder handed the run to an external system ({@code delegated}); it reports the end later. */
    @Revision("1")
    public record RunDelegatedEvent(String runId, String automationId, String workspaceId, String leaseId,
                                    String externalRef, Instant at) implements RunStreamEvent {
    }

    /** The run ended {@code completed} with these outputs. */
    @Revision("1")
    public record RunCompletedEvent(String runId, String automationId, String workspaceId, String leaseId,
                                    Map<String, Object> outputs, Instant at) implements RunEndEvent {
    }

    /**
     * An attempt failed ({@code leaseExpired}: its lease ran out) and the run goes back to {@code scheduled},
     * due again at {@code nextAttemptAt} (the retry policy's delay).
     */
    @Revision("1")
    public record RunAttemptFailedEvent(String runId, String automationId, String workspaceId, String leaseId,
                                        String error, boolean leaseExpired, Instant at, Instant nextAttemptAt)
            implements RunStreamEvent {
    }

    /** The run ended {@code failed}: attempts spent, or the failure was not retryable. */
    @Revision("1")
    public record RunFailedEvent(String runId, String automationId, String workspaceId, String leaseId, String error,
                                 boolean leaseExpired, Instant at) implements RunEndEvent {
    }

    /**
     * The run ended {@code canceled}: by a person or the automation's credential, or ({@code byOverlapPolicy})
     * by the automation's {@code cancel_other} overlap policy (which recorded its {@link RunCanceledEvent}).
     */
    @Revision("1")
    public record RunCancelRecordedEvent(String runId, String automationId, String workspaceId, String reason,
                                         Actor canceledBy, boolean byOverlapPolicy, Instant at)
            implements RunEndEvent {
    }
}
