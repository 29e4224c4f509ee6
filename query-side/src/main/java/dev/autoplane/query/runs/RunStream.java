package dev.autoplane.query.runs;

import dev.autoplane.events.run.RunEvents.RunLeaseExtendedEvent;
import dev.autoplane.events.run.RunEvents.RunStreamEvent;
import dev.autoplane.events.run.RunFold;
import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.concurrent.BackgroundThread;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Live run changes for Server-Sent Events (docs/runs.md "Live run status"). ONE tailer thread per node
 * follows the shared event log from its head at start-up and publishes, for each run event, its position in
 * the log and the run as {@link RunFold} gives it at that event (folded from the run's own events, so exact
 * whatever the read model's lag) into a multicast sink. A subscriber costs no thread: it gets a bounded
 * queue of {@link #bufferSize} changes filled by the tailer; when a subscriber that stops reading lets it
 * overflow, it receives what fitted, then a {@link Reset}, and its stream ends. A subscriber resuming after a
 * position first replays the log from there (on {@code boundedElastic}), then continues with the live
 * changes of a higher position: it was registered for them before the replay began, so there is no gap, and
 * the position filter leaves no duplicate.
 */
@Component
public class RunStream implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunStream.class);

    /** One item of a subscriber's stream. */
    public sealed interface Item permits Change, Reset {
    }

    /** A run as it was right after the run event at {@code position} of the event log. */
    public record Change(long position, RunView run) implements Item {
    }

    /** The subscriber fell behind by more than its buffer: its stream ends after this. */
    public record Reset() implements Item {
    }

    private final EventStore eventStore;
    private final int bufferSize;
    private final Sinks.Many<Change> live = Sinks.many().multicast().directBestEffort();
    private final AtomicLong published = new AtomicLong(-1);
    private final BackgroundThread tailer = new BackgroundThread();

    public RunStream(EventStore eventStore, @Value("${autoplane.runs.stream.buffer:1024}") int bufferSize) {
        this.eventStore = eventStore;
        this.bufferSize = bufferSize;
    }

    /**
     * The changes that {@code wanted} accepts: after {@code afterPosition} (replayed from the log first), or
     * from now when it is {@code null}. {@code wanted} runs on the tailer thread for live changes: keep it cheap.
     */
    public Flux<Item> changes(Long afterPosition, Predicate<RunView> wanted) {
        return Flux.defer(() -> {
            Subscriber live = register(wanted);
            if (afterPosition == null) {
                return live.items();
            }
            AtomicLong last = new AtomicLong(afterPosition);
            Flux<Item> replayed = Flux.defer(() -> {
                        long from = Math.min(afterPosition, headPosition()); // an id beyond the log: from its end
                        last.set(from);
                        return Flux.fromIterable(replay(from, wanted));
                    })
                    .subscribeOn(Schedulers.boundedElastic())
                    .doOnNext(c -> last.set(c.position())).cast(Item.class);
            return replayed.concatWith(live.items().filter(i -> !(i instanceof Change c) || c.position() > last.get()))
                    .doFinally(s -> live.registration().dispose());
        });
    }

    /**
     * One run: its current state (folded from its events; position {@code -1}), then each change, until it
     * ends. Empty for a run the log does not hold.
     */
    public Flux<Item> follow(String runId) {
        return Flux.defer(() -> {
            Subscriber live = register(r -> r.id().equals(runId));
            return Mono.fromCallable(() -> java.util.Optional.ofNullable(current(runId)))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMapMany(now -> {
                        if (now.isEmpty()) {
                            return Flux.<Item>empty();
                        }
                        RunView first = now.get();
                        Flux<Item> later = first.ongoing() ? live.items()
                                .filter(i -> !(i instanceof Change c) || c.run().version() > first.version())
                                : Flux.empty();
                        return Flux.<Item>just(new Change(-1, first)).concatWith(later)
                                .takeUntil(i -> i instanceof Change c && !c.run().ongoing());
                    })
                    .doFinally(s -> live.registration().dispose());
        });
    }

    /** The run as its events give it now, or {@code null} when the log holds none of it. */
    public RunView current(String runId) {
        return fold(runId, Long.MAX_VALUE);
    }

    /** A live subscriber: registered with the tailer at once, its changes buffered until it reads them. */
    private record Subscriber(Flux<Item> items, Disposable registration) {
    }

    private Subscriber register(Predicate<RunView> wanted) {
        AtomicBoolean overflow = new AtomicBoolean();
        Sinks.Many<Change> mine = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<Change>(bufferSize));
        Disposable.Swap registration = reactor.core.Disposables.swap();
        registration.update(live.asFlux().filter(c -> wanted.test(c.run())).subscribe(c -> {
            if (mine.tryEmitNext(c).isFailure() && overflow.compareAndSet(false, true)) {
                mine.tryEmitComplete(); // the subscriber reads what fitted, then the reset
                registration.dispose();
            }
        }));
        Flux<Item> items = mine.asFlux().cast(Item.class)
                .concatWith(Mono.fromSupplier(() -> overflow.get() ? new Reset() : null))
                .doFinally(s -> registration.dispose());
        return new Subscriber(items, registration);
    }

    /** The highest position the tailer has published ({@code -1}: none yet). */
    public long published() {
        return published.get();
    }

    /** The accepted run changes of the log after {@code position}, up to its current end. */
    List<Change> replay(long position, Predicate<RunView> wanted) {
        List<Change> out = new java.util.ArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(tokenAt(position))) {
            while (stream.hasNextAvailable(50, TimeUnit.MILLISECONDS)) {
                Change c = change(stream.nextAvailable());
                if (c != null && wanted.test(c.run())) {
                    out.add(c);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** The position of the log's last event ({@code -1}: none). */
    private long headPosition() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    /** A token just after {@code position}, of the kind the event store's engine uses. */
    private TrackingToken tokenAt(long position) {
        TrackingToken head = eventStore.createHeadToken();
        return head instanceof GlobalSequenceTrackingToken ? new GlobalSequenceTrackingToken(position)
                : GapAwareTrackingToken.newInstance(position, List.of());
    }

    /** The run change a log entry is, or {@code null} when it is not a run event. */
    private Change change(TrackedEventMessage<?> message) {
        if (!(message.getPayload() instanceof RunStreamEvent event) || !(message instanceof DomainEventMessage<?> m)
                || event instanceof RunLeaseExtendedEvent) {
            return null; // not a run's, or a heartbeat of its executor (no status change)
        }
        long position = message.trackingToken().position().orElse(-1);
        RunView view = fold(event.runId(), m.getSequenceNumber());
        return view == null ? null : new Change(position, view);
    }

    /** The run after its event {@code sequence} (from its first event: a run has few). */
    private RunView fold(String runId, long sequence) {
        RunView view = null;
        DomainEventStream events = eventStore.readEvents(runId, 0L);
        while (events.hasNext()) {
            DomainEventMessage<?> e = events.next();
            if (e.getSequenceNumber() > sequence) {
                break;
            }
            if (e.getPayload() instanceof RunStreamEvent r) {
                view = RunFold.apply(view, r);
            }
        }
        return view;
    }

    /** Publishes to the live subscribers (the tailer's thread; tests may call it). */
    void publish(Change change) {
        published.set(change.position());
        live.tryEmitNext(change);
    }

    /** Follows the log from its head; after an error of the store, opens it again where it stopped. */
    private void tail() {
        TrackingToken last = eventStore.createHeadToken();
        while (tailer.running()) {
            try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(last)) {
                while (tailer.running()) {
                    if (stream.hasNextAvailable(500, TimeUnit.MILLISECONDS)) {
                        TrackedEventMessage<?> message = stream.nextAvailable();
                        Change c = change(message);
                        if (c != null) {
                            publish(c);
                        }
                        last = message.trackingToken();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (tailer.running()) {
                    log.warn("The run stream's tailer lost the event store; opening it again in 1 s", e);
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
                }
            }
        }
    }

    @Override
    public void start() {
        tailer.start("run-stream-tailer", this::tail);
    }

    /** Asks the tailer to stop and waits; never interrupts it (it may be doing JDBC I/O on H2). */
    @Override
    public void stop() {
        tailer.stop(() -> { });
        live.tryEmitComplete();
    }

    @Override
    public boolean isRunning() {
        return tailer.running();
    }

    /** Start after Axon's components, stop before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
