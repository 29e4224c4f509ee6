package dev.autoplane.platform.axon;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Read-your-writes for a caller on this node: after a command, wait (briefly, bounded) until every
 * streaming processor running in this process has handled the event store's head as it was when
 * the command returned. A client that creates and then lists sees its own change. Where the
 * projections run in another process nothing is local to wait for; the client then sees the change
 * as soon as that process has projected it (eventual consistency, documented in the README).
 */
@Component
public class ReadYourWrites {

    private final EventStore eventStore;
    private final EventProcessingConfiguration processing;
    private final Duration timeout;

    public ReadYourWrites(EventStore eventStore, EventProcessingConfiguration processing,
                          @Value("${autoplane.read-your-writes.timeout:PT3S}") Duration timeout) {
        this.eventStore = eventStore;
        this.processing = processing;
        this.timeout = timeout;
    }

    /** Completes when local projections have caught up with the current head, or after the timeout. */
    public Mono<Void> await() {
        return Mono.fromCallable(this::headPosition)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(head -> head < 0 ? Mono.empty() : waitFor(head))
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    private Mono<Void> waitFor(long head) {
        return Mono.defer(() -> caughtUp(head) ? Mono.just(true) : Mono.<Boolean>empty())
                .repeatWhenEmpty(Integer.MAX_VALUE, attempts -> attempts.concatMap(i -> Mono.delay(Duration.ofMillis(Math.min(1 + i, 10)))))
                .timeout(timeout, Mono.just(false))
                .then();
    }

    private long headPosition() {
        TrackingToken head = eventStore.createHeadToken();
        if (head == null) {
            return -1;
        }
        OptionalLong position = head.position();
        return position.orElse(-1);
    }

    boolean caughtUp(long head) {
        List<StreamingEventProcessor> processors = processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance).map(StreamingEventProcessor.class::cast)
                .filter(StreamingEventProcessor::isRunning)
                .toList();
        for (StreamingEventProcessor processor : processors) {
            if (processor.processingStatus().isEmpty()) {
                continue; // no segment claimed here: another node projects (its progress is not ours to wait for)
            }
            for (EventTrackerStatus status : processor.processingStatus().values()) {
                if (status.isErrorState()) {
                    continue;
                }
                OptionalLong position = status.getCurrentPosition();
                if (position.isEmpty() || position.getAsLong() < head) {
                    return false;
                }
            }
        }
        return true;
    }
}
