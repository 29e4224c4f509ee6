package dev.autoplane.query.runs;

import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.RunCanceledEvent;
import dev.autoplane.events.run.RunView;
import dev.autoplane.query.runs.RunStore.RunQuery;
import dev.autoplane.query.StoreFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.autoplane.events.run.RunEvents.RunAttemptFailedEvent;
import dev.autoplane.events.run.RunEvents.RunCancelRecordedEvent;
import dev.autoplane.events.run.RunEvents.RunCompletedEvent;
import dev.autoplane.events.run.RunEvents.RunDelegatedEvent;
import dev.autoplane.events.run.RunEvents.RunLeasedEvent;
import dev.autoplane.events.run.RunEvents.RunScheduledEvent;
import dev.autoplane.events.run.RunEvents.RunStreamEvent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;

import static dev.autoplane.query.ProjectionBatches.batch;
import static org.assertj.core.api.Assertions.assertThat;

/** The run fold on the real H2 store: fired → scheduled, canceled → canceled, replays change nothing, purge removes. */
class RunProjectionTest {

    static final String WS = "01900000-0000-7000-8000-000000000001";
    static final String A = "01900000-0000-7000-8000-00000000a001";
    static final String B = "01900000-0000-7000-8000-00000000a002";
    static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

    @RegisterExtension
    static final StoreFixtures.H2PerClass db = new StoreFixtures.H2PerClass();
    RunStore store;
    RunProjection projection;

    @BeforeEach
    void setUp() {
        db.truncate("run_view", "run_summary");
        store = new JdbcRunStore(db.jdbc(), StoreFixtures.mapper());
        projection = new RunProjection(store);
    }

    static JobFiredEvent fired(String automation, Instant at) {
        String fireId = FireIds.of(automation, "t1", at);
        return new JobFiredEvent(automation, WS, fireId, FireIds.runId(fireId, at), "t1", "cron", "schedule", at,
                at.plusMillis(250), "2.0", "published", Map.of("who", "world"), "agent-1", 4, "fired", List.of(),
                "on time", Actor.SYSTEM);
    }

    void apply(Object... events) {
        batch(() -> {
            for (Object e : events) {
                if (e instanceof JobFiredEvent j) {
                    projection.on(j);
                } else if (e instanceof RunCanceledEvent c) {
                    projection.on(c);
                } else if (e instanceof DomainEventMessage<?> m) {
                    projection.on((RunStreamEvent) m.getPayload(), m);
                } else {
                    projection.on((AutomationPurgedEvent) e);
                }
            }
        });
    }

    static RunQuery all() {
        return new RunQuery(WS, null, null, null, null, null, null, 100);
    }

    @Test
    void aFireCreatesAScheduledRunWithEveryFieldOfTheEvent() {
        JobFiredEvent e = fired(A, T);
        apply(e);
        RunView r = store.find(e.runId()).orElseThrow();
        assertThat(r).isEqualTo(new RunView(e.runId(), WS, A, "2.0", "t1", "cron", e.fireId(), "schedule", "published",
                "agent-1", "scheduled", 0, 4, T, T.plusMillis(250), null, null, Map.of("who", "world"), null, null, null,
                null, null, "on time", 1, T.plusMillis(250), T.plusMillis(250), null, null, List.of()));
    }

    @Test
    void aCancellationEndsTheRunAndAReplayChangesNothing() {
        JobFiredEvent e = fired(A, T);
        RunCanceledEvent c = new RunCanceledEvent(e.runId(), A, WS, "canceled by the next occurrence (cancel_other)",
                Actor.SYSTEM, T.plusSeconds(60));
        apply(e, c);
        RunView r = store.find(e.runId()).orElseThrow();
        assertThat(r.status()).isEqualTo("canceled");
        assertThat(r.endedAt()).isEqualTo(T.plusSeconds(60));
        assertThat(r.updatedAt()).isEqualTo(T.plusSeconds(60));
        assertThat(r.reason()).isEqualTo("canceled by the next occurrence (cancel_other)");
        assertThat(r.version()).isEqualTo(2);

        apply(e);
        apply(c);
        apply(e, c);
        assertThat(store.page(all())).containsExactly(r);
    }

