package dev.autoplane.query.rebuild;

import dev.autoplane.platform.axon.LogHead;
import dev.autoplane.query.config.QuerySideConfiguration;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds the read models of the shared stream ({@link QuerySideConfiguration#READ_MODELS}) without a moment in
 * which the API answers from an empty or half-filled one (issue 14, "rebuild at scale"). The live projections
 * go on serving and updating the live read model meanwhile; the rebuild:
 * <ol>
 * <li>makes empty shadows ({@link ShadowReadModels#prepare}) and reads the event log from its first event on
 *     ({@link EventStore#openStream}), handing each event to the read models' own projection classes over the
 *     shadow stores, {@value #BATCH} events per unit of work and transaction (the projections' per-batch
 *     buffers make one write per document per batch);</li>
 * <li>once it is within a batch of the log's head, stops the live processor (its segments released, its
 *     batch committed), reads the tokens it stopped at, and reads on until its own position covers them;</li>
 * <li>promotes the shadows ({@link ShadowReadModels#promote}; visualizations come back PENDING and are drawn at their
 *     next read), has the live automation projection forget what it kept ({@code swapped}), and starts the live
 *     processor again, from its own tokens (unchanged): events after them that the rebuild already
 *     applied are applied again, which changes nothing (the projections are idempotent); the audit log, which
 *     rides on the same processor and is never rebuilt, misses none.</li>
 * </ol>
 * The live processor is started again whatever fails; a failed rebuild drops its shadows and leaves the live
 * read model as it was. One rebuild at a time; its progress ({@link #progress}) is what
 * {@code GET /api/v1/admin/projections} shows.
 */
public class ReadModelRebuild {

    /** Events per unit of work: one transaction, and one write per document touched, per batch. */
    static final int BATCH = 2_000;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** How long the catch-up may wait for the events the paused live processor has seen. */
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(ReadModelRebuild.class);

    public enum State { BUILDING, CATCHING_UP, SWAPPING, COMPLETED, FAILED;

        public boolean running() {
            return this != COMPLETED && this != FAILED;
        }
    }

    /** What a rebuild has done so far. {@code position}: the last event applied to the shadows (-1: none). */
    public record Progress(State state, Instant startedAt, Instant finishedAt, long startHead, long position, long head,
                           long events, double eventsPerSecond, Instant eta, String error) {

        Progress finished(Instant at) {
            return new Progress(state, startedAt, at, startHead, position, head, events, eventsPerSecond, eta, error);
        }
    }

    private final EventStore eventStore;
    private final TokenStore tokenStore;
    private final TransactionManager transactions;
    private final EventProcessingConfiguration processing;
    private final ShadowReadModels shadows;
    private final Clock clock;
    private final Runnable swapped;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "read-model-rebuild");
        t.setDaemon(true);
        return t;
    });
    private volatile Progress last;

    /** {@code swapped} runs right after the shadows replaced the live read models (a live projection forgets what it kept). */
    public ReadModelRebuild(EventStore eventStore, TokenStore tokenStore, TransactionManager transactions,
                            EventProcessingConfiguration processing, ShadowReadModels shadows, Clock clock, Runnable swapped) {
        this.swapped = swapped;
        this.eventStore = eventStore;
        this.tokenStore = tokenStore;
        this.transactions = transactions;
        this.processing = processing;
        this.shadows = shadows;
        this.clock = clock;
    }

    /** The current or last rebuild of this process, if any. */
    public Optional<Progress> progress() {
        return Optional.ofNullable(last);
    }

    /** Starts a rebuild; empty when one is running already (its progress is {@link #progress}). */
    public synchronized Optional<Progress> start() {
        if (last != null && last.state().running()) {
            return Optional.empty();
        }
        long head = LogHead.position(eventStore);
        Progress started = new Progress(State.BUILDING, clock.instant(), null, head, -1, head, 0, 0, null, null);
        last = started;
        thread.execute(() -> run(started));
        return Optional.of(started);
    }

    public void stop() {
        thread.shutdownNow();
    }

    private void run(Progress started) {
        long t0 = System.nanoTime();
        Counter counter = new Counter(started, t0);
        try {
            build(shadows.prepare(clock), counter);
            last = counter.progress(State.COMPLETED, counter.position, null).finished(clock.instant());
            log.info("read models rebuilt: {} events in {} s", counter.events, (System.nanoTime() - t0) / 1_000_000_000);
        } catch (Exception | Error e) {
            log.error("read-model rebuild failed; the live read models are as they were", e);
            last = counter.progress(State.FAILED, counter.position, String.valueOf(e.getMessage())).finished(clock.instant());
            try {
                shadows.discard();
            } catch (RuntimeException cleanup) {
                log.warn("could not drop the rebuild's shadows: {}", cleanup.toString());
            }
        }
    }

    private void build(List<Object> projections, Counter counter) throws Exception {
        List<AnnotationEventHandlerAdapter> handlers = projections.stream().map(AnnotationEventHandlerAdapter::new).toList();
        StreamingEventProcessor live = processing.eventProcessor(QuerySideConfiguration.READ_MODELS, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no processor " + QuerySideConfiguration.READ_MODELS + " in this process"));
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(null)) {
            // 1. the bulk of the log, the live read models serving meanwhile
            while (true) {
                List<TrackedEventMessage<?>> batch = take(stream, Duration.ofMillis(200));
                apply(batch, handlers, counter);
                long head = LogHead.position(eventStore);
                counter.head = head;
                last = counter.progress(State.BUILDING, counter.position, null);
                if (batch.isEmpty() || head - counter.position <= BATCH) {
                    break; // at (or within a batch of) the head
                }
            }
            long bulk = System.nanoTime();
            // 2. the live processor paused: read on until the rebuild has seen all it has
            last = counter.progress(State.CATCHING_UP, counter.position, null);
            live.shutdownAsync().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long paused = System.nanoTime();
            try {
                List<TrackingToken> liveTokens = liveTokens();
                long deadline = System.nanoTime() + CATCH_UP.toNanos();
                while (!covers(counter.token, liveTokens)) {
                    if (System.nanoTime() > deadline) {
                        if (reachesAll(counter.token, liveTokens)) {
                            break; // past every live token's index; what differs are gaps the log never filled
                        }
                        throw new IllegalStateException("the rebuild did not reach the live projections' position in " + CATCH_UP);
                    }
                    apply(take(stream, Duration.ofMillis(100)), handlers, counter);
                }
                long caughtUp = System.nanoTime();
                // 3. the swap
                last = counter.progress(State.SWAPPING, counter.position, null);
                shadows.promote();
                swapped.run();
                log.info("read-model rebuild: {} events read and applied in {} ms, live projections stopped in {} ms, caught up with them in {} ms, swapped in {} ms", counter.events,
                        (bulk - counter.t0) / 1_000_000, (paused - bulk) / 1_000_000,
                        (caughtUp - paused) / 1_000_000, (System.nanoTime() - caughtUp) / 1_000_000);
            } finally {
                live.start();
            }
        }
    }

    /** Up to a batch of events: as many as the stream has ready, waiting up to {@code wait} for the first. */
    private static List<TrackedEventMessage<?>> take(BlockingStream<TrackedEventMessage<?>> stream, Duration wait)
            throws InterruptedException {
        List<TrackedEventMessage<?>> batch = new ArrayList<>(BATCH);
        if (!stream.hasNextAvailable((int) wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return batch;
        }
        while (batch.size() < BATCH && stream.hasNextAvailable()) {
            batch.add(stream.nextAvailable());
        }
        if (batch.size() < BATCH && stream.hasNextAvailable(50, TimeUnit.MILLISECONDS)) {
            while (batch.size() < BATCH && stream.hasNextAvailable()) {
                batch.add(stream.nextAvailable());
            }
        }
        return batch;
    }

    /** One unit of work, one transaction: every event to every shadow projection that handles it. */
    private void apply(List<TrackedEventMessage<?>> batch, List<AnnotationEventHandlerAdapter> handlers, Counter counter)
            throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(new ArrayList<>(batch));
        unitOfWork.attachTransaction(transactions);
        ResultMessage<Object> result = unitOfWork.executeWithResult(() -> {
            EventMessage<?> event = unitOfWork.getMessage();
            for (AnnotationEventHandlerAdapter handler : handlers) {
                if (handler.canHandle(event)) {
                    handler.handle(event);
                }
            }
            return null;
        });
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            throw failure instanceof Exception e ? e : new IllegalStateException(failure);
        }
        TrackedEventMessage<?> lastEvent = batch.get(batch.size() - 1);
        counter.token = lastEvent.trackingToken();
        counter.position = counter.token.position().orElse(counter.position);
        counter.events += batch.size();
        counter.head = Math.max(counter.head, counter.position);
        last = counter.progress(last.state(), counter.position, null);
    }

    /**
     * The live processor's tokens, one per segment, as it stopped. Reading a token claims it for this node, and the
     * claim is kept: no other process takes the segments over while the rebuild finishes (this process's processor,
     * same node, takes them back when it starts again).
     */
    private List<TrackingToken> liveTokens() {
        return transactions.fetchInTransaction(() -> {
            List<TrackingToken> tokens = new ArrayList<>();
            for (int segment : tokenStore.fetchSegments(QuerySideConfiguration.READ_MODELS)) {
                tokens.add(tokenStore.fetchToken(QuerySideConfiguration.READ_MODELS, segment));
            }
            return tokens;
        });
    }

    private static boolean covers(TrackingToken rebuilt, List<TrackingToken> live) {
        for (TrackingToken token : live) {
            TrackingToken lower = token == null ? null : WrappedToken.unwrapLowerBound(token);
            if (lower != null && (rebuilt == null || !rebuilt.covers(lower))) {
                return false;
            }
        }
        return true;
    }

    private static boolean reachesAll(TrackingToken rebuilt, List<TrackingToken> live) {
        long position = rebuilt == null ? -1 : rebuilt.position().orElse(-1);
        return live.stream().allMatch(t -> t == null || WrappedToken.unwrapUpperBound(t).position().orElse(-1) <= position);
    }

    /** The running figures of one rebuild. */
    private final class Counter {
        final Progress started;
        final long t0;
        TrackingToken token;
        long position = -1;
        long head;
        long events;

        Counter(Progress started, long t0) {
            this.started = started;
            this.t0 = t0;
            this.head = started.head();
        }

        Progress progress(State state, long at, String error) {
            double seconds = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
            double eps = events / seconds;
            long remaining = Math.max(0, head - at);
            Instant eta = state.running() && eps > 0 ? clock.instant().plusMillis((long) (remaining / eps * 1000)) : null;
            return new Progress(state, started.startedAt(), null, started.startHead(), at, Math.max(head, at), events,
                    Math.round(eps * 10) / 10.0, eta, error);
        }
    }
}
