package dev.autoplane.query.stream;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The machinery of a live Server-Sent Events feed with {@code Last-Event-ID} resume, as the run stream has it
 * (docs/runs.md "Live run status"): one publisher thread hands each change, with its position, to a multicast
 * sink; a subscriber costs no thread but a bounded queue of {@code bufferSize} changes; one that lets it
 * overflow receives what fitted, then a {@link Reset}, and its stream ends. A subscriber resuming after a
 * position is registered for the live changes first, then replays what it missed (from the store, on the
 * caller's scheduler), then continues with the live changes of a higher position: no gap, no duplicate.
 */
public final class LiveFeed<T> {

    /** One item of a subscriber's stream. */
    public sealed interface Item<T> permits Change, Reset {
    }

    /** A value as it was at {@code position}. */
    public record Change<T>(long position, T value) implements Item<T> {
    }

    /** The subscriber fell behind by more than its buffer: its stream ends after this. */
    public record Reset<T>() implements Item<T> {
    }

    private final int bufferSize;
    private final Sinks.Many<Change<T>> live = Sinks.many().multicast().directBestEffort();
    private final AtomicLong published = new AtomicLong(-1);

    public LiveFeed(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    /** Publishes to the live subscribers (one publishing thread at a time). */
    public void publish(long position, T value) {
        published.set(position);
        live.tryEmitNext(new Change<>(position, value));
    }

    /** Whether anyone listens (a publisher may skip preparing values nobody reads). */
    public boolean hasSubscribers() {
        return live.currentSubscriberCount() > 0;
    }

    /** The highest position published ({@code -1}: none yet). */
    public long published() {
        return published.get();
    }

    /** Ends every subscriber's stream. */
    public void complete() {
        live.tryEmitComplete();
    }

    /**
     * What a resuming subscriber missed: the accepted changes after a position, up to the store's end. A replay
     * that starts elsewhere (an id beyond the store's end: from its end) tells {@code startsAfter} first.
     */
    @FunctionalInterface
    public interface Replay<T> {
        Flux<Change<T>> after(long position, java.util.function.LongConsumer startsAfter);
    }

    /**
     * The changes {@code wanted} accepts: after {@code afterPosition} ({@code replay} first), or from now when
     * it is {@code null}. {@code wanted} runs on the publishing thread for live changes: keep it cheap.
     */
    public Flux<Item<T>> changes(Long afterPosition, Predicate<T> wanted, Replay<T> replay) {
        return Flux.defer(() -> {
            Live<T> mine = register(wanted);
            if (afterPosition == null) {
                return mine.items();
            }
            AtomicLong last = new AtomicLong(afterPosition);
            Flux<Item<T>> replayed = replay.after(afterPosition, last::set).doOnNext(c -> last.set(c.position()))
                    .map(c -> (Item<T>) c);
            return replayed.concatWith(mine.items().filter(i -> !(i instanceof Change<T> c) || c.position() > last.get()))
                    .doFinally(s -> mine.registration().dispose());
        });
    }

    /** A live subscriber: registered at once, its changes buffered until it reads {@code items}; dispose the registration if it never does. */
    public record Live<T>(Flux<Item<T>> items, Disposable registration) {
    }

    /** Registers a live subscriber for the changes {@code wanted} accepts (runs on the publishing thread: keep it cheap). */
    public Live<T> register(Predicate<T> wanted) {
        AtomicBoolean overflow = new AtomicBoolean();
        Sinks.Many<Change<T>> mine = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(bufferSize));
        Disposable.Swap registration = Disposables.swap();
        registration.update(live.asFlux().filter(c -> wanted.test(c.value())).subscribe(c -> {
            if (mine.tryEmitNext(c).isFailure() && overflow.compareAndSet(false, true)) {
                mine.tryEmitComplete(); // the subscriber reads what fitted, then the reset
                registration.dispose();
            }
        }));
        Flux<Item<T>> items = mine.asFlux().map(c -> (Item<T>) c)
                .concatWith(Mono.fromSupplier(() -> overflow.get() ? new Reset<T>() : null))
                .doFinally(s -> registration.dispose());
        return new Live<>(items, registration);
    }
}
