package dev.autoplane.query.occurrences;

import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.OccurrenceView;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import dev.autoplane.query.StoreFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.autoplane.query.ProjectionBatches.batch;
import static org.assertj.core.api.Assertions.assertThat;

/** The occurrence fold on the real H2 store: one row per fire id, fired outcomes final, replays change nothing. */
class OccurrenceProjectionTest {

    static final String WS = "01900000-0000-7000-8000-000000000001";
    static final String A = "01900000-0000-7000-8000-00000000a001";
    static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

    @RegisterExtension
    static final StoreFixtures.H2PerClass db = new StoreFixtures.H2PerClass();
    OccurrenceStore store;
    OccurrenceProjection projection;

    @BeforeEach
    void setUp() {
        db.truncate("occurrence_view");
        store = new JdbcOccurrenceStore(db.jdbc(), StoreFixtures.mapper());
        projection = new OccurrenceProjection(store);
    }

    static OccurrenceSkippedEvent skipped(Instant at, String outcome, Instant recordedAt) {
        return new OccurrenceSkippedEvent(A, WS, FireIds.of(A, "schedule", at), "schedule", "schedule", at, recordedAt,
                outcome, "reason " + outcome);
    }

    static JobFiredEvent fired(Instant at, String source, Instant firedAt) {
        String fireId = FireIds.of(A, "schedule", at);
        return new JobFiredEvent(A, WS, fireId, FireIds.runId(fireId, at), "schedule", "schedule", source, at, firedAt,
                "1.0", "published", Map.of(), "agent", 3, "fired", List.of(), "fired by " + source, Actor.SYSTEM);
    }

    void apply(Object... events) {
        batch(() -> {
            for (Object e : events) {
                if (e instanceof JobFiredEvent j) {
                    projection.on(j);
                } else if (e instanceof OccurrenceSkippedEvent s) {
                    projection.on(s);
                } else {
                    projection.on((AutomationPurgedEvent) e);
                }
            }
        });
    }

    @Test
    void anOccurrenceSkippedWhilePausedAndFiredByTheCatchUpOnResumeIsOneFiredRow() {
        Object[] events = {skipped(T, "skipped_paused", T), fired(T, "catch_up", T.plusSeconds(3600))};
        apply(events[0]);
        assertThat(store.page(A, null, null, 10)).extracting(OccurrenceView::outcome).containsExactly("skipped_paused");
        apply(events[1]);
        List<OccurrenceView> rows = store.page(A, null, null, 10);
        assertThat(rows).hasSize(1);
        OccurrenceView row = rows.get(0);
        assertThat(row.outcome()).isEqualTo("fired");
        assertThat(row.runId()).isEqualTo(FireIds.runId(FireIds.of(A, "schedule", T), T));
        assertThat(row.reason()).isEqualTo("fired by catch_up");
        assertThat(row.recordedAt()).isEqualTo(T.plusSeconds(3600));

        // a replay over the store as it is (no reset) changes nothing, event by event or in one batch
        apply(events[0]);
        apply(events);
        assertThat(store.page(A, null, null, 10)).containsExactly(row);
    }

    @Test
    void bothEventsInOneBatchGiveTheSameRow() {
        apply(skipped(T, "skipped_paused", T), fired(T, "catch_up", T.plusSeconds(3600)));
        assertThat(store.page(A, null, null, 10)).extracting(OccurrenceView::outcome).containsExactly("fired");
    }

    @Test
    void aBufferedOccurrenceFiredLaterBecomesFired() {
        apply(skipped(T, "buffered", T));
        assertThat(store.page(A, "buffered", null, 10)).hasSize(1);
        apply(fired(T, "buffered", T.plusSeconds(90)));
        assertThat(store.page(A, "buffered", null, 10)).isEmpty();
        assertThat(store.page(A, "fired", null, 10)).extracting(OccurrenceView::reason).containsExactly("fired by buffered");
    }

    @Test
    void theLatestOfTwoSkipsStandsAndAFireIsNeverUndone() {
        apply(skipped(T, "buffered", T), skipped(T, "skipped_overlap", T.plusSeconds(10)));
        assertThat(store.page(A, null, null, 10)).extracting(OccurrenceView::outcome).containsExactly("skipped_overlap");
        apply(skipped(T, "buffered", T)); // an older record replayed
        assertThat(store.page(A, null, null, 10)).extracting(OccurrenceView::outcome).containsExactly("skipped_overlap");
        apply(fired(T.plusSeconds(60), "schedule", T.plusSeconds(60)), skipped(T.plusSeconds(60), "missed", T.plusSeconds(70)));
        assertThat(store.page(A, null, null, 10)).extracting(OccurrenceView::outcome).containsExactly("fired", "skipped_overlap");
    }

    @Test
    void firesThatAreNotOccurrencesOfATimeSourceAreNotListed() {
        apply(fired(T, "manual", T), fired(T.plusSeconds(1), "invoke", T), fired(T.plusSeconds(2), "backfill", T));
        assertThat(store.page(A, null, null, 10)).isEmpty();
        apply(fired(T.plusSeconds(3), "schedule", T.plusSeconds(3)));
        assertThat(store.page(A, null, null, 10)).hasSize(1);
    }

    @Test
    void aPurgeRemovesTheAutomationsOccurrencesEvenThoseOfTheSameBatch() {
        apply(fired(T, "schedule", T));
        apply(skipped(T.plusSeconds(60), "missed", T.plusSeconds(60)), new AutomationPurgedEvent(A, WS, Actor.SYSTEM, T));
        assertThat(store.page(A, null, null, 10)).isEmpty();
    }
}