    @Test
    void aCancellationOfAnUnknownRunIsIgnored() {
        apply(new RunCanceledEvent(FireIds.runId("x", T), A, WS, "r", Actor.SYSTEM, T));
        assertThat(store.page(all())).isEmpty();
    }

    @Test
    void aPurgeRemovesTheAutomationsRunsOnly() {
        apply(fired(A, T), fired(B, T.plusSeconds(1)));
        apply(fired(A, T.plusSeconds(2)), new AutomationPurgedEvent(A, WS, Actor.SYSTEM, T.plusSeconds(3)));
        assertThat(store.page(all())).extracting(RunView::automationId).containsExactly(B);
    }

    @Test
    void aResetEmptiesTheReadModelForAReplay() {
        apply(fired(A, T));
        projection.reset();
        assertThat(store.page(all())).isEmpty();
        apply(fired(A, T));
        assertThat(store.page(all())).hasSize(1);
    }

    /** The run's own events, as its stream numbers them (the scheduled one is 0). */
    static List<Object> lifecycle(JobFiredEvent e, RunStreamEvent... events) {
        List<Object> out = new java.util.ArrayList<>();
        out.add(new GenericDomainEventMessage<>("Run", e.runId(), 0, new RunScheduledEvent(e.runId(), A, WS, null,
                e.fireId(), e.sourceId(), e.triggerType(), e.source(), e.scheduledAt(), e.firedAt(), e.revision(),
                e.stage(), e.inputs(), e.agentName(), e.maxAttempts(), null, null, e.reason())));
        for (int i = 0; i < events.length; i++) {
            out.add(new GenericDomainEventMessage<>("Run", e.runId(), i + 1, events[i]));
        }
        return out;
    }

    @Test
    void theRunsOwnEventsShowItsStatusAttemptsOutputsAndAReplayChangesNothing() {
        JobFiredEvent e = fired(A, T);
        String id = e.runId();
        List<Object> events = new java.util.ArrayList<>(List.of(e));
        events.addAll(lifecycle(e,
                new RunLeasedEvent(id, A, WS, "L1", Actor.user("x"), 1, T.plusSeconds(1), T.plusSeconds(61)),
                new RunAttemptFailedEvent(id, A, WS, "L1", "boom", false, T.plusSeconds(5), T.plusSeconds(35)),
                new RunLeasedEvent(id, A, WS, "L2", Actor.user("x"), 2, T.plusSeconds(40), T.plusSeconds(100)),
                new RunDelegatedEvent(id, A, WS, "L2", "ext-1", T.plusSeconds(41)),
                new RunCompletedEvent(id, A, WS, "L2", Map.of("n", 1), T.plusSeconds(50))));
        apply(events.toArray());
        RunView r = store.find(id).orElseThrow();
        assertThat(r.status()).isEqualTo("completed");
        assertThat(r.attempt()).isEqualTo(2);
        assertThat(r.version()).isEqualTo(6);
        assertThat(r.outputs()).isEqualTo(Map.of("n", 1));
        assertThat(r.externalRef()).isEqualTo("ext-1");
        assertThat(r.error()).isEqualTo("boom");
        assertThat(r.endedAt()).isEqualTo(T.plusSeconds(50));
        assertThat(r.attempts()).containsExactly(
                new RunView.Attempt(1, T.plusSeconds(1), T.plusSeconds(5), "failed", "boom"),
                new RunView.Attempt(2, T.plusSeconds(40), T.plusSeconds(50), "completed", null));
        apply(events.toArray());
        assertThat(store.page(all())).containsExactly(r);
    }

