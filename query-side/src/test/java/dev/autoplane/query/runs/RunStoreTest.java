package dev.autoplane.query.runs;

import dev.autoplane.query.StoreContract;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunView;
import dev.autoplane.query.TestViews;
import dev.autoplane.query.runs.RunStore.RunQuery;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link RunStore} adapter must do; run on every real store (H2, PostgreSQL, MongoDB
 * wire). Each test starts from an empty store.
 */
class RunStoreTest extends StoreContract<RunStore> {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    @Override
    protected RunStore newStore() {
        RunStore runs = emptyStore("run_view", JdbcRunStore::new, MongoRunStore::new);
        runs.clear(); // the summaries too
        return runs;
    }

    /** The run of the n-th hourly occurrence of {@code source} of {@code automation}: ids ascend with n. */
    static RunView run(String ws, String automation, String source, int n, String status, long version) {
        Instant at = T0.plusSeconds(3600L * n);
        String fireId = FireIds.of(automation, source, at);
        String id = FireIds.runId(fireId, at);
        return new RunView(id, ws, automation, "1.0", source, "cron", fireId, "schedule", "published", "agent-7",
                status, 1, 3, at, at.plusMillis(5), null, null, Map.of("n", n), null, null, null, null, null,
                "on time", version, at.plusMillis(5), at.plusMillis(5), null, null, List.of());
    }

    static RunView run(int n) {
        return run(WS, A1, "t1", n, "scheduled", 1);
    }

    /** A run with every field set, free-form JSON in inputs and outputs included. */
    static RunView rich(int n, long version) {
        RunView r = run(n);
        Map<String, Object> inputs = TestViews.json("{\"text\": \"h\\u00e9llo \\\"quoted\\\"\", \"n\": 1, \"big\": 9223372036854775807,"
                + " \"huge\": 123456789012345678901234567890, \"f\": 2.5, \"l\": [true, null, {\"x\": []}], \"o\": {}}");
        Map<String, Object> outputs = TestViews.json("{\"result\": {\"rows\": [1, 2, 3]}, \"ok\": true}");
        Instant t = r.scheduledAt();
        return new RunView(r.id(), r.workspaceId(), r.automationId(), "2.0", r.triggerId(), "interval", r.fireId(),
                "catch_up", "draft", "agent-9", "failed", 2, 5, t, t.plusSeconds(1), t.plusSeconds(2), t.plusSeconds(3),
                inputs, outputs, "boom", "webhook unreachable", t.plusSeconds(4), t.plusSeconds(5), "caught up",
                version, t.plusSeconds(1), t.plusSeconds(6), t.plusSeconds(7), "ext-9",
                List.of(new RunView.Attempt(1, t.plusSeconds(2), t.plusSeconds(3), "failed", "first"),
                        new RunView.Attempt(2, t.plusSeconds(4), null, null, null)));
    }

    static RunSummary summary(String automation, String lastRunId, String status, Map<String, Long> counts) {
        return new RunSummary(automation, lastRunId, status, counts);
    }

    @Test
    void summariesAddDeltasKeepTheNewestRunAndAreRemovedWithTheAutomation() {
        String older = run(1).id();
        String newer = run(2).id();
        assertThat(store.summaries(List.of(A1))).isEmpty();
        store.addToSummaries(List.of(summary(A1, newer, "scheduled", Map.of("scheduled", 2L)),
                summary(A2, older, "running", Map.of("running", 1L))));
        store.addToSummaries(List.of(summary(A1, older, "completed", Map.of("scheduled", -1L, "completed", 1L))));
        RunSummary a1 = store.summaries(List.of(A1, A2, "other")).get(A1);
        assertThat(a1).isEqualTo(summary(A1, newer, "scheduled", Map.of("scheduled", 1L, "completed", 1L)));
        assertThat(a1.orderedCounts().keySet()).containsExactlyElementsOf(RunStore.STATUSES);

        store.addToSummaries(List.of(summary(A1, newer, "running", Map.of("scheduled", -1L, "running", 1L))));
        assertThat(store.summaries(List.of(A1)).get(A1))
                .isEqualTo(summary(A1, newer, "running", Map.of("running", 1L, "completed", 1L)));

        store.addToSummaries(List.of(summary(A2, null, null, Map.of("running", -1L, "failed", 1L))));
        assertThat(store.summaries(List.of(A2)).get(A2)).isEqualTo(summary(A2, older, "running", Map.of("failed", 1L)));

        store.deleteByAutomation(A1);
        assertThat(store.summaries(List.of(A1, A2))).containsOnlyKeys(A2);
        store.clear();
        assertThat(store.summaries(List.of(A1, A2))).isEmpty();
    }

