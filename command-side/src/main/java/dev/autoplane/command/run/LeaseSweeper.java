package dev.autoplane.command.run;

import dev.autoplane.events.run.RunCommands.ExpireRunLeaseCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Returns runs whose lease expired to the queue: every {@code autoplane.runs.sweep-interval} (1 s) it sends an
 * {@link ExpireRunLeaseCommand} for each running run whose lease is past its expiry in the {@link RunQueue}.
 * The run decides (a new attempt, or failed when the attempts are spent; nothing if a heartbeat or report
 * came first), so two nodes sweeping the same run change it once. No lock is held while commands run.
 */
@Component
public class LeaseSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);
    static final int BATCH = 100;

    private final RunQueue queue;
    private final CommandGateway commands;
    private final Clock clock;
    private final boolean enabled;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public LeaseSweeper(RunQueue queue, CommandGateway commands, Clock clock,
                        @Value("${autoplane.scheduler.enabled:true}") boolean enabled,
                        @Value("${autoplane.runs.sweep-interval:PT1S}") Duration interval) {
        this.queue = queue;
        this.commands = commands;
        this.clock = clock;
        this.enabled = enabled;
        this.interval = interval;
    }

    /** Expires what has expired by now; answers how many leases it looked at. Tests call it directly. */
    public int sweepOnce() {
        Instant now = clock.instant();
        var expired = queue.expired(now, BATCH);
        for (RunQueue.Expired e : expired) {
            try {
                commands.sendAndWait(new ExpireRunLeaseCommand(e.runId(), e.leaseId(), now));
            } catch (RuntimeException failed) {
                log.warn("expiring the lease of run {} failed: {}", e.runId(), failed.toString());
            }
        }
        return expired.size();
    }

    @Override
    public void start() {
        if (!enabled) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-sweeper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                while (sweepOnce() == BATCH) {
                    // a full batch: more may be waiting
                }
            } catch (RuntimeException e) {
                log.warn("the lease sweep failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
