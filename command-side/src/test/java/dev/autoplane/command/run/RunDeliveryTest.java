package dev.autoplane.command.run;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.RunCommands.CompleteRunCommand;
import dev.autoplane.events.run.RunCommands.DelegateRunCommand;
import dev.autoplane.events.run.RunCommands.ExpireRunLeaseCommand;
import dev.autoplane.events.run.RunCommands.FailRunCommand;
import dev.autoplane.events.run.RunCommands.LeaseRunCommand;
import dev.autoplane.events.run.RunCommands.RecordDeliveryFailureCommand;
import dev.autoplane.events.run.RunEvents.RunAttemptFailedEvent;
import dev.autoplane.events.run.RunEvents.RunCancelRecordedEvent;
import dev.autoplane.events.run.RunEvents.RunCompletedEvent;
import dev.autoplane.events.run.RunEvents.RunDelegatedEvent;
import dev.autoplane.events.run.RunEvents.RunDeliveryFailedEvent;
import dev.autoplane.events.run.RunEvents.RunFailedEvent;
import dev.autoplane.events.run.RunEvents.RunLeasedEvent;
import dev.autoplane.events.run.RunFold;
import dev.autoplane.events.run.RunView;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.autoplane.command.run.RunTest.AUTOMATION;
import static dev.autoplane.command.run.RunTest.LEASE;
import static dev.autoplane.command.run.RunTest.RUN;
import static dev.autoplane.command.run.RunTest.WS;
import static dev.autoplane.command.run.RunTest.once;
import static dev.autoplane.command.run.RunTest.retries;
import static dev.autoplane.command.run.RunTest.sec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Push delivery's transitions of a run (docs/runs.md "Push delivery"): the delivery leases as the automation's own
 * credential with a {@code delivery:} lease; a 2xx delegates (the automation's credential then reports without a
 * lease id); a transient failure records {@code delivery_error} and holds the lease until the backoff's next try,
 * within the same attempt; after 24 hours the run fails with {@code delivery_failed}; a rejection (4xx) fails the
 * attempt through the retry policy. Time is the commands' {@code at}.
 */
class RunDeliveryTest {

    static final String DL = RunLeases.DELIVERY_LEASE_PREFIX + "L1";
    static final Actor OWN = Actor.serviceAccount(AUTOMATION);