    private List<String> ids(RunQuery q) {
        return store.page(q).stream().map(RunView::id).toList();
    }

    static RunQuery all(String ws) {
        return new RunQuery(ws, null, null, null, null, null, null, 1000);
    }

    // --- save and find

    @Test
    void roundTripsEveryFieldOfARichRun() throws Exception {
        RunView v = rich(1, 3);
        for (RecordComponent c : RunView.class.getRecordComponents()) {
            assertThat(c.getAccessor().invoke(v)).as("the test run sets " + c.getName()).isNotNull();
        }
        store.save(v);
        RunView found = store.find(v.id()).orElseThrow();
        for (RecordComponent c : RunView.class.getRecordComponents()) {
            assertThat(c.getAccessor().invoke(found)).as(c.getName()).isEqualTo(c.getAccessor().invoke(v));
        }
        assertThat(store.page(all(WS))).containsExactly(v);
    }

    @Test
    void roundTripsARunWhoseOptionalFieldsAreNull() {
        RunView r = run(1);
        RunView sparse = new RunView(r.id(), WS, A1, null, null, "api", null, "manual", null, null, "scheduled", 1, 1,
                r.scheduledAt(), null, null, null, null, null, null, null, null, null, null, 1, null, null, null, null, null);
        store.save(sparse);
        assertThat(store.find(r.id())).contains(sparse);
        assertThat(store.page(all(WS))).containsExactly(sparse);
    }

    @Test
    void findsNothingForAnUnknownId() {
        store.save(run(1));
        assertThat(store.find(run(2).id())).isEmpty();
        assertThat(store.find("")).isEmpty();
    }

    // --- versions: replays change nothing

    @Test
    void aLowerOrEqualVersionDoesNotOverwrite() {
        RunView canceled = run(WS, A1, "t1", 1, "canceled", 2);
        store.save(canceled);
        store.save(run(WS, A1, "t1", 1, "scheduled", 1));
        store.save(run(WS, A1, "t1", 1, "completed", 2));
        assertThat(store.find(canceled.id())).contains(canceled);
        assertThat(ids(all(WS))).containsExactly(canceled.id());
        RunView newer = rich(1, 3);
        store.save(newer);
        assertThat(store.find(canceled.id())).contains(newer);
    }

    @Test
    void savingTheSameRunTwiceKeepsOneRow() {
        store.save(run(1));
        store.save(run(1));
        assertThat(store.page(all(WS))).containsExactly(run(1));
    }

    // --- listing

    @Test
    void pagesAreNewestFirstWhateverTheInsertionOrder() {
        for (int n : new int[]{3, 1, 4, 0, 2}) {
            store.save(run(n));
        }
        assertThat(ids(all(WS))).containsExactly(run(4).id(), run(3).id(), run(2).id(), run(1).id(), run(0).id());
        assertThat(ids(all(WS).limit(2))).containsExactly(run(4).id(), run(3).id());
        assertThat(ids(all(WS).before(run(3).id()).limit(2))).containsExactly(run(2).id(), run(1).id());
        assertThat(ids(all(WS).before(run(0).id()))).isEmpty();
    }

