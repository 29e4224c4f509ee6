package dev.autoplane.command.scheduling;

import dev.autoplane.events.automation.ScheduleCommands.FireJobCommand;
import dev.autoplane.platform.scheduling.SourceBook;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine: turns due occurrences into {@link FireJobCommand}s. One thread per node takes the
 * sources due by now from the {@link ScheduleIndex} (earliest first, a batch at a time) and sends
 * one command per source in one database transaction, so a batch of fires costs one commit; the
 * index follows in the same transaction. The aggregate records each occurrence exactly once, so a
 * delivery repeated after a crash, or by a second node, changes nothing.
 * <p>
 * Between batches it sleeps until the earliest due instant (at most {@code poll-interval}, so other
 * nodes' changes are seen), and wakes early when a command on this node makes something due sooner.
 */
@Component
public class DueOccurrenceScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DueOccurrenceScheduler.class);
    /** At most this many occurrences of one source in one delivery (a long outage is delivered in parts). */
    static final int MAX_PER_DELIVERY = 1_000;

    private final ScheduleIndex index;
    private final CommandGateway commands;
    private final TransactionTemplate transactions;
    private final Cache automationCache;
    private final Clock clock;
    private final boolean enabled;
    private final int batchSize;
    private final Duration pollInterval;

    /** Sources whose delivery failed, and when to try them again (in memory: a restart simply retries). */
    private final java.util.concurrent.ConcurrentHashMap<String, Backoff> failing = new java.util.concurrent.ConcurrentHashMap<>();

    private record Backoff(int failures, Instant retryAt) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private Instant requested = Instant.MAX; // guarded by lock
    private volatile boolean running;
    private Thread thread;

    public DueOccurrenceScheduler(ScheduleIndex index, CommandGateway commands, PlatformTransactionManager transactions,
                                  @Qualifier("automationCache") Cache automationCache, Clock clock,
                                  @Value("${autoplane.scheduler.enabled:true}") boolean enabled,
                                  @Value("${autoplane.scheduler.batch-size:256}") int batchSize,
                                  @Value("${autoplane.scheduler.poll-interval:PT0.25S}") Duration pollInterval) {
        this.index = index;
        index.whenDue(this::dueBy); // one way: the index knows nothing of the engine, only of who listens
        this.commands = commands;
        this.transactions = new TransactionTemplate(transactions);
        this.automationCache = automationCache;
        this.clock = clock;
        this.enabled = enabled;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
    }

    /**
     * Delivers what is due now, one batch per transaction, until nothing more is due. Returns how
     * many sources it delivered. Tests with a controllable clock call this directly.
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
        Set<String> touched = new LinkedHashSet<>();
        List<ScheduleIndex.Due> failedBatch = new ArrayList<>();
        try {
            Integer n = transactions.execute(status -> {
                List<ScheduleIndex.Due> due = index.due(now, batchSize + failing.size()).stream()
                        .filter(d -> !backingOff(d, now)).limit(batchSize).toList();
                failedBatch.addAll(due);
                for (ScheduleIndex.Due d : due) {
                    touched.add(d.automationId());
                    deliver(d, now);
                }
                return due.size();
            });
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            // the batch rolled back: nothing of it is stored, so forget what the cached aggregates decided
            touched.forEach(automationCache::remove);
            log.warn("a batch of {} due sources failed ({}); delivering them one by one", failedBatch.size(), e.toString());
            int ok = 0;
            for (ScheduleIndex.Due d : failedBatch) {
                try {
                    transactions.executeWithoutResult(status -> deliver(d, now));
                    failing.remove(key(d));
                    ok++;
                } catch (RuntimeException single) {
                    automationCache.remove(d.automationId());
                    Backoff b = failing.merge(key(d), new Backoff(1, now.plusSeconds(1)), (old, x) ->
                            new Backoff(old.failures() + 1, now.plusSeconds(Math.min(60, 1L << Math.min(6, old.failures())))));
                    log.warn("delivering {} of automation {} failed ({} time(s); next try at {}): {}", d.sourceId(),
                            d.automationId(), b.failures(), b.retryAt(), single.toString());
                }
            }
            return ok;
        }
    }

    private boolean backingOff(ScheduleIndex.Due d, Instant now) {
        Backoff b = failing.get(key(d));
        return b != null && now.isBefore(b.retryAt());
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
            if (index.shared()) {
                // another node may have fired this automation since this node cached it: decide on its stored state
                automationCache.remove(d.automationId());
            }
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
        while (running) {
            try {
                int delivered = runOnce();
                Instant now = clock.instant();
                Instant until = now.plus(pollInterval);
                Instant earliest = index.earliest().orElse(until);
                if (delivered == 0 && !earliest.isAfter(now)) {
                    // due but not deliverable now (a source backing off): do not spin on it
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
            while (running) {
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
        if (!enabled || running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "autoplane-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Never interrupts the thread: an interrupt during file I/O would close the embedded database's file. */
    @Override
    public void stop() {
        running = false;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Start after everything else (Axon's processors), stop first. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