    private FixtureConfiguration<Run> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Run.class);
    }

    static RunLeasedEvent leasedByDelivery(long at) {
        return new RunLeasedEvent(RUN, AUTOMATION, WS, DL, OWN, 1, sec(at), sec(at).plus(LEASE));
    }

    static RecordDeliveryFailureCommand failure(String error, Duration retryAfter, long at) {
        return new RecordDeliveryFailureCommand(RUN, DL, error, retryAfter, LEASE, sec(at));
    }

    static RunDeliveryFailedEvent failed(String error, long at, long retryAt) {
        return new RunDeliveryFailedEvent(RUN, AUTOMATION, WS, DL, error, sec(at), sec(retryAt), sec(retryAt).plus(LEASE));
    }

    @Test
    void theDeliveryLeasesAsTheAutomationsOwnCredential() {
        fixture.given(once()).when(new LeaseRunCommand(RUN, WS, DL, OWN, null, LEASE, sec(0)))
                .expectEvents(leasedByDelivery(0));
        assertThat(RunLeases.isDeliveryLease(DL)).isTrue();
        assertThat(RunLeases.isDeliveryLease("L1")).isFalse();
    }

    @Test
    void askingForTheSameDeliveryLeaseAgainRecordsNothing() {
        fixture.given(once(), leasedByDelivery(0)).when(new LeaseRunCommand(RUN, WS, DL, OWN, null, LEASE, sec(3)))
                .expectNoEvents();
    }

    @Test
    void aDeliveredRunIsDelegatedAndTheAutomationsCredentialReportsWithoutALeaseId() {
        RunDelegatedEvent delegated = new RunDelegatedEvent(RUN, AUTOMATION, WS, DL, "webhook " + RUN + "_1", sec(1));
        fixture.given(once(), leasedByDelivery(0))
                .when(new DelegateRunCommand(RUN, WS, DL, OWN, null, "webhook " + RUN + "_1", sec(1)))
                .expectEvents(delegated);
        fixture.given(once(), leasedByDelivery(0), delegated)
                .when(new CompleteRunCommand(RUN, WS, null, OWN, null, Map.of("rows", 3), sec(90)))
                .expectEvents(new RunCompletedEvent(RUN, AUTOMATION, WS, DL, Map.of("rows", 3), sec(90)));
    }

    @Test
    void transientFailuresBackOffWithinTheAttemptHoldingTheLease() {
        fixture.given(once(), leasedByDelivery(0)).when(failure("HTTP 500", null, 1))
                .expectEvents(failed("HTTP 500", 1, 6));
        fixture.given(once(), leasedByDelivery(0), failed("HTTP 500", 1, 6)).when(failure("HTTP 503", null, 6))
                .expectEvents(failed("HTTP 503", 6, 36));
        fixture.given(once(), leasedByDelivery(0), failed("a", 1, 6), failed("b", 6, 36))
                .when(failure("timeout", null, 36)).expectEvents(failed("timeout", 36, 156));
        // the held lease does not expire before the next try
        fixture.given(once(), leasedByDelivery(0), failed("HTTP 500", 1, 6))
                .when(new ExpireRunLeaseCommand(RUN, DL, sec(61))).expectNoEvents();
    }

    @Test
    void retryAfterIsHonouredUpToAnHour() {
        fixture.given(once(), leasedByDelivery(0)).when(failure("HTTP 429", Duration.ofSeconds(120), 1))
                .expectEvents(failed("HTTP 429", 1, 121));
        fixture.given(once(), leasedByDelivery(0)).when(failure("HTTP 429", Duration.ofDays(2), 1))
                .expectEvents(failed("HTTP 429", 1, 3601));
    }

    @Test
    void theBackoffTable() {
        List<Duration> delays = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            delays.add(DeliveryBackoff.delay(i, null));
        }
        assertThat(delays).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
                Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));
    }

    @Test
    void after24HoursTheRunFailsWithDeliveryFailed() {
        long hours23 = 23 * 3600 + 1800;
        fixture.given(once(), leasedByDelivery(0), failed("a", 1, 6), failed("b", 6, 36), failed("c", 36, 156),
                        failed("d", 156, 756), failed("e", 756, 4356))
                .when(failure("HTTP 502", null, hours23))
                .expectEvents(failed("HTTP 502", hours23, hours23),
                        new RunFailedEvent(RUN, AUTOMATION, WS, DL, Run.DELIVERY_FAILED, false, sec(hours23)));
    }

    @Test
    void aRejectionFailsTheAttemptThroughTheRetryPolicy() {
        RunLeasedEvent leased = leasedByDelivery(0);
        fixture.given(retries("fixed", 2, "1m"), leased)
                .when(new FailRunCommand(RUN, WS, DL, OWN, null, "delivery rejected: HTTP 404", true, sec(1)))
                .expectEvents(new RunAttemptFailedEvent(RUN, AUTOMATION, WS, DL, "delivery rejected: HTTP 404", false,
                        sec(1), sec(61)));
    }

    @Test
    void aFailureReportedAfterTheRunMovedOnChangesNothing() {
        fixture.given(once(), leasedByDelivery(0), new RunCancelRecordedEvent(RUN, AUTOMATION, WS, "no", OWN, false, sec(1)))
                .when(failure("HTTP 500", null, 2)).expectNoEvents();
        fixture.given(once(), leasedByDelivery(0)).when(new RecordDeliveryFailureCommand(RUN, "delivery:other", "x",
                null, LEASE, sec(2))).expectNoEvents();
    }

    @Test
    void theRunShowsTheLastDeliveryError() {
        RunView v = RunFold.apply(null, once());
        v = RunFold.apply(v, leasedByDelivery(0));
        v = RunFold.apply(v, failed("HTTP 500", 1, 6));
        assertThat(v.status()).isEqualTo("running");
        assertThat(v.deliveryError()).isEqualTo("HTTP 500");
        assertThat(v.deliveryErrorAt()).isEqualTo(sec(1));
        assertThat(v.leaseExpiresAt()).isEqualTo(sec(6).plus(LEASE));
        assertThat(v.attempt()).isEqualTo(1);
        assertThat(v.attempts()).hasSize(1);
    }
}
