package dev.autoplane.platform.axon;

import jakarta.annotation.PreDestroy;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Read-your-writes for a caller on this node: after a command, wait (briefly, bounded) until every
 * streaming processor running in this process has handled the event store's head as it was when
 * the command returned. A client that creates and then lists sees its own change. Processors whose
 * segments another node has claimed are not waited for (their progress is that node's); where no
 * projection runs in this process, nothing is waited for (eventual consistency, see the README).
 * <p>
 * One watcher thread looks at the processors' progress whenever a projection batch commits (see
 * {@link AxonStorageConfiguration}) and releases every waiter whose head has been reached, so many
 * concurrent requests cost one look per batch, not one poll each.
 */
@Component
public class ReadYourWrites {

    private record Waiter(long head, MonoSink<Void> sink) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter o) {
            return Long.compare(head, o.head);
        }
    }

    private final EventStore eventStore;
    private final EventProcessingConfiguration processing;
    private final Duration timeout;
    private final PriorityBlockingQueue<Waiter> waiters = new PriorityBlockingQueue<>();
    private final AtomicLong projected = new AtomicLong(-1);
    private final Thread watcher;
    private volatile boolean running = true;

    public ReadYourWrites(EventStore eventStore, EventProcessingConfiguration processing,
                          @Value("${autoplane.read-your-writes.timeout:PT3S}") Duration timeout) {
        this.eventStore = eventStore;
        this.processing = processing;
        this.timeout = timeout;
        this.watcher = new Thread(this::watch, "read-your-writes");
        this.watcher.setDaemon(true);
        this.watcher.start();
    }

    /** Completes when local projections have caught up with the current head, or after the timeout. */
    public Mono<Void> await() {
        return Mono.fromCallable(() -> LogHead.position(eventStore))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(head -> head < 0 || projected.get() >= head ? Mono.<Void>empty()
                        : Mono.<Void>create(sink -> {
                            Waiter waiter = new Waiter(head, sink);
                            sink.onCancel(() -> waiters.remove(waiter));   // timed out: do not keep it
                            waiters.add(waiter);
                            LockSupport.unpark(watcher);
                        }).publishOn(Schedulers.boundedElastic()))   // the rest of the request must not run on the watcher
                .timeout(timeout, Mono.empty())
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    /** A projection committed a batch: the watcher looks again. Called from the processors' threads. */
    public void progressed() {
        if (!waiters.isEmpty()) {
            LockSupport.unpark(watcher);
        }
    }

    private void watch() {
        while (running) {
            if (!waiters.isEmpty()) {
                long position = localPosition();
                projected.set(position);
                Waiter next;
                while ((next = waiters.peek()) != null && (next.head() <= position || position == Long.MAX_VALUE)) {
                    waiters.poll().sink().success();
                }
            }
            // woken by progressed() after every projection batch and by new waiters; the timeout is a safety net
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(waiters.isEmpty() ? 100 : 5));
        }
    }

    /** The lowest position any local, claimed segment has reached; {@code MAX_VALUE} when none runs here. */
    long localPosition() {
        long min = Long.MAX_VALUE;
        List<StreamingEventProcessor> processors = processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance).map(StreamingEventProcessor.class::cast)
                .filter(StreamingEventProcessor::isRunning)
                .toList();
        for (StreamingEventProcessor processor : processors) {
            for (EventTrackerStatus status : processor.processingStatus().values()) {
                if (status.isErrorState()) {
                    continue;
                }
                OptionalLong position = status.getCurrentPosition();
                min = Math.min(min, position.orElse(-1));
            }
        }
        return min;
    }

    @PreDestroy
    void stop() {
        running = false;
        LockSupport.unpark(watcher);
    }
}
