package dev.autoplane.platform.scheduling;

import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.automation.ScheduleSpec.End;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeSourceTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private static ScheduleSpec cron(String expr, String zone, Instant start, End end, int jitter) {
        return new ScheduleSpec(expr, null, null, zone, start, end, jitter, 60, "skip", "allow");
    }

    private static ScheduleSpec interval(String every, Instant start, End end) {
        return new ScheduleSpec(null, every, null, "UTC", start, end, 0, 60, "skip", "allow");
    }

    @Test
    void intervalsCountFromTheStartTime() {
        TimeSource s = TimeSource.of(interval("15m", T0.plusSeconds(60), ScheduleSpec.NEVER), T0);
        assertThat(s.next(T0, 0, 3)).containsExactly(T0.plusSeconds(60), T0.plusSeconds(960), T0.plusSeconds(1860));
        // from inside the series, the next step of the same grid
        assertThat(s.next(T0.plusSeconds(61), 1)).contains(T0.plusSeconds(960));
        assertThat(s.next(T0.plusSeconds(960), 2)).contains(T0.plusSeconds(1860));
    }

    @Test
    void intervalsWithoutStartCountFromTheAnchor() {
        TimeSource s = TimeSource.of(interval("PT1H", null, ScheduleSpec.NEVER), T0);
        assertThat(s.next(T0, 0, 2)).containsExactly(T0.plusSeconds(3600), T0.plusSeconds(7200));
    }

    @Test
    void zeroIntervalsAreRefused() {
        assertThatThrownBy(() -> TimeSource.of(interval("0s", null, ScheduleSpec.NEVER), T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void afterOccurrencesEndsTheSeriesAndCountsWhatRemains() {
        TimeSource s = TimeSource.of(interval("1h", T0, new End("after_occurrences", 3, null)), T0);
        assertThat(s.next(T0.minusSeconds(1), 0, 10)).containsExactly(T0, T0.plusSeconds(3600), T0.plusSeconds(7200));
        assertThat(s.next(T0.plusSeconds(7200), 3)).isEmpty();
        assertThat(s.remaining(T0.plusSeconds(3600), 2)).hasValue(1);
    }

    @Test
    void onDateIncludesAnOccurrenceOnThatInstantAndNoneAfter() {
        TimeSource s = TimeSource.of(interval("1h", T0, new End("on_date", null, T0.plusSeconds(7200))), T0);
        assertThat(s.next(T0.minusSeconds(1), 0, 10)).containsExactly(T0, T0.plusSeconds(3600), T0.plusSeconds(7200));
        assertThat(s.remaining(T0.minusSeconds(1), 0)).hasValue(3);
    }

    @Test
    void cronStartsAtTheStartTime() {
        TimeSource s = TimeSource.of(cron("0 9 * * *", "Europe/Berlin", Instant.parse("2026-03-10T00:00:00Z"),
                ScheduleSpec.NEVER, 0), T0);
        assertThat(s.next(T0, 0)).contains(Instant.parse("2026-03-10T08:00:00Z"));
    }

    @Test
    void atFiresOnce() {
        Instant at = Instant.parse("2026-04-01T12:00:00Z");
        TimeSource s = TimeSource.of(new ScheduleSpec(null, null, at, "UTC", null, ScheduleSpec.NEVER, 0, 60, "skip",
                "allow"), T0);
        assertThat(s.next(T0, 0, 5)).containsExactly(at);
        assertThat(s.remaining(T0, 0)).hasValue(1);
        assertThat(s.remaining(at, 1)).hasValue(0);
    }

    @Test
    void jitterIsDeterministicAndBounded() {
        TimeSource s = TimeSource.of(cron("* * * * *", "UTC", null, ScheduleSpec.NEVER, 30), T0);
        for (Instant n : s.next(T0, 0, 200)) {
            Instant due = s.dueAt("a1", "schedule", n);
            assertThat(due).isBetween(n, n.plusSeconds(30)).isEqualTo(s.dueAt("a1", "schedule", n));
        }
        List<Instant> dues = s.next(T0, 0, 200).stream().map(n -> s.dueAt("a1", "schedule", n)).toList();
        assertThat(dues.stream().map(d -> d.getEpochSecond() % 60).distinct().count()).isGreaterThan(10);
    }

    @Test
    void dueListsWhatHasComeDueInOrder() {
        TimeSource s = TimeSource.of(cron("*/10 * * * *", "UTC", null, ScheduleSpec.NEVER, 0), T0);
        assertThat(s.due("a", "schedule", T0, 0, T0.plusSeconds(1800), 100))
                .containsExactly(T0.plusSeconds(600), T0.plusSeconds(1200), T0.plusSeconds(1800));
        assertThat(s.due("a", "schedule", T0, 0, T0.plusSeconds(1800), 2)).hasSize(2);
        assertThat(s.due("a", "schedule", T0, 0, T0.plusSeconds(599), 100)).isEmpty();
    }

    @Test
    void summariesNameTheZoneAndTheEnd() {
        assertThat(TimeSource.of(cron("0 9 * * 1-5", "America/New_York", null, ScheduleSpec.NEVER, 0), T0).summary())
                .contains("09:00").contains("Monday").contains("Friday").endsWith("(America/New_York)");
        assertThat(TimeSource.of(interval("15m", null, new End("after_occurrences", 4, null)), T0).summary())
                .startsWith("Every 15 minutes").endsWith("4 times");
    }

    @Test
    void triggersBecomeSources() {
        var cronTrigger = new TriggerSpec("t1", "cron", Map.of("schedule", "@hourly", "timezone", "UTC"), null, null,
                "MAIN", null, null, true);
        assertThat(TimeSource.ofTrigger(cronTrigger, T0).orElseThrow().next(T0, 0)).contains(T0.plusSeconds(3600));
        var api = new TriggerSpec("t2", "api", Map.of(), null, null, "MAIN", null, null, true);
        assertThat(TimeSource.ofTrigger(api, T0)).isEmpty();
    }
}