    @Test
    void theAutomationsSummaryCountsItsRunsPerStatusAndShowsTheNewestRunsStatusAndAReplayChangesNothing() {
        JobFiredEvent first = fired(A, T);
        JobFiredEvent second = fired(A, T.plusSeconds(3600));
        JobFiredEvent third = fired(A, T.plusSeconds(7200));
        List<Object> firstDone = lifecycle(first, leased(first),
                new RunCompletedEvent(first.runId(), A, WS, "L1", Map.of(), T.plusSeconds(5)));
        List<Object> secondRunning = lifecycle(second, leased(second));
        apply(first, second, fired(B, T));
        apply(firstDone.toArray());             // first: scheduled → running → completed in one batch
        apply(secondRunning.toArray());
        assertThat(store.summaries(List.of(A, B, "none"))).containsOnlyKeys(A, B);
        RunSummary a = store.summaries(List.of(A)).get(A);
        assertThat(a.lastRunId()).isEqualTo(second.runId());
        assertThat(a.lastRunStatus()).isEqualTo("running");
        assertThat(a.orderedCounts()).containsExactly(Map.entry("scheduled", 0L), Map.entry("running", 1L),
                Map.entry("delegated", 0L), Map.entry("completed", 1L), Map.entry("failed", 0L), Map.entry("canceled", 0L));

        apply(third);                             // a newer run is the last one, whatever older runs do next
        apply(lifecycle(second, leased(second),
                new RunCompletedEvent(second.runId(), A, WS, "L1", Map.of(), T.plusSeconds(3601))).toArray());
        a = store.summaries(List.of(A)).get(A);
        assertThat(a.lastRunId()).isEqualTo(third.runId());
        assertThat(a.lastRunStatus()).isEqualTo("scheduled");
        assertThat(a.counts()).containsEntry("scheduled", 1L).containsEntry("running", 0L).containsEntry("completed", 2L);

        apply(first, second, third);              // replays of everything change nothing
        apply(firstDone.toArray());
        apply(secondRunning.toArray());
        assertThat(store.summaries(List.of(A)).get(A)).isEqualTo(a);
        assertThat(store.summaries(List.of(B)).get(B).counts()).containsEntry("scheduled", 1L);

        apply(new AutomationPurgedEvent(A, WS, Actor.SYSTEM, T.plusSeconds(9000)));
        assertThat(store.summaries(List.of(A, B))).containsOnlyKeys(B);
        projection.reset();
        assertThat(store.summaries(List.of(A, B))).isEmpty();
    }

    @Test
    void aRetryShowsTheRunScheduledWithItsNextAttempt() {
        JobFiredEvent e = fired(A, T);
        apply(e);
        apply(lifecycle(e,
                leased(e),
                new RunAttemptFailedEvent(e.runId(), A, WS, "L1", "lease expired", true, T.plusSeconds(62),
                        T.plusSeconds(92))).toArray());
        RunView r = store.find(e.runId()).orElseThrow();
        assertThat(r.status()).isEqualTo("scheduled");
        assertThat(r.nextAttemptAt()).isEqualTo(T.plusSeconds(92));
        assertThat(r.leaseExpiresAt()).isNull();
        assertThat(r.attempts()).extracting(RunView.Attempt::outcome).containsExactly("lease_expired");
    }

    @Test
    void theAutomationsCancelAndTheRunsOwnShowOneCancellation() {
        JobFiredEvent e = fired(A, T);
        List<Object> leased = lifecycle(e,
                leased(e),
                new RunCancelRecordedEvent(e.runId(), A, WS, "cancel_other", Actor.SYSTEM, true, T.plusSeconds(9)));
        apply(e, leased.get(0), leased.get(1),
                new RunCanceledEvent(e.runId(), A, WS, "cancel_other", Actor.SYSTEM, T.plusSeconds(9)), leased.get(2));
        RunView r = store.find(e.runId()).orElseThrow();
        assertThat(r.status()).isEqualTo("canceled");
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.attempts()).extracting(RunView.Attempt::outcome).containsExactly("canceled");
    }

    @Test
    void theAutomationsCancelOfARunThatEndedMeanwhileChangesNothing() {
        JobFiredEvent e = fired(A, T);
        apply(e);
        apply(lifecycle(e,
                leased(e),
                new RunCompletedEvent(e.runId(), A, WS, "L1", Map.of(), T.plusSeconds(5))).toArray());
        apply(new RunCanceledEvent(e.runId(), A, WS, "cancel_other", Actor.SYSTEM, T.plusSeconds(9)));
        assertThat(store.find(e.runId()).orElseThrow().status()).isEqualTo("completed");
    }

    /** The run of {@code e} leased by x at T+1 s, lease L1 until T+61 s. */
    static RunLeasedEvent leased(JobFiredEvent e) {
        return new RunLeasedEvent(e.runId(), A, WS, "L1", Actor.user("x"), 1, T.plusSeconds(1), T.plusSeconds(61));
    }
}
