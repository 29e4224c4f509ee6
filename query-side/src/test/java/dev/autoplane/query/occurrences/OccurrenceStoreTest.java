package dev.autoplane.query.occurrences;

import dev.autoplane.query.StoreContract;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.OccurrenceView;
import dev.autoplane.query.occurrences.OccurrenceStore.Cursor;
import dev.autoplane.query.runs.RunStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link OccurrenceStore} adapter must do; run on every real store (H2, PostgreSQL,
 * MongoDB wire). Each test starts from an empty store.
 */
class OccurrenceStoreTest extends StoreContract<OccurrenceStore> {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    @Override
    protected OccurrenceStore newStore() {
        return emptyStore("occurrence_view", JdbcOccurrenceStore::new, MongoOccurrenceStore::new);
    }

    static OccurrenceView occurrence(String automation, String source, int n, String outcome) {
        Instant at = T0.plusSeconds(60L * n);
        String fireId = FireIds.of(automation, source, at);
        boolean fired = outcome.equals("fired") || outcome.equals("canceled_other");
        return new OccurrenceView(fireId, WS, automation, source, source.equals("schedule") ? "schedule" : "cron", at,
                at.plusSeconds(1), outcome, "because " + outcome, fired ? FireIds.runId(fireId, at) : null);
    }

    static OccurrenceView occurrence(int n, String outcome) {
        return occurrence(A1, "schedule", n, outcome);
    }

    private List<String> fireIds(String automation, String outcome, Cursor after, int limit) {
        return store.page(automation, outcome, after, limit).stream().map(OccurrenceView::fireId).toList();
    }

    static Cursor cursorAt(OccurrenceView o) {
        return new Cursor(RunStore.micros(o.scheduledAt()), o.fireId());
    }

    @Test
    void roundTripsEveryField() throws Exception {
        OccurrenceView o = occurrence(1, "fired");
        for (RecordComponent c : OccurrenceView.class.getRecordComponents()) {
            assertThat(c.getAccessor().invoke(o)).as("the test occurrence sets " + c.getName()).isNotNull();
        }
        store.save(o);
        assertThat(store.find(o.fireId())).contains(o);
        assertThat(store.page(A1, null, null, 10)).containsExactly(o);
        OccurrenceView skipped = occurrence(2, "skipped_paused");
        store.save(skipped);
        assertThat(store.find(skipped.fireId())).contains(skipped);
        assertThat(skipped.runId()).isNull();
    }

    @Test
    void oneRowPerFireIdTheLastSaveStands() {
        OccurrenceView paused = occurrence(1, "skipped_paused");
        OccurrenceView fired = occurrence(1, "fired");
        store.save(paused);
        store.save(paused);
        store.save(fired);
        assertThat(store.page(A1, null, null, 10)).containsExactly(fired);
        assertThat(store.page(A1, "skipped_paused", null, 10)).isEmpty();
        assertThat(store.page(A1, "fired", null, 10)).containsExactly(fired);
    }

    @Test
    void newestFirstByScheduledTimeTiesByFireIdDescending() {
        List<OccurrenceView> all = new ArrayList<>();
        for (int n : new int[]{2, 0, 3, 1}) {
            all.add(occurrence(A1, "schedule", n, "fired"));
            all.add(occurrence(A1, "t1", n, "missed")); // same instant, another source: a tie on scheduled_at
        }
        all.forEach(store::save);
        List<String> expected = new ArrayList<>();
        for (int n = 3; n >= 0; n--) {
            String a = occurrence(A1, "schedule", n, "fired").fireId();
            String b = occurrence(A1, "t1", n, "missed").fireId();
            expected.add(a.compareTo(b) > 0 ? a : b);
            expected.add(a.compareTo(b) > 0 ? b : a);
        }
        assertThat(fireIds(A1, null, null, 100)).containsExactlyElementsOf(expected);
        // a cursor in the middle of a tie continues with the other one of the tie
        OccurrenceView first = store.find(expected.get(0)).orElseThrow();
        assertThat(fireIds(A1, null, cursorAt(first), 3)).containsExactlyElementsOf(expected.subList(1, 4));
        assertThat(fireIds(A1, "missed", null, 100)).hasSize(4).allMatch(id -> id.contains("/t1/"));
    }

    @Test
    void showsOneAutomationOnly() {
        store.save(occurrence(A1, "schedule", 1, "fired"));
        store.save(occurrence(A2, "schedule", 1, "throttled"));
        assertThat(fireIds(A1, null, null, 10)).containsExactly(occurrence(A1, "schedule", 1, "fired").fireId());
        assertThat(fireIds(A2, null, null, 10)).containsExactly(occurrence(A2, "schedule", 1, "throttled").fireId());
    }

    @Test
    void keysetPaginationSeesEachOccurrenceOnceWhileOthersAreWritten() {
        for (int n = 0; n < 20; n++) {
            store.save(occurrence(n, "fired"));
        }
        List<String> seen = new ArrayList<>();
        Cursor cursor = null;
        int pages = 0;
        while (true) {
            List<OccurrenceView> page = store.page(A1, null, cursor, 3);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(o -> seen.add(o.fireId()));
            cursor = cursorAt(page.get(page.size() - 1));
            store.save(occurrence(100 + pages, "skipped_paused")); // newer ones arrive
            store.save(occurrence(A1, "t9", 19 - pages, "missed")); // ties of seen and unseen instants arrive
            pages++;
        }
        List<String> original = new ArrayList<>();
        for (int n = 19; n >= 0; n--) {
            original.add(occurrence(n, "fired").fireId());
        }
        assertThat(seen).doesNotHaveDuplicates().containsAll(original).containsSubsequence(original);
        assertThat(seen).noneMatch(id -> id.contains("T11:4") || id.contains("T11:5")); // none of the newer ones
    }

    @Test
    void deleteByAutomationAndClear() {
        store.save(occurrence(A1, "schedule", 1, "fired"));
        store.save(occurrence(A2, "schedule", 1, "fired"));
        store.deleteByAutomation(A1);
        assertThat(store.page(A1, null, null, 10)).isEmpty();
        assertThat(store.page(A2, null, null, 10)).hasSize(1);
        store.clear();
        assertThat(store.page(A2, null, null, 10)).isEmpty();
        store.save(occurrence(A2, "schedule", 1, "fired"));
        assertThat(store.page(A2, null, null, 10)).hasSize(1);
    }
}