    @Test
    void filtersByAutomationTriggerStatusAndWindowAndShowsOneWorkspaceOnly() {
        RunView a1t1 = run(WS, A1, "t1", 1, "scheduled", 1);
        RunView a1sched = run(WS, A1, "schedule", 2, "canceled", 2);
        RunView a2t1 = run(WS, A2, "t1", 3, "scheduled", 1);
        RunView a2t2 = run(WS, A2, "t2", 4, "failed", 1);
        RunView other = run(OTHER_WS, "01900000-0000-7000-8000-00000000b001", "t1", 5, "scheduled", 1);
        for (RunView r : List.of(a1t1, a1sched, a2t1, a2t2, other)) {
            store.save(r);
        }
        assertThat(ids(all(WS))).containsExactly(a2t2.id(), a2t1.id(), a1sched.id(), a1t1.id());
        assertThat(ids(all(OTHER_WS))).containsExactly(other.id());
        RunQuery q = all(WS);
        assertThat(ids(new RunQuery(WS, A1, null, null, null, null, null, 10))).containsExactly(a1sched.id(), a1t1.id());
        assertThat(ids(new RunQuery(WS, null, "t1", null, null, null, null, 10))).containsExactly(a2t1.id(), a1t1.id());
        assertThat(ids(new RunQuery(WS, A2, "t1", null, null, null, null, 10))).containsExactly(a2t1.id());
        assertThat(ids(new RunQuery(WS, null, null, "scheduled", null, null, null, 10))).containsExactly(a2t1.id(), a1t1.id());
        assertThat(ids(new RunQuery(WS, null, null, "completed", null, null, null, 10))).isEmpty();
        // since inclusive, until exclusive, on scheduled_at
        assertThat(ids(new RunQuery(WS, null, null, null, a1sched.scheduledAt(), a2t2.scheduledAt(), null, 10)))
                .containsExactly(a2t1.id(), a1sched.id());
        assertThat(ids(new RunQuery(WS, null, null, null, a1sched.scheduledAt().plusNanos(1000), null, null, 10)))
                .containsExactly(a2t2.id(), a2t1.id());
        assertThat(ids(new RunQuery(WS, null, null, null, null, a1sched.scheduledAt().plusNanos(1000), null, 10)))
                .containsExactly(a1sched.id(), a1t1.id());
        assertThat(ids(new RunQuery(WS, A2, null, "failed", a2t2.scheduledAt(), null, a2t2.id(), 10))).isEmpty();
        assertThat(ids(q.before(a2t1.id()))).containsExactly(a1sched.id(), a1t1.id());
    }

    @Test
    void keysetPaginationSeesEachRunOnceWhileOthersAreWritten() {
        for (int n = 0; n < 30; n += 2) {
            store.save(run(n));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        while (true) {
            List<RunView> page = store.page(all(WS).before(cursor).limit(4));
            if (page.isEmpty()) {
                break;
            }
            page.forEach(r -> seen.add(r.id()));
            cursor = page.get(page.size() - 1).id();
            // between two pages: newer runs arrive, older ones in the gaps too, and an existing one changes
            store.save(run(100 + pages));
            store.save(run(WS, A1, "t1", 2 * pages + 1, "scheduled", 1));
            store.save(run(WS, A1, "t1", 2 * pages, "canceled", 2));
            pages++;
        }
        List<String> expectedOriginal = new ArrayList<>();
        for (int n = 28; n >= 0; n -= 2) {
            expectedOriginal.add(run(n).id());
        }
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsSubsequence(expectedOriginal);
        assertThat(seen).containsAll(expectedOriginal);
        assertThat(seen).noneMatch(id -> id.compareTo(run(28).id()) > 0); // nothing newer than the first page's head
    }

    // --- purge and replay

    @Test
    void deleteByAutomationRemovesThatAutomationsRunsOnly() {
        store.save(run(WS, A1, "t1", 1, "scheduled", 1));
        store.save(run(WS, A2, "t1", 2, "scheduled", 1));
        store.deleteByAutomation(A1);
        assertThat(ids(all(WS))).containsExactly(run(WS, A2, "t1", 2, "scheduled", 1).id());
        assertThat(store.find(run(WS, A1, "t1", 1, "scheduled", 1).id())).isEmpty();
    }

    @Test
    void clearEmptiesEveryWorkspaceAndAReplayStartsOver() {
        store.save(run(1));
        store.save(run(OTHER_WS, A2, "t1", 2, "canceled", 2));
        store.clear();
        assertThat(store.page(all(WS))).isEmpty();
        assertThat(store.page(all(OTHER_WS))).isEmpty();
        store.save(run(1));
        assertThat(store.page(all(WS))).containsExactly(run(1));
    }
}
