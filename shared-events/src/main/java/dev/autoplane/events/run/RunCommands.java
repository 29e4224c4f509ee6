package dev.autoplane.events.run;

import dev.autoplane.events.common.Actor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Commands of a run (aggregate id = run id), and the one by which an automation learns that its run
 * ended. Reports name the caller ({@code actor}), the workspace they addressed and their team limit:
 * the run refuses (as not found) another workspace's run or, for an automation's own credential,
 * another automation's run, and (as {@code 403}) a run outside the caller's teams.
 */
public final class RunCommands {

    private RunCommands() {
    }

    /** What every command from a caller names, so one guard in the run checks it. */
    public interface CallerCommand {

        String runId();

        String workspaceId();

        Actor actor();

        List<String> teamLimit();
    }

    /** Lease the run (it must be {@code scheduled} and due): starts the next attempt for {@code leaseDuration}. */
    public record LeaseRunCommand(@TargetAggregateIdentifier String runId, String workspaceId, String leaseId,
                                  Actor actor, List<String> teamLimit, Duration leaseDuration, Instant at)
            implements CallerCommand {
    }

    /**
     * The lease holder's reports. {@code leaseId}: the lease the caller holds; {@code null} means "the lease I
     * (this actor) hold" (enough for one executor per credential).
     */
    public record HeartbeatRunCommand(@TargetAggregateIdentifier String runId, String workspaceId, String leaseId,
                                      Actor actor, List<String> teamLimit, Duration leaseDuration, Instant at)
            implements CallerCommand {
    }

    public record CompleteRunCommand(@TargetAggregateIdentifier String runId, String workspaceId, String leaseId,
                                     Actor actor, List<String> teamLimit, Map<String, Object> outputs, Instant at)
            implements CallerCommand {
    }

    public record FailRunCommand(@TargetAggregateIdentifier String runId, String workspaceId, String leaseId,
                                 Actor actor, List<String> teamLimit, String error, boolean retryable, Instant at)
            implements CallerCommand {
    }

    public record DelegateRunCommand(@TargetAggregateIdentifier String runId, String workspaceId, String leaseId,
                                     Actor actor, List<String> teamLimit, String externalRef, Instant at)
            implements CallerCommand {
    }

    /** Cancel an open run ({@code run.write} holders and the automation's own credential). */
    public record CancelRunCommand(@TargetAggregateIdentifier String runId, String workspaceId, Actor actor,
                                   List<String> teamLimit, String reason, Instant at) implements CallerCommand {
    }

    /** The automation's {@code cancel_other} policy canceled the run (sent by the engine, not a caller). */
    public record CancelRunByOverlapCommand(@TargetAggregateIdentifier String runId, String reason, Instant at) {
    }

    /** The engine's sweeper: the lease {@code leaseId} has passed its expiry (the run judges). */
    public record ExpireRunLeaseCommand(@TargetAggregateIdentifier String runId, String leaseId, Instant at) {
    }

    /**
     * Push delivery's word that a send of lease {@code leaseId} failed transiently (timeout, reset, 5xx, 429). The
     * run decides when to try again (the documented backoff, or {@code retryAfter} when the endpoint sent
     * {@code Retry-After}) or, past 24 hours from the attempt's start, that the run fails with {@code delivery_failed}.
     */
    public record RecordDeliveryFailureCommand(@TargetAggregateIdentifier String runId, String leaseId, String error,
                                               Duration retryAfter, Duration leaseDuration, Instant at) {
    }

    /** Tells the automation that its run ended ({@code completed}, {@code failed} with its error, {@code canceled}). */
    public record NoteRunEndedCommand(@TargetAggregateIdentifier String automationId, String runId, String status,
                                      String error, Instant at) {
    }
}
