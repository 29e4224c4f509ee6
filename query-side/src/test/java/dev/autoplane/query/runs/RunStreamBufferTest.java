package dev.autoplane.query.runs;

import dev.autoplane.events.run.RunEvents.RunScheduledEvent;
import dev.autoplane.events.run.RunFold;
import dev.autoplane.events.run.RunView;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** The fan-out of {@link RunStream}: live changes in order, and a subscriber that stops reading is reset. */
class RunStreamBufferTest {

    private final RunStream stream = new RunStream(mock(EventStore.class), 2);

    static RunView run(String id) {
        return RunFold.apply(null, new RunScheduledEvent(id, "a", "ws", null, "f", null, "api", "manual",
                Instant.EPOCH, Instant.EPOCH, "1.0", "PUBLISHED", Map.of(), null, 1, null, null, null));
    }

    @Test
    void aReadingSubscriberGetsTheChangesItWantsInOrder() {
        StepVerifier.create(stream.changes(null, r -> !r.id().equals("skip")))
                .then(() -> {
                    stream.publish(new RunStream.Change(1, run("r1")));
                    stream.publish(new RunStream.Change(2, run("skip")));
                    stream.publish(new RunStream.Change(3, run("r3")));
                })
                .assertNext(i -> assertThat(((RunStream.Change) i).position()).isEqualTo(1))
                .assertNext(i -> assertThat(((RunStream.Change) i).position()).isEqualTo(3))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(stream.published()).isEqualTo(3);
    }

    @Test
    void aSubscriberThatStopsReadingGetsWhatFittedThenAResetAndItsStreamEnds() {
        StepVerifier.create(stream.changes(null, r -> true), 0)
                .then(() -> {
                    for (long i = 1; i <= 5; i++) {
                        stream.publish(new RunStream.Change(i, run("r" + i)));
                    }
                })
                .thenRequest(10)
                .assertNext(i -> assertThat(((RunStream.Change) i).position()).isEqualTo(1))
                .assertNext(i -> assertThat(((RunStream.Change) i).position()).isEqualTo(2))
                .assertNext(i -> assertThat(i).isInstanceOf(RunStream.Reset.class))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        // the others still get what they read
        StepVerifier.create(stream.changes(null, r -> true))
                .then(() -> stream.publish(new RunStream.Change(6, run("r6"))))
                .assertNext(i -> assertThat(((RunStream.Change) i).position()).isEqualTo(6))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }
}
