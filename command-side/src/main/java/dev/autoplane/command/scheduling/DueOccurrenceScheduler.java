package dev.autoplane.command.scheduling;

import dev.autoplane.events.automation.ScheduleCommands.FireJobCommand;
import dev.autoplane.platform.concurrent.BackgroundThread;
import dev.autoplane.platform.scheduling.SourceBook;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine: turns due occurrences into {@link FireJobCommand}s. One thread per node claims the
 * sources due by now from the {@link ScheduleIndex} (earliest first, a batch at a time, each for a
 * short lease) in one short transaction, and only after that claim has committed sends one command
 * per source: no database lock is held while a fire is handled, wherever it is handled (on this
 * thread, on another, or on another node through Axon Server). Where the commands run on this
 * thread (the local command bus), the batch's commands share one transaction, so a batch of fires
 * costs one commit, and the index follows in it (which ends the claims). The aggregate records each
 * occurrence exactly once, so a delivery repeated after a crash, after a lease ran out, or by a
 * second node changes nothing.
 * <p>
 * Between batches it sleeps until the earliest deliverable instant (at most {@code poll-interval},
 * so other nodes' changes are seen), and wakes early when a command on this node makes something
 * due sooner.
 */
@Component
public class DueOccurrenceScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DueOccurrenceScheduler.class);
    /** At most this many occurrences of one source in one delivery (a long outage is delivered in parts). */
    static final int MAX_PER_DELIVERY = 1_000;

    private final ScheduleIndex index;
    private final CommandGateway commands;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final boolean enabled;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration claimLease;

    /** How often each failing source has failed in a row (in memory: a restart simply tries again). */
    private final ConcurrentHashMap<String, Integer> failures = new ConcurrentHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private Instant requested = Instant.MAX; // guarded by lock
    private final BackgroundThread worker = new BackgroundThread();

    public DueOccurrenceScheduler(ScheduleIndex index, CommandGateway commands, PlatformTransactionManager transactions,
                                  Clock clock,
                                  @Value("${autoplane.scheduler.enabled:true}") boolean enabled,
                                  @Value("${autoplane.scheduler.batch-size:256}") int batchSize,
                                  @Value("${autoplane.scheduler.poll-interval:PT0.25S}") Duration pollInterval,
                                  @Value("${autoplane.scheduler.claim-lease:PT5S}") Duration claimLease) {
        this.index = index;
        index.whenDue(this::dueBy); // one way: the index knows nothing of the engine, only of who listens
        this.commands = commands;
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
        this.enabled = enabled;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.claimLease = claimLease;
    }

    /**
     * Delivers what is due now, one batch at a time, until nothing more is due. Returns how many
     * sources it delivered. Tests with a controllable clock call this directly.
     */
    public int runOnce() {
        int total = 0;
        while (true) {
            Instant now = clock.instant();
            int delivered = deliverBatch(now);
            total += delivered;
            if (delivered < batchSize) {
                return total;
            }
        }
    }

    private int deliverBatch(Instant now) {
        List<ScheduleIndex.Due> claimed = transactions.execute(status -> index.claim(now, batchSize, now.plus(claimLease)));
        if (claimed == null || claimed.isEmpty()) {
            return 0;
        }
        // the claim has committed: from here on nothing is locked while the fires are handled
        try {
            transactions.executeWithoutResult(status -> claimed.forEach(d -> deliver(d, now)));
            claimed.forEach(d -> failures.remove(key(d)));
            return claimed.size();
        } catch (RuntimeException e) {
            // the batch rolled back (and with it what the cached aggregates decided): deliver one by one
            log.warn("a batch of {} due sources failed ({}); delivering them one by one", claimed.size(), e.toString());
            int ok = 0;
            for (ScheduleIndex.Due d : claimed) {
                try {
                    transactions.executeWithoutResult(status -> deliver(d, now));
                    failures.remove(key(d));
                    ok++;
                } catch (RuntimeException single) {
                    int n = failures.merge(key(d), 1, Integer::sum);
                    Instant retryAt = now.plusSeconds(Math.min(60, 1L << Math.min(6, n - 1)));
                    transactions.executeWithoutResult(status -> index.hold(List.of(d), retryAt));
                    log.warn("delivering {} of automation {} failed ({} time(s); next try at {}): {}", d.sourceId(),
                            d.automationId(), n, retryAt, single.toString());
                }
            }
            return ok;
        }
    }

    private static String key(ScheduleIndex.Due d) {
        return d.automationId() + "/" + d.sourceId();
    }

    private void deliver(ScheduleIndex.Due d, Instant now) {
        Optional<SourceBook.Entry> entry = d.book().get(d.sourceId());
        if (entry.isEmpty()) {
            return;
        }
        SourceBook.Entry e = entry.get();
        List<Instant> due = e.source().due(d.automationId(), d.sourceId(), e.cursor(), e.count(), now, MAX_PER_DELIVERY);
        if (!due.isEmpty()) {
            commands.sendAndWait(new FireJobCommand(d.automationId(), d.sourceId(), due, now));
        }
    }

    /** Something is due by {@code instant}: wake the engine if it would sleep past it. */
    void dueBy(Instant instant) {
        lock.lock();
        try {
            if (instant.isBefore(requested)) {
                requested = instant;
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (worker.running()) {
            try {
                int delivered = runOnce();
                Instant now = clock.instant();
                Instant until = now.plus(pollInterval);
                Instant earliest = index.earliest().orElse(until);
                if (delivered == 0 && !earliest.isAfter(now)) {
                    // due but not deliverable now (another node is claiming it): do not spin on it
                    earliest = now.plus(pollInterval.dividedBy(5));
                }
                sleepUntil(earliest.isBefore(until) ? earliest : until);
            } catch (RuntimeException e) {
                log.warn("scheduler pass failed: {}", e.toString());
                sleepUntil(clock.instant().plus(pollInterval));
            }
        }
    }

    private void sleepUntil(Instant until) {
        lock.lock();
        try {
            while (worker.running()) {
                Instant target = requested.isBefore(until) ? requested : until;
                long nanos = Duration.between(clock.instant(), target).toNanos();
                if (nanos <= 0) {
                    break;
                }
                wake.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            requested = Instant.MAX;
            lock.unlock();
        }
    }

    @Override
    public void start() {
        if (!enabled || worker.running()) {
            return;
        }
        if (!index.shared()) {
            index.releaseAll(); // alone on its database: a claim left by the last run belongs to nobody
        }
        worker.start("autoplane-scheduler", this::loop);
    }

    /** Never interrupts the thread ({@link BackgroundThread}). */
    @Override
    public void stop() {
        worker.stop(() -> {
            lock.lock();
            try {
                wake.signalAll();
            } finally {
                lock.unlock();
            }
        });
    }

    @Override
    public boolean isRunning() {
        return worker.running();
    }

    /** Start after everything else (Axon's processors), stop first. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
