package dev.autoplane.command.run;

import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.run.LeasedRun;
import dev.autoplane.events.run.RunCommands.CancelRunByOverlapCommand;
import dev.autoplane.events.run.RunCommands.CancelRunCommand;
import dev.autoplane.events.run.RunCommands.CompleteRunCommand;
import dev.autoplane.events.run.RunCommands.DelegateRunCommand;
import dev.autoplane.events.run.RunCommands.ExpireRunLeaseCommand;
import dev.autoplane.events.run.RunCommands.FailRunCommand;
import dev.autoplane.events.run.RunCommands.HeartbeatRunCommand;
import dev.autoplane.events.run.RunCommands.LeaseRunCommand;
import dev.autoplane.events.run.RunEvents.RunAttemptFailedEvent;
import dev.autoplane.events.run.RunEvents.RunCancelRecordedEvent;
import dev.autoplane.events.run.RunEvents.RunCompletedEvent;
import dev.autoplane.events.run.RunEvents.RunDefinition;
import dev.autoplane.events.run.RunEvents.RunDelegatedEvent;
import dev.autoplane.events.run.RunEvents.RunFailedEvent;
import dev.autoplane.events.run.RunEvents.RunLeaseExtendedEvent;
import dev.autoplane.events.run.RunEvents.RunLeasedEvent;
import dev.autoplane.events.run.RunEvents.RunScheduledEvent;
import dev.autoplane.events.run.RunView;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every transition of a run, every illegal report, the retry strategies, lease expiry and cancel. Time
 * is the commands' {@code at}: no clock, no waiting.
 */
class RunTest {

    static final String RUN = "0190a000-0000-7000-8000-000000000001";
    static final String AUTOMATION = "0190a000-0000-7000-8000-0000000000aa";
    static final String WS = "ws-1";
    static final String TEAM = "team-1";
    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Actor EXECUTOR = Actor.user("executor");
    static final Actor OTHER = Actor.user("someone-else");
    static final Actor OWN_CREDENTIAL = Actor.serviceAccount(AUTOMATION);
    static final RunDefinition DEFINITION = new RunDefinition("script", Map.of("k", "v"), null, "print(1)", null, List.of());

