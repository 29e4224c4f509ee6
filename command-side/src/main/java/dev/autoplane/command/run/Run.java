package dev.autoplane.command.run;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.LeasedRun;
import dev.autoplane.events.run.RunCommands.CallerCommand;
import dev.autoplane.events.run.RunCommands.CancelRunByOverlapCommand;
import dev.autoplane.events.run.RunCommands.CancelRunCommand;
import dev.autoplane.events.run.RunCommands.CompleteRunCommand;
import dev.autoplane.events.run.RunCommands.DelegateRunCommand;
import dev.autoplane.events.run.RunCommands.ExpireRunLeaseCommand;
import dev.autoplane.events.run.RunCommands.FailRunCommand;
import dev.autoplane.events.run.RunCommands.HeartbeatRunCommand;
import dev.autoplane.events.run.RunCommands.LeaseRunCommand;
import dev.autoplane.events.run.RunCommands.RecordDeliveryFailureCommand;
import dev.autoplane.events.run.RunEvents.RunDeliveryFailedEvent;
import dev.autoplane.events.run.RunEvents.RunAttemptFailedEvent;
import dev.autoplane.events.run.RunEvents.RunCancelRecordedEvent;
import dev.autoplane.events.run.RunEvents.RunCompletedEvent;
import dev.autoplane.events.run.RunEvents.RunDefinition;
import dev.autoplane.events.run.RunEvents.RunDelegatedEvent;
import dev.autoplane.events.run.RunEvents.RunFailedEvent;
import dev.autoplane.events.run.RunEvents.RunLeaseExtendedEvent;
import dev.autoplane.events.run.RunEvents.RunLeasedEvent;
import dev.autoplane.events.run.RunEvents.RunScheduledEvent;
import dev.autoplane.events.run.RunEvents.RunStreamEvent;
import dev.autoplane.events.run.RunFold;
import dev.autoplane.events.run.RunView;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One run of an automation (id = run id): {@code scheduled → running → completed | failed | delegated →
 * completed | failed}, {@code canceled} from any open status, and back to {@code scheduled} for a retry.
 * Created with the {@code JobFired} that starts it (the automation's firing calls {@code createNew}); its
 * changes are events of its own stream. The run is the judge of every lease and report: what it refuses
 * is a {@code 409} with {@code current_status} and records nothing; a repeated identical report answers
 * the same run again. Its view is kept by {@link RunFold}, the fold the read model stores.
 */
@Aggregate
public class Run {

    @AggregateIdentifier
    private String runId;
    private RunView view;
    private String teamId;
    private RetryPolicy retry;
    private RunDefinition definition;
    /** The latest lease (kept after it ends, to recognise a repeated report of its holder). */
    private String leaseId;
    private Actor holder;
    /** The last report that changed the run: its kind and payload. */
    private List<Object> lastReport;
    /** Failed push deliveries of the current attempt. */
    private int deliveryFailures;

    Run() {
        // for Axon
    }

    /** The run a fire starts ({@code AggregateLifecycle.createNew(Run.class, () -> new Run(event))}). */
    public Run(RunScheduledEvent scheduled) {
        apply(scheduled);
    }

    /** Another workspace's run, or another automation's for an automation's credential, is not found. */
    @CommandHandlerInterceptor
    Object guard(CallerCommand cmd, InterceptorChain chain) throws Exception {
        Actor actor = cmd.actor();
        if (!view.workspaceId().equals(cmd.workspaceId())
                || (actor.isServiceAccount() && !actor.id().equals(view.automationId()))) {
            throw RunErrors.notFound(runId);
        }
        List<String> limit = cmd.teamLimit();
        if (limit != null && !limit.isEmpty() && (teamId == null || !limit.contains(teamId))) {
            throw RunErrors.outsideTeams(limit);
        }
        return chain.proceed();
    }

    @CommandHandler
    LeasedRun handle(LeaseRunCommand cmd) {
        if (cmd.leaseId().equals(leaseId) && "running".equals(view.status())) {
            return leased(); // the same lease asked again
        }
        if (!"scheduled".equals(view.status())) {
            throw RunErrors.notLeasable(view);
        }
        if (view.nextAttemptAt() != null && view.nextAttemptAt().isAfter(cmd.at())) {
            throw RunErrors.notDue(view);
        }
        apply(new RunLeasedEvent(runId, view.automationId(), view.workspaceId(), cmd.leaseId(), cmd.actor(),
                view.attempt() + 1, cmd.at(), cmd.at().plus(cmd.leaseDuration())));
        return leased();
    }

    @CommandHandler
    RunView handle(HeartbeatRunCommand cmd) {
        if (!holds(cmd) || !view.ongoing() || "scheduled".equals(view.status())) {
            throw RunErrors.notLeaseHolder(view, "heartbeat");
        }
        if ("running".equals(view.status())) {
            apply(new RunLeaseExtendedEvent(runId, view.automationId(), view.workspaceId(), leaseId, cmd.at(),
                    cmd.at().plus(cmd.leaseDuration())));
        }
        return view;
    }

    @CommandHandler
    RunView handle(CompleteRunCommand cmd) {
        Map<String, Object> outputs = cmd.outputs() == null ? Map.of() : cmd.outputs();
        if (report(cmd, "complete", outputs)) {
            apply(new RunCompletedEvent(runId, view.automationId(), view.workspaceId(), leaseId, outputs, cmd.at()));
        }
        return view;
    }

    @CommandHandler
    RunView handle(FailRunCommand cmd) {
        if (!report(cmd, "fail", cmd.error())) {
            return view;
        }
        if (!cmd.retryable() || view.attempt() >= view.maxAttempts()) {
            apply(new RunFailedEvent(runId, view.automationId(), view.workspaceId(), leaseId, cmd.error(), false, cmd.at()));
        } else {
            apply(new RunAttemptFailedEvent(runId, view.automationId(), view.workspaceId(), leaseId, cmd.error(), false,
                    cmd.at(), cmd.at().plus(retry.delayAfter(view.attempt(), runId))));
        }
        return view;
    }

    @CommandHandler
    RunView handle(DelegateRunCommand cmd) {
        boolean holds = holds(cmd);
        if (holds && "delegated".equals(view.status()) && isLast("delegate", cmd.externalRef())) {
            return view; // repeated
        }
        if (!holds) {
            throw RunErrors.notLeaseHolder(view, "delegate");
        }
        if (!"running".equals(view.status())) {
            throw RunErrors.illegalReport(view, "be delegated");
        }
        apply(new RunDelegatedEvent(runId, view.automationId(), view.workspaceId(), leaseId, cmd.externalRef(), cmd.at()));
        return view;
    }

    @CommandHandler
    RunView handle(CancelRunCommand cmd) {
        if (view.ongoing()) {
            apply(new RunCancelRecordedEvent(runId, view.automationId(), view.workspaceId(), cmd.reason(), cmd.actor(),
                    false, cmd.at()));
        } else if (!"canceled".equals(view.status())) {
            throw RunErrors.illegalReport(view, "be canceled");
        }
        return view;
    }

    @CommandHandler
    void handle(CancelRunByOverlapCommand cmd) {
        if (view.ongoing()) {
            apply(new RunCancelRecordedEvent(runId, view.automationId(), view.workspaceId(), cmd.reason(), Actor.SYSTEM,
                    true, cmd.at()));
        }
    }

    /**
     * Push delivery's word that a send failed transiently: recorded ({@code delivery_error}) and tried again within
     * the same attempt after {@link DeliveryBackoff}'s delay (or the endpoint's {@code Retry-After}), the lease held
     * until then + the lease duration; once the next try would come later than {@link DeliveryBackoff#GIVE_UP_AFTER}
     * after the attempt started, the run fails with {@code delivery_failed}. Ignored unless the run is still running
     * under that lease.
     */
    @CommandHandler
    void handle(RecordDeliveryFailureCommand cmd) {
        if (!"running".equals(view.status()) || !cmd.leaseId().equals(leaseId)) {
            return; // reported, canceled or expired meanwhile
        }
        java.time.Duration delay = DeliveryBackoff.delay(deliveryFailures + 1, cmd.retryAfter());
        Instant retryAt = cmd.at().plus(delay);
        boolean giveUp = retryAt.isAfter(view.startedAt().plus(DeliveryBackoff.GIVE_UP_AFTER));
        Instant next = giveUp ? cmd.at() : retryAt;
        apply(new RunDeliveryFailedEvent(runId, view.automationId(), view.workspaceId(), leaseId, cmd.error(), cmd.at(),
                next, next.plus(cmd.leaseDuration())));
        if (giveUp) {
            apply(new RunFailedEvent(runId, view.automationId(), view.workspaceId(), leaseId, DELIVERY_FAILED, false,
                    cmd.at()));
        }
    }

    /** The error of a run whose push delivery gave up. */
    public static final String DELIVERY_FAILED = "delivery_failed";

    /** The sweeper's word that a lease ran out: a new attempt later, or failed when the attempts are spent. */
    @CommandHandler
    void handle(ExpireRunLeaseCommand cmd) {
        if (!"running".equals(view.status()) || !cmd.leaseId().equals(leaseId) || cmd.at().isBefore(view.leaseExpiresAt())) {
            return; // already reported, extended or expired: nothing to do
        }
        String error = "the lease expired at " + view.leaseExpiresAt() + " without a report";
        if (view.attempt() >= view.maxAttempts()) {
            apply(new RunFailedEvent(runId, view.automationId(), view.workspaceId(), leaseId, error, true, cmd.at()));
        } else {
            apply(new RunAttemptFailedEvent(runId, view.automationId(), view.workspaceId(), leaseId, error, true, cmd.at(),
                    cmd.at().plus(retry.delayAfter(view.attempt(), runId))));
        }
    }

    /**
     * Whether a report of this kind changes the run: {@code true} when the caller holds the running (or
     * delegated) run's lease; {@code false} when it repeats the report that changed it last; otherwise
     * {@code 409}.
     */
    private boolean report(CallerCommand cmd, String kind, Object payload) {
        boolean holds = holds(cmd);
        if (holds && ("running".equals(view.status()) || "delegated".equals(view.status()))) {
            return true;
        }
        if (holds && isLast(kind, payload)) {
            return false;
        }
        throw holds && !view.ongoing() ? RunErrors.illegalReport(view, kind) : RunErrors.notLeaseHolder(view, kind);
    }

    /** Whether the caller names the latest lease (by its id, or, without one, by being its holder). */
    private boolean holds(CallerCommand cmd) {
        String given = leaseIdOf(cmd);
        return leaseId != null && (given != null ? given.equals(leaseId) : cmd.actor().sameAs(holder));
    }

    private boolean isLast(String kind, Object payload) {
        return Arrays.asList(kind, payload).equals(lastReport);
    }

    private static String leaseIdOf(CallerCommand cmd) {
        if (cmd instanceof HeartbeatRunCommand c) {
            return c.leaseId();
        } else if (cmd instanceof CompleteRunCommand c) {
            return c.leaseId();
        } else if (cmd instanceof FailRunCommand c) {
            return c.leaseId();
        } else if (cmd instanceof DelegateRunCommand c) {
            return c.leaseId();
        }
        return null;
    }

    private LeasedRun leased() {
        return new LeasedRun(view, leaseId, definition);
    }

    // --- state

    @EventSourcingHandler
    void on(RunStreamEvent event) {
        view = RunFold.apply(view, event);
        if (event instanceof RunScheduledEvent e) {
            runId = e.runId();
            teamId = e.teamId();
            retry = RetryPolicy.of(e.retry());
            definition = e.definition();
        } else if (event instanceof RunLeasedEvent e) {
            leaseId = e.leaseId();
            holder = e.executor();
            lastReport = null;
            deliveryFailures = 0;
        } else if (event instanceof RunDeliveryFailedEvent) {
            deliveryFailures++;
        } else if (event instanceof RunCompletedEvent e) {
            lastReport = Arrays.asList("complete", e.outputs());
        } else if (event instanceof RunAttemptFailedEvent e) {
            lastReport = e.leaseExpired() ? null : Arrays.asList("fail", e.error());
        } else if (event instanceof RunFailedEvent e) {
            lastReport = e.leaseExpired() ? null : Arrays.asList("fail", e.error());
        } else if (event instanceof RunDelegatedEvent e) {
            lastReport = Arrays.asList("delegate", e.externalRef());
        }
    }
}
