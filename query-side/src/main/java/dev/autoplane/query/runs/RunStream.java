package dev.autoplane.query.runs;

import dev.autoplane.events.run.RunEvents.RunLeaseExtendedEvent;
import dev.autoplane.events.run.RunEvents.RunStreamEvent;
import dev.autoplane.events.run.RunFold;
import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.axon.LogHead;
import dev.autoplane.platform.concurrent.BackgroundThread;
import dev.autoplane.query.stream.LiveFeed;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Live run changes for Server-Sent Events (docs/runs.md "Live run status"), on the {@link LiveFeed} machinery
 * (shared with the audit tail). ONE tailer thread per node
 * follows the shared event log from its head at start-up and publishes, for each run event, its position in
 * the log and the run as {@link RunFold} gives it at that event (folded from the run's own events, so exact
 * whatever the read model's lag) into a multicast sink. A subscriber costs no thread: it gets a bounded
 * queue of {@link #bufferSize} changes filled by the tailer; when a subscriber that stops reading lets it
 * overflow, it receives what fitted, then a {@link Reset}, and its stream ends. A subscriber resuming after a
 * position first replays the log from there (on {@code boundedElastic}), then continues with the live
 * changes of a higher position: it was registered for them before the replay began, so there is no gap, and
 * the position filter leaves no duplicate. While no one subscribes, the tailer only follows the log: it folds
 * no run.
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
    private final LiveFeed<RunView> feed;
    private final BackgroundThread tailer = new BackgroundThread();

    public RunStream(EventStore eventStore, @Value("${autoplane.runs.stream.buffer:1024}") int bufferSize) {
        this.eventStore = eventStore;
        this.feed = new LiveFeed<>(bufferSize);
    }

    /**
     * The changes that {@code wanted} accepts: after {@code afterPosition} (replayed from the log first), or
     * from now when it is {@code null}. {@code wanted} runs on the tailer thread for live changes: keep it cheap.
     */
    public Flux<Item> changes(Long afterPosition, Predicate<RunView> wanted) {
        return feed.changes(afterPosition, wanted, (after, startsAfter) -> Flux.defer(() -> {
                    long from = Math.min(after, LogHead.position(eventStore)); // an id beyond the log: from its end
                    startsAfter.accept(from);
                    return Flux.fromIterable(replay(from, wanted));
                })
                .subscribeOn(Schedulers.boundedElastic())
                .map(c -> new LiveFeed.Change<>(c.position(), c.run())))
                .map(RunStream::item);
    }

    /**
     * One run: its current state (folded from its events; position {@code -1}), then each change, until it
     * ends. Empty for a run the log does not hold.
     */
    public Flux<Item> follow(String runId) {
        return Flux.defer(() -> {
            LiveFeed.Live<RunView> live = feed.register(r -> r.id().equals(runId));
            return Mono.fromCallable(() -> java.util.Optional.ofNullable(current(runId)))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMapMany(now -> {
                        if (now.isEmpty()) {
                            return Flux.<Item>empty();
                        }
                        RunView first = now.get();
                        Flux<Item> later = first.ongoing() ? live.items().map(RunStream::item)
                                .filter(i -> !(i instanceof Change c) || c.run().version() > first.version())
                                : Flux.empty();
                        return Flux.<Item>just(new Change(-1, first)).concatWith(later)
                                .takeUntil(i -> i instanceof Change c && !c.run().ongoing());
                    })
                    .doFinally(s -> live.registration().dispose());
        });
    }

    private static Item item(LiveFeed.Item<RunView> item) {
        return item instanceof LiveFeed.Change<RunView> c ? new Change(c.position(), c.value()) : new Reset();
    }

    /** The run as its events give it now, or {@code null} when the log holds none of it. */
    public RunView current(String runId) {
        return fold(runId, Long.MAX_VALUE);
    }

    /** The highest position the tailer has published ({@code -1}: none yet). */
    public long published() {
        return feed.published();
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
        feed.publish(change.position(), change.run());
    }

    /** Follows the log from its head; after an error of the store, opens it again where it stopped. */
    private void tail() {
        TrackingToken last = eventStore.createHeadToken();
        while (tailer.running()) {
            try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(last)) {
                while (tailer.running()) {
                    if (stream.hasNextAvailable(500, TimeUnit.MILLISECONDS)) {
                        TrackedEventMessage<?> message = stream.nextAvailable();
                        // nobody listens: fold nothing (a fold reads the run's events). One who subscribes now
                        // asks either from now on, or after a position, which it replays from the log itself
                        Change c = feed.hasSubscribers() ? change(message) : null;
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
        feed.complete();
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
