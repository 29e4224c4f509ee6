package dev.autoplane.query.schedules;

import dev.autoplane.query.StoreContract;
import dev.autoplane.platform.scheduling.SourceBook;
import dev.autoplane.events.automation.AutomationSettings.FireLimit;
import dev.autoplane.events.automation.AutomationSettings.RetryPolicy;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.query.TestViews;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ScheduleStore} adapter must do (H2, PostgreSQL, MongoDB wire). */
class ScheduleStoreTest extends StoreContract<ScheduleStore> {

    static final Instant T = Instant.parse("2026-03-02T08:00:00.123456789Z");

    @Override
    protected ScheduleStore newStore() {
        return emptyStore("automation_schedule", JdbcScheduleStore::new, MongoScheduleStore::new);
    }

    static ScheduleBook book(String automation, long version) {
        ScheduleSpec spec = new ScheduleSpec("0 9 * * 1-5", null, null, "Europe/Berlin", T,
                new ScheduleSpec.End("on_date", null, T.plusSeconds(86_400 * 30)), 30, 120, "fire_all", "cancel_other");
        TriggerSpec trigger = new TriggerSpec("t1", "interval", TestViews.json("{\"every\": \"15m\", \"n\": 12345678901234567890}"),
                "push", "true", "PRE", new FireLimit(5, "1h"), new RetryPolicy("fixed", 2, "30s"), false);
        return new ScheduleBook(automation, WS, version, new SourceBook.State(List.of(
                new SourceBook.Entry("schedule", "schedule", spec, null, true, T, T.plusSeconds(60), 7),
                new SourceBook.Entry("t1", "interval", null, trigger, false, T, T.plusSeconds(900), 1)), "paused", false, true));
    }

    @Test
    void roundTripsEveryField() {
        ScheduleBook b = book(A1, 4);
        store.save(b);
        assertThat(store.find(A1)).contains(b);
        assertThat(store.find(A2)).isEmpty();
    }

    @Test
    void aLowerOrEqualVersionDoesNotOverwrite() {
        store.save(book(A1, 4));
        ScheduleBook empty = new ScheduleBook(A1, WS, 4, null);
        store.save(empty);
        store.save(new ScheduleBook(A1, WS, 3, null));
        assertThat(store.find(A1)).contains(book(A1, 4));
        ScheduleBook newer = new ScheduleBook(A1, WS, 5, null);
        store.save(newer);
        assertThat(store.find(A1)).contains(newer);
    }

    @Test
    void deleteAndClear() {
        store.save(book(A1, 1));
        store.save(book(A2, 1));
        store.delete(A1);
        assertThat(store.find(A1)).isEmpty();
        assertThat(store.find(A2)).isPresent();
        store.clear();
        assertThat(store.find(A2)).isEmpty();
        store.save(book(A2, 0));
        assertThat(store.find(A2)).contains(book(A2, 0));
    }
}
