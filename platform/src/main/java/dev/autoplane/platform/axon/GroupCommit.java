package dev.autoplane.platform.axon;

import jakarta.annotation.PreDestroy;
import org.axonframework.commandhandling.AsynchronousCommandBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit: the commands sent through the {@link CommandDispatcher} while a commit is in flight
 * share the next database transaction and its one commit.
 * <p>
 * One thread takes the commands as they arrive. A lone command (nothing else waiting) is sent at
 * once exactly as without group commit: its own unit of work and transaction. When several are
 * waiting, up to {@link #MAX_BATCH} of them run in one root {@link UnitOfWork} with the database
 * transaction attached, each in a unit of work of its own nested in it (the local command bus
 * nests a command's unit of work in the current one). Axon keeps what a nested unit of work did
 * for its root: its events are appended and handed to the in-transaction (subscribing) processors
 * when the root prepares its commit, its after-commit work runs after the root's commit, and the
 * aggregate locks it took are held until the root is cleaned up, so no other thread sees an
 * aggregate's state before that state has committed. Every database write of every command
 * (events, name registry, idempotency marks, schedule index, subject keys) joins the root's
 * transaction. Each caller is answered only after the shared commit: acknowledged still means
 * durable.
 * <p>
 * <b>Failures.</b> If a command of the batch fails (a domain rejection or any error), the whole
 * batch's transaction rolls back at once (the aggregates cached inside it leave the cache with it,
 * see {@code TransactionBoundCache}), the failed command is sent again alone on the plain path and
 * answered from that, and the batch's other commands go back to the front of the queue for the
 * next batch. If the shared commit itself fails (an append conflict, an in-transaction processor),
 * every command of the batch is sent again alone. A failing command therefore costs the others at
 * most one batch, never its failure; a command applied nowhere is never answered as done. Nothing
 * is answered twice and nothing runs twice with effect: a rolled-back batch left no trace.
 * <p>
 * Only where it is sound: a local {@link SimpleCommandBus} (handlers on the sending thread, so a
 * command runs inside the batch's unit of work) and events in the same database as everything
 * else (embedded H2 and PostgreSQL). In the distributed mode events go to Axon Server outside the
 * database transaction, and an asynchronous bus would run each command in a transaction of its own:
 * there every command takes the plain path. {@code autoplane.commands.group-commit=false} turns it off.
 */
@Component
public class GroupCommit {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** At most this many commands share one transaction. */
    static final int MAX_BATCH = 64;

    private final CommandGateway gateway;
    private final TransactionManager transactions;
    private final boolean enabled;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Commands of a rolled-back batch, sent before anything newer (only the group commit thread touches it). */
    private final java.util.ArrayDeque<Pending> carried = new java.util.ArrayDeque<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** Batches that committed with more than one command, and batches that rolled back: for tests and logs. */
    private final AtomicInteger sharedCommits = new AtomicInteger();
    private final AtomicInteger rolledBackBatches = new AtomicInteger();
    /** For the summary logged at most once a minute (only the group commit thread touches these). */
    private long commandsShared, commandsAlone, batchesShared, batchesRolledBack, largestBatch;
    private long lastSummary = System.nanoTime();

    public GroupCommit(CommandGateway gateway, CommandBus commandBus, TransactionManager transactions,
                       @Value("${autoplane.storage:embedded}") String storage,
                       @Value("${autoplane.commands.group-commit:true}") boolean groupCommit) {
        this.gateway = gateway;
        this.transactions = transactions;
        boolean localBus = commandBus instanceof SimpleCommandBus && !(commandBus instanceof AsynchronousCommandBus);
        this.enabled = groupCommit && !"distributed".equals(storage) && localBus;
        if (groupCommit && !enabled) {
            log.info("group commit is off: {}", "distributed".equals(storage) ? "events are in Axon Server"
                    : "the command bus (" + commandBus.getClass().getSimpleName() + ") does not handle commands on the sending thread");
        }
        this.thread = new Thread(this::loop, "group-commit");
        this.thread.setDaemon(true);
        if (enabled) {
            this.thread.start();
        }
    }

    /** Whether commands are batched (otherwise {@link #submit} sends each on the calling thread). */
    public boolean enabled() {
        return enabled;
    }

    public int sharedCommits() {
        return sharedCommits.get();
    }

    public int rolledBackBatches() {
        return rolledBackBatches.get();
    }

    /**
     * A command to send; the future completes with its result (or fails with what
     * {@link CommandGateway#sendAndWait} throws) once it is durable. A command whose {@link Pending#cancel()}
     * wins before it starts is not sent at all.
     */
    public Pending submit(CommandMessage<?> command) {
        Pending pending = new Pending(command);
        if (!running) {
            pending.result.completeExceptionally(new IllegalStateException("the command dispatcher has stopped"));
            return pending;
        }
        queue.add(pending);
        return pending;
    }

    /** A submitted command and its answer. */
    public static final class Pending {
        private static final int QUEUED = 0, STARTED = 1, CANCELED = 2;
        private final CommandMessage<?> command;
        private final CompletableFuture<Object> result = new CompletableFuture<>();
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        /** The command's outcome inside the current batch (answered only after the commit). */
        private Object batchResult;

        Pending(CommandMessage<?> command) {
            this.command = command;
        }

        public CompletableFuture<Object> result() {
            return result;
        }

        /** The caller stopped waiting: not sent if it has not started (as {@code StartedWork}). */
        public void cancel() {
            if (state.compareAndSet(QUEUED, CANCELED)) {
                result.cancel(false);
            }
        }

        boolean start() {
            return state.get() == STARTED || state.compareAndSet(QUEUED, STARTED);
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty() || !carried.isEmpty()) {
            try {
                batch.clear();
                while (!carried.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(carried.poll());
                }
                if (batch.isEmpty()) {
                    Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                }
                queue.drainTo(batch, MAX_BATCH - batch.size());
                batch.removeIf(p -> !p.start());
                if (batch.size() == 1) {
                    commandsAlone++;
                    alone(batch.get(0));
                } else if (!batch.isEmpty()) {
                    largestBatch = Math.max(largestBatch, batch.size());
                    together(batch);
                }
                summarise(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                // never expected (every command's failure is caught below): fail what was taken, keep going
                log.error("group commit failed outside a command", e);
                batch.forEach(p -> p.result.completeExceptionally(e));
            }
        }
        summarise(true);
        // stopped: a command submitted while stopping is refused, never left unanswered
        Pending late;
        while ((late = queue.poll()) != null) {
            late.result.completeExceptionally(new IllegalStateException("the command dispatcher has stopped"));
        }
    }

    /** The plain path: the command's own unit of work and transaction, as without group commit. */
    private void alone(Pending p) {
        try {
            p.result.complete(gateway.sendAndWait(p.command));
        } catch (Throwable e) {
            p.result.completeExceptionally(e);
        }
    }

    private void together(List<Pending> batch) {
        UnitOfWork<?> root = DefaultUnitOfWork.startAndGet(new GenericMessage<>("group-commit"));
        // COMMIT handlers run in reverse order: registered before the transaction, this runs after its commit
        boolean[] committed = {false};
        root.onCommit(u -> committed[0] = true);
        int failed = -1;
        Throwable failure = null;
        try {
            root.attachTransaction(transactions);
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                try {
                    p.batchResult = gateway.sendAndWait(p.command);
                } catch (Throwable e) {
                    failed = i;
                    failure = e;
                    break;
                }
            }
        } catch (Throwable e) {
            failure = e; // starting the transaction failed
        }
        if (failure != null) {
            rollBack(root, failure);
            batchesRolledBack++;
            rolledBackBatches.incrementAndGet();
            if (failed < 0) {
                batch.forEach(this::alone);
                return;
            }
            log.debug("a command of a batch of {} failed ({}); it runs alone, the others in the next batch",
                    batch.size(), failure.toString());
            // the failed command's answer comes from a run of its own; the others go first into the next batch
            alone(batch.get(failed));
            for (int i = 0; i < batch.size(); i++) {
                if (i != failed) {
                    carried.add(batch.get(i));
                }
            }
            return;
        }
        try {
            root.commit();
        } catch (Throwable e) {
            if (!committed[0]) {
                // nothing is stored (Axon rolls the root back when its commit fails): each command runs alone
                batchesRolledBack++;
                rolledBackBatches.incrementAndGet();
                log.debug("the shared commit of {} commands failed ({}); each runs alone", batch.size(), e.toString());
                batch.forEach(this::alone);
                return;
            }
            log.warn("a batch of {} commands committed, then its commit phase failed", batch.size(), e);
        }
        commandsShared += batch.size();
        batchesShared++;
        if (sharedCommits.incrementAndGet() == 1) {
            log.info("group commit: the first shared commit, {} commands in one transaction", batch.size());
        }
        batch.forEach(p -> p.result.complete(p.batchResult));
    }

    /** At most once a minute (and when stopping), if anything was sent: how the commands were grouped. */
    private void summarise(boolean stopping) {
        long now = System.nanoTime();
        if (!stopping && now - lastSummary < TimeUnit.MINUTES.toNanos(1)) {
            return;
        }
        lastSummary = now;
        if (batchesShared + commandsAlone + batchesRolledBack > 0) {
            log.info("group commit since the last summary: {} commands in {} shared commits (mean {}, largest {}), {} alone, {} batches rolled back",
                    commandsShared, batchesShared, batchesShared == 0 ? 0 : String.format("%.1f", (double) commandsShared / batchesShared),
                    largestBatch, commandsAlone, batchesRolledBack);
        }
        commandsShared = commandsAlone = batchesShared = batchesRolledBack = largestBatch = 0;
    }

    private static void rollBack(UnitOfWork<?> root, Throwable cause) {
        // a nested unit of work still current would refuse the root's rollback (never expected)
        while (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() != root) {
            log.error("a nested unit of work was left open on the group commit thread");
            CurrentUnitOfWork.clear(CurrentUnitOfWork.get());
        }
        if (root.isActive() && root.phase().isBefore(UnitOfWork.Phase.ROLLBACK)) {
            root.rollback(cause);
        }
    }

    /** Commands already submitted are still sent (and answered) before the application context closes. */
    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        if (enabled) {
            thread.join(TimeUnit.SECONDS.toMillis(20));
        }
    }
}
