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
        db.truncate("run_view");
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
                "agent-1", "scheduled", 1, 4, T, T.plusMillis(250), null, null, Map.of("who", "world"), null, null, null,
                null, null, "on time", 1, T.plusMillis(250), T.plusMillis(250)));
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
}
