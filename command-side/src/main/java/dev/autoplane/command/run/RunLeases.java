package dev.autoplane.command.run;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.LeasedRun;
import dev.autoplane.events.run.RunCommands.LeaseRunCommand;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.concurrent.StartedWork;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Leases runs to executors: claims due rows of the {@link RunQueue} in a short transaction of its own
 * (committed before anything else happens, so no database lock is held while a command is handled), then
 * sends one {@link LeaseRunCommand} per claimed run; the {@link Run} decides, and a refused claim is simply
 * dropped. A call that finds nothing waits, up to its {@code wait}, for this node's {@link RunQueueSignal}
 * (a run queued here) or the next poll ({@code autoplane.runs.lease-poll-interval}, for other nodes' runs and
 * retries that come due).
 */
@Component
public class RunLeases {

    private static final Logger log = LoggerFactory.getLogger(RunLeases.class);

    /** Who asks: the workspace, an automation to lease from (required for an automation's own credential). */
    public record Request(String workspaceId, String automationId, List<String> teamIds, Actor actor, int maxRuns,
                          Duration waitFor) {
    }

    private final RunQueue queue;
    private final RunQueueSignal signal;
    private final CommandGateway commands;
    private final StartedWork work;
    private final Clock clock;
    private final Duration leaseDuration;
    private final Duration pollInterval;

    public RunLeases(RunQueue queue, RunQueueSignal signal, CommandGateway commands, StartedWork work, Clock clock,
                     @Value("${autoplane.runs.lease-duration:PT60S}") Duration leaseDuration,
                     @Value("${autoplane.runs.lease-poll-interval:PT1S}") Duration pollInterval) {
        this.queue = queue;
        this.signal = signal;
        this.commands = commands;
        this.work = work;
        this.clock = clock;
        this.leaseDuration = leaseDuration;
        this.pollInterval = pollInterval;
    }

    /** The prefix of the lease ids push delivery leases with (how the queue tells that a send is owed). */
    public static final String DELIVERY_LEASE_PREFIX = "delivery:";

    /** Whether push delivery holds this lease. */
    public static boolean isDeliveryLease(String leaseId) {
        return leaseId != null && leaseId.startsWith(DELIVERY_LEASE_PREFIX);
    }

    public Duration leaseDuration() {
        return leaseDuration;
    }

    /** The runs leased to the caller: as soon as any is due, or none once {@code wait} has passed. */
    public Mono<List<LeasedRun>> lease(Request request) {
        long deadline = System.nanoTime() + request.waitFor().toNanos();
        return Mono.defer(() -> attempt(request, deadline));
    }

    private Mono<List<LeasedRun>> attempt(Request request, long deadline) {
        // listen before looking, so a run queued while this call looks is not missed until the next poll
        CompletableFuture<String> queued = signal.queued().filter(request.workspaceId()::equals).next().toFuture();
        return work.call(() -> leaseOnce(request)).flatMap(leased -> {
            long remaining = deadline - System.nanoTime();
            if (!leased.isEmpty() || remaining <= 0) {
                queued.cancel(false);
                return Mono.just(leased);
            }
            Duration sleep = Duration.ofNanos(Math.min(remaining, pollInterval.toNanos()));
            return Mono.fromFuture(queued, true).timeout(sleep, Mono.just("poll"))
                    .then(Mono.defer(() -> attempt(request, deadline)));
        }).doFinally(s -> queued.cancel(false));
    }

    /** One claim and its lease commands; the runs the {@link Run}s granted. */
    public List<LeasedRun> leaseOnce(Request request) {
        Instant now = clock.instant();
        List<String> claimed = queue.claim(request.workspaceId(), request.automationId(), request.teamIds(),
                request.maxRuns(), now);
        List<LeasedRun> leased = new ArrayList<>(claimed.size());
        for (String runId : claimed) {
            try {
                leased.add(commands.sendAndWait(new LeaseRunCommand(runId, request.workspaceId(), Ids.newId(),
                        request.actor(), request.teamIds(), leaseDuration, now)));
            } catch (RuntimeException refused) {
                log.debug("run {} was claimed but not leased: {}", runId, refused.toString());
                queue.release(runId);
            }
        }
        return leased;
    }
}