    private FixtureConfiguration<Run> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Run.class);
    }

    static Instant sec(long s) {
        return T0.plusSeconds(s);
    }

    static RunScheduledEvent scheduled(AutomationSettings.RetryPolicy retry) {
        int max = RetryPolicy.of(retry).maxAttempts();
        return new RunScheduledEvent(RUN, AUTOMATION, WS, TEAM, "fire-1", "schedule", "schedule", "schedule", T0, T0,
                "1.0", "published", Map.of("x", 1), null, max, retry, DEFINITION, null);
    }

    static RunScheduledEvent once() {
        return scheduled(null);
    }

    static RunScheduledEvent retries(String strategy, int maxRetries, String baseDelay) {
        return scheduled(new AutomationSettings.RetryPolicy(strategy, maxRetries, baseDelay));
    }

    static RunLeasedEvent leased(String leaseId, int attempt, long at) {
        return new RunLeasedEvent(RUN, AUTOMATION, WS, leaseId, EXECUTOR, attempt, sec(at), sec(at).plus(LEASE));
    }

    static LeaseRunCommand lease(String leaseId, long at) {
        return new LeaseRunCommand(RUN, WS, leaseId, EXECUTOR, List.of(), LEASE, sec(at));
    }

    static CompleteRunCommand complete(String leaseId, Actor actor, long at) {
        return new CompleteRunCommand(RUN, WS, leaseId, actor, List.of(), Map.of("ok", true), sec(at));
    }

    static FailRunCommand fail(String leaseId, boolean retryable, long at) {
        return new FailRunCommand(RUN, WS, leaseId, EXECUTOR, List.of(), "boom", retryable, sec(at));
    }

    static Matcher<Exception> conflict(String code, String currentStatus) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object item) {
                return item instanceof DomainException e && e.details().kind() == DomainException.Kind.CONFLICT
                        && e.details().code().equals(code)
                        && currentStatus.equals(e.details().properties().get("current_status"));
            }

            @Override
            public void describeTo(Description d) {
                d.appendText("409 " + code + " with current_status " + currentStatus);
            }
        };
    }

    static Matcher<Object> view(String status, int attempt) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object item) {
                RunView v = item instanceof LeasedRun l ? l.run() : (RunView) item;
                return v.status().equals(status) && v.attempt() == attempt;
            }

            @Override
            public void describeTo(Description d) {
                d.appendText("a run " + status + " at attempt " + attempt);
            }
        };
    }

    // --- the happy paths

    @Test
    void aLeaseStartsTheFirstAttemptAndAnswersTheDefinition() {
        fixture.given(once()).when(lease("L1", 5))
                .expectEvents(leased("L1", 1, 5))
                .expectResultMessagePayloadMatching(new BaseMatcher<>() {
                    @Override
                    public boolean matches(Object item) {
                        LeasedRun l = (LeasedRun) item;
                        return l.leaseId().equals("L1") && l.definition().equals(DEFINITION)
                                && l.run().status().equals("running") && l.run().attempt() == 1
                                && l.run().leaseExpiresAt().equals(sec(65)) && l.run().attempts().size() == 1;
                    }

                    @Override
                    public void describeTo(Description d) {
                        d.appendText("the leased run");
                    }
                });
    }

    @Test
    void aScheduledRunHasMadeNoAttemptYet() {
        RunView v = dev.autoplane.events.run.RunFold.apply(null, once());
        assertThat(v.status()).isEqualTo("scheduled");
        assertThat(v.attempt()).isZero();
        assertThat(v.maxAttempts()).isEqualTo(1);
        assertThat(v.version()).isEqualTo(1);
    }

    @Test
    void aHeartbeatExtendsTheLease() {
        fixture.given(once(), leased("L1", 1, 0))
                .when(new HeartbeatRunCommand(RUN, WS, "L1", EXECUTOR, List.of(), LEASE, sec(30)))
                .expectEvents(new RunLeaseExtendedEvent(RUN, AUTOMATION, WS, "L1", sec(30), sec(90)));
    }

    @Test
    void theHolderCompletesItWithItsOutputs() {
        fixture.given(once(), leased("L1", 1, 0)).when(complete("L1", EXECUTOR, 10))
                .expectEvents(new RunCompletedEvent(RUN, AUTOMATION, WS, "L1", Map.of("ok", true), sec(10)))
                .expectResultMessagePayloadMatching(view("completed", 1));
    }

    @Test
    void withoutALeaseIdTheHoldingActorIsTheHolder() {
        fixture.given(once(), leased("L1", 1, 0)).when(complete(null, EXECUTOR, 10))
                .expectEvents(new RunCompletedEvent(RUN, AUTOMATION, WS, "L1", Map.of("ok", true), sec(10)));
    }

    @Test
    void aDelegatedRunCompletesOrFailsLater() {
        fixture.given(once(), leased("L1", 1, 0))
                .when(new DelegateRunCommand(RUN, WS, "L1", EXECUTOR, List.of(), "ext-42", sec(3)))
                .expectEvents(new RunDelegatedEvent(RUN, AUTOMATION, WS, "L1", "ext-42", sec(3)))
                .expectResultMessagePayloadMatching(view("delegated", 1));
        RunDelegatedEvent delegated = new RunDelegatedEvent(RUN, AUTOMATION, WS, "L1", "ext-42", sec(3));
        fixture.given(once(), leased("L1", 1, 0), delegated).when(complete("L1", EXECUTOR, 500))
                .expectEvents(new RunCompletedEvent(RUN, AUTOMATION, WS, "L1", Map.of("ok", true), sec(500)));
        fixture.given(once(), leased("L1", 1, 0), delegated).when(fail("L1", false, 500))
                .expectEvents(new RunFailedEvent(RUN, AUTOMATION, WS, "L1", "boom", false, sec(500)));
    }

    @Test
    void aDelegatedRunsLeaseDoesNotExpire() {
        fixture.given(once(), leased("L1", 1, 0), new RunDelegatedEvent(RUN, AUTOMATION, WS, "L1", "ext", sec(3)))
                .when(new ExpireRunLeaseCommand(RUN, "L1", sec(3600))).expectNoEvents();
    }

    // --- illegal reports: 409 with current_status, nothing recorded

    @Test
    void completingACanceledRunIsAConflict() {
        fixture.given(once(), leased("L1", 1, 0),
                        new RunCancelRecordedEvent(RUN, AUTOMATION, WS, null, OTHER, false, sec(5)))
                .when(complete("L1", EXECUTOR, 10))
                .expectException(conflict("illegal_report", "canceled")).expectNoEvents();
    }

    @Test
    void onlyTheLeaseHolderMayReport() {
        fixture.given(once(), leased("L1", 1, 0))
                .when(new HeartbeatRunCommand(RUN, WS, null, OTHER, List.of(), LEASE, sec(5)))
                .expectException(conflict("not_lease_holder", "running")).expectNoEvents();
        fixture.given(once(), leased("L1", 1, 0)).when(complete("L-other", EXECUTOR, 5))
                .expectException(conflict("not_lease_holder", "running")).expectNoEvents();
        fixture.given(once()).when(complete(null, EXECUTOR, 5))
                .expectException(conflict("not_lease_holder", "scheduled")).expectNoEvents();
    }

    @Test
    void aStaleLeaseHolderCannotReportOnTheNextAttempt() {
        fixture.given(retries("fixed", 2, "10s"), leased("L1", 1, 0),
                        new RunAttemptFailedEvent(RUN, AUTOMATION, WS, "L1", "lease expired", true, sec(61), sec(71)),
                        new RunLeasedEvent(RUN, AUTOMATION, WS, "L2", OTHER, 2, sec(80), sec(140)))
                .when(complete("L1", EXECUTOR, 90))
                .expectException(conflict("not_lease_holder", "running")).expectNoEvents();
    }

    @Test
    void aRunningRunCannotBeLeasedAgain() {
        fixture.given(once(), leased("L1", 1, 0)).when(lease("L2", 5))
                .expectException(conflict("not_leasable", "running")).expectNoEvents();
    }

    @Test
    void aRetryIsNotLeasedBeforeItIsDue() {
        fixture.given(retries("fixed", 1, "30s"), leased("L1", 1, 0),
                        new RunAttemptFailedEvent(RUN, AUTOMATION, WS, "L1", "boom", false, sec(10), sec(40)))
                .when(lease("L2", 39))
                .expectException(conflict("not_due", "scheduled")).expectNoEvents();
    }

    @Test
    void anotherWorkspaceOrAutomationDoesNotFindTheRunAndTeamsLimit() {
        fixture.given(once()).when(new LeaseRunCommand(RUN, "ws-2", "L1", EXECUTOR, List.of(), LEASE, sec(1)))
                .expectException(DomainException.class).expectNoEvents();
        fixture.given(once()).when(new LeaseRunCommand(RUN, WS, "L1", Actor.serviceAccount("other-automation"), List.of(),
                        LEASE, sec(1)))
                .expectException(DomainException.class).expectNoEvents();
        fixture.given(once()).when(new LeaseRunCommand(RUN, WS, "L1", EXECUTOR, List.of("team-2"), LEASE, sec(1)))
                .expectException(DomainException.class).expectNoEvents();
        fixture.given(once()).when(new LeaseRunCommand(RUN, WS, "L1", OWN_CREDENTIAL, List.of(TEAM), LEASE, sec(1)))
                .expectEvents(new RunLeasedEvent(RUN, AUTOMATION, WS, "L1", OWN_CREDENTIAL, 1, sec(1), sec(61)));
    }

    // --- idempotent repeats

    @Test
    void aRepeatedIdenticalReportAnswersTheSameAndRecordsNothing() {
        fixture.given(once(), leased("L1", 1, 0),
                        new RunCompletedEvent(RUN, AUTOMATION, WS, "L1", Map.of("ok", true), sec(10)))
                .when(complete("L1", EXECUTOR, 11))
                .expectNoEvents().expectResultMessagePayloadMatching(view("completed", 1));
        fixture.given(once(), leased("L1", 1, 0),
                        new RunCompletedEvent(RUN, AUTOMATION, WS, "L1", Map.of("ok", false), sec(10)))
                .when(complete("L1", EXECUTOR, 11))
                .expectException(conflict("illegal_report", "completed")).expectNoEvents();
        fixture.given(retries("fixed", 1, "30s"), leased("L1", 1, 0),
                        new RunAttemptFailedEvent(RUN, AUTOMATION, WS, "L1", "boom", false, sec(10), sec(40)))
                .when(fail("L1", true, 12))
                .expectNoEvents().expectResultMessagePayloadMatching(view("scheduled", 1));
        fixture.given(once(), leased("L1", 1, 0)).when(lease("L1", 1))
                .expectNoEvents().expectResultMessagePayloadMatching(view("running", 1));
    }

    // --- failures and retries

    @Test
    void aRetryableFailureWithAttemptsLeftSchedulesTheNextAttemptAfterTheFixedDelay() {
        fixture.given(retries("fixed", 2, "30s"), leased("L1", 1, 0)).when(fail("L1", true, 10))
                .expectEvents(new RunAttemptFailedEvent(RUN, AUTOMATION, WS, "L1", "boom", false, sec(10), sec(40)))
                .expectResultMessagePayloadMatching(view("scheduled", 1));
    }

    @Test
    void aFailureThatIsNotRetryableFailsTheRun() {
        fixture.given(retries("fixed", 2, "30s"), leased("L1", 1, 0)).when(fail("L1", false, 10))
                .expectEvents(new RunFailedEvent(RUN, AUTOMATION, WS, "L1", "boom", false, sec(10)));
    }

    @Test
    void aFailureOfTheLastAttemptFailsTheRun() {
        fixture.given(retries("fixed", 1, "30s"), leased("L1", 1, 0),
                        new RunAttemptFailedEvent(RUN, AUTOMATION, WS, "L1", "boom", false, sec(10), sec(40)),
                        new RunLeasedEvent(RUN, AUTOMATION, WS, "L2", EXECUTOR, 2, sec(40), sec(100)))
                .when(fail("L2", true, 50))
                .expectEvents(new RunFailedEvent(RUN, AUTOMATION, WS, "L2", "boom", false, sec(50)));
        fixture.given(once(), leased("L1", 1, 0)).when(fail("L1", true, 10))
                .expectEvents(new RunFailedEvent(RUN, AUTOMATION, WS, "L1", "boom", false, sec(10)));
    }

    @Test
    void exponentialRetriesDoubleTheDelayPerAttemptWithJitter() {
        Duration first = new RetryPolicy("exponential", 5, Duration.ofSeconds(10)).delayAfter(1, RUN);
        Duration second = new RetryPolicy("exponential", 5, Duration.ofSeconds(10)).delayAfter(2, RUN);
        fixture.given(retries("exponential", 5, "10s"), leased("L1", 1, 0)).when(fail("L1", true, 100))
                .expectEvents(new RunAttemptFailedEvent(RUN, AUTOMATION, WS, "L1", "boom", false, sec(100),
                        sec(100).plus(first)));
        fixture.given(retries("exponential", 5, "10s"), leased("L1", 1, 0),
                        new RunAttemptFailedEvent(RUN, AUTOMATION, WS, "L1", "boom", false, sec(100), sec(100).plus(first)),
                        new RunLeasedEvent(RUN, AUTOMATION, WS, "L2", EXECUTOR, 2, sec(200), sec(260)))
                .when(fail("L2", true, 210))
                .expectEvents(new RunAttemptFailedEvent(RUN, AUTOMATION, WS, "L2", "boom", false, sec(210),
                        sec(210).plus(second)));
        assertThat(first).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(11));
        assertThat(second).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(22));
    }

    @Test
    void theNextAttemptIsLeasedOnceDueAndCountsAsAttemptTwo() {
        fixture.given(retries("fixed", 1, "30s"), leased("L1", 1, 0),
                        new RunAttemptFailedEvent(RUN, AUTOMATION, WS, "L1", "boom", false, sec(10), sec(40)))
                .when(lease("L2", 40))
                .expectEvents(new RunLeasedEvent(RUN, AUTOMATION, WS, "L2", EXECUTOR, 2, sec(40), sec(100)))
                .expectResultMessagePayloadMatching(new BaseMatcher<>() {
                    @Override
                    public boolean matches(Object item) {
                        List<RunView.Attempt> attempts = ((LeasedRun) item).run().attempts();
                        return attempts.size() == 2 && attempts.get(0).endedAt().equals(sec(10))
                                && attempts.get(0).error().equals("boom") && attempts.get(0).outcome().equals("failed")
                                && attempts.get(1).startedAt().equals(sec(40)) && attempts.get(1).endedAt() == null;
                    }

                    @Override
                    public void describeTo(Description d) {
                        d.appendText("two attempts recorded");
                    }
                });
    }

    // --- lease expiry

    @Test
    void anExpiredLeaseBecomesANewAttemptWhileAttemptsRemain() {
        fixture.given(retries("fixed", 1, "5s"), leased("L1", 1, 0)).when(new ExpireRunLeaseCommand(RUN, "L1", sec(61)))
                .expectEvents(new RunAttemptFailedEvent(RUN, AUTOMATION, WS, "L1",
                        "the lease expired at " + sec(60) + " without a report", true, sec(61), sec(66)));
    }

    @Test
    void anExpiredLeaseOfTheLastAttemptFailsTheRun() {
        fixture.given(once(), leased("L1", 1, 0)).when(new ExpireRunLeaseCommand(RUN, "L1", sec(61)))
                .expectEvents(new RunFailedEvent(RUN, AUTOMATION, WS, "L1",
                        "the lease expired at " + sec(60) + " without a report", true, sec(61)));
    }

    @Test
    void aLeaseThatWasExtendedReportedOrReplacedDoesNotExpire() {
        fixture.given(once(), leased("L1", 1, 0), new RunLeaseExtendedEvent(RUN, AUTOMATION, WS, "L1", sec(50), sec(110)))
                .when(new ExpireRunLeaseCommand(RUN, "L1", sec(61))).expectNoEvents();
        fixture.given(once(), leased("L1", 1, 0),
                        new RunCompletedEvent(RUN, AUTOMATION, WS, "L1", Map.of(), sec(10)))
                .when(new ExpireRunLeaseCommand(RUN, "L1", sec(61))).expectNoEvents();
        fixture.given(once(), leased("L2", 1, 0)).when(new ExpireRunLeaseCommand(RUN, "L1", sec(61))).expectNoEvents();
    }

    // --- cancel

    @Test
    void anOpenRunCanBeCanceledOnceAndAnEndedOneNot() {
        for (List<Object> open : List.<List<Object>>of(List.of(once()), List.of(once(), leased("L1", 1, 0)),
                List.of(once(), leased("L1", 1, 0), new RunDelegatedEvent(RUN, AUTOMATION, WS, "L1", "x", sec(2))))) {
            fixture.given(open).when(new CancelRunCommand(RUN, WS, OTHER, List.of(), "no longer needed", sec(5)))
                    .expectEvents(new RunCancelRecordedEvent(RUN, AUTOMATION, WS, "no longer needed", OTHER, false, sec(5)))
                    .expectResultMessagePayloadMatching(view("canceled", ((List<?>) open).size() > 1 ? 1 : 0));
        }
        fixture.given(once(), new RunCancelRecordedEvent(RUN, AUTOMATION, WS, null, OTHER, false, sec(5)))
                .when(new CancelRunCommand(RUN, WS, OTHER, List.of(), null, sec(6))).expectNoEvents();
        fixture.given(once(), leased("L1", 1, 0), new RunCompletedEvent(RUN, AUTOMATION, WS, "L1", Map.of(), sec(10)))
                .when(new CancelRunCommand(RUN, WS, OTHER, List.of(), null, sec(11)))
                .expectException(conflict("illegal_report", "completed")).expectNoEvents();
    }

    @Test
    void theCancelOtherPolicyCancelsAnOpenRunAndLeavesAnEndedOne() {
        fixture.given(once(), leased("L1", 1, 0)).when(new CancelRunByOverlapCommand(RUN, "cancel_other", sec(5)))
                .expectEvents(new RunCancelRecordedEvent(RUN, AUTOMATION, WS, "cancel_other", Actor.SYSTEM, true, sec(5)));
        fixture.given(once(), leased("L1", 1, 0), new RunCompletedEvent(RUN, AUTOMATION, WS, "L1", Map.of(), sec(3)))
                .when(new CancelRunByOverlapCommand(RUN, "cancel_other", sec(5))).expectNoEvents();
    }

    @Test
    void theFoldRecordsEveryAttempt() {
        List<Object> events = new ArrayList<>(List.of(retries("fixed", 1, "5s"), leased("L1", 1, 0),
                new RunAttemptFailedEvent(RUN, AUTOMATION, WS, "L1", "lease expired", true, sec(61), sec(66)),
                new RunLeasedEvent(RUN, AUTOMATION, WS, "L2", EXECUTOR, 2, sec(70), sec(130)),
                new RunCompletedEvent(RUN, AUTOMATION, WS, "L2", Map.of("n", 2), sec(80))));
        RunView v = null;
        for (Object e : events) {
            v = dev.autoplane.events.run.RunFold.apply(v, (dev.autoplane.events.run.RunEvents.RunStreamEvent) e);
        }
        assertThat(v.status()).isEqualTo("completed");
        assertThat(v.version()).isEqualTo(5);
        assertThat(v.attempt()).isEqualTo(2);
        assertThat(v.outputs()).isEqualTo(Map.of("n", 2));
        assertThat(v.endedAt()).isEqualTo(sec(80));
        assertThat(v.attempts()).containsExactly(
                new RunView.Attempt(1, sec(0), sec(61), "lease_expired", "lease expired"),
                new RunView.Attempt(2, sec(70), sec(80), "completed", null));
    }
}
