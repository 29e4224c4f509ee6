package dev.autoplane.platform.scheduling;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Occurrences of cron schedules in IANA time zones, across daylight saving changes and calendar edges. */
class CronScheduleTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static Instant at(String zoned) {
        return ZonedDateTime.parse(zoned).toInstant();
    }

    @Test
    void weekdayMorningsInNewYork() {
        CronSchedule s = CronSchedule.parse("0 9 * * 1-5", NEW_YORK);
        assertThat(s.next(at("2026-03-06T10:00-05:00[America/New_York]"), 3)).containsExactly(
                at("2026-03-09T09:00-04:00[America/New_York]"),     // Monday, already daylight time
                at("2026-03-10T09:00-04:00[America/New_York]"),
                at("2026-03-11T09:00-04:00[America/New_York]"));
    }

    @Test
    void aTimeInTheSpringForwardGapRunsAtTheFirstInstantAfterIt() {
        // 2026-03-08: New York jumps from 02:00 to 03:00; 02:30 does not exist
        CronSchedule s = CronSchedule.parse("30 2 * * *", NEW_YORK);
        assertThat(s.next(at("2026-03-07T03:00-05:00[America/New_York]"), 2)).containsExactly(
                at("2026-03-08T03:00-04:00[America/New_York]"),
                at("2026-03-09T02:30-04:00[America/New_York]"));
    }

    @Test
    void severalTimesInTheGapRunOnce() {
        CronSchedule s = CronSchedule.parse("*/20 2 * * *", NEW_YORK);
        List<Instant> next = s.next(at("2026-03-08T01:00-05:00[America/New_York]"), 2);
        assertThat(next).containsExactly(at("2026-03-08T03:00-04:00[America/New_York]"),
                at("2026-03-09T02:00-04:00[America/New_York]"));
    }

    @Test
    void aTimeInTheFallBackOverlapRunsOnceAtItsFirstInstant() {
        // 2026-11-01: New York's 01:00–02:00 happens twice
        CronSchedule s = CronSchedule.parse("30 1 * * *", NEW_YORK);
        assertThat(s.next(at("2026-10-31T12:00-04:00[America/New_York]"), 2)).containsExactly(
                at("2026-11-01T01:30-04:00[America/New_York]"),     // EDT, the first 01:30
                at("2026-11-02T01:30-05:00[America/New_York]"));
        // asked from between the two 01:30s, the second one is not an occurrence
        assertThat(s.nextAfter(at("2026-11-01T01:45-04:00[America/New_York]")))
                .contains(at("2026-11-02T01:30-05:00[America/New_York]"));
    }

    @Test
    void hourlyThroughTheOverlapRunsEveryRealHourOnce() {
        CronSchedule s = CronSchedule.parse("@hourly", NEW_YORK);
        List<Instant> next = s.next(at("2026-11-01T00:30-04:00[America/New_York]"), 4);
        assertThat(next).containsExactly(
                at("2026-11-01T01:00-04:00[America/New_York]"),
                at("2026-11-01T02:00-05:00[America/New_York]"),     // the repeated 01:00 (EST) is skipped
                at("2026-11-01T03:00-05:00[America/New_York]"),
                at("2026-11-01T04:00-05:00[America/New_York]"));
    }

    @Test
    void berlinChangesOnOtherDays() {
        CronSchedule s = CronSchedule.parse("30 2 * * *", BERLIN);
        // 2026-03-29: Berlin jumps from 02:00 to 03:00
        assertThat(s.nextAfter(at("2026-03-28T12:00+01:00[Europe/Berlin]"))).contains(at("2026-03-29T03:00+02:00[Europe/Berlin]"));
        // 2026-10-25: Berlin's 02:00–03:00 happens twice
        assertThat(s.next(at("2026-10-24T12:00+02:00[Europe/Berlin]"), 2)).containsExactly(
                at("2026-10-25T02:30+02:00[Europe/Berlin]"), at("2026-10-26T02:30+01:00[Europe/Berlin]"));
    }

    @Test
    void leapDaysAndMonthEnds() {
        CronSchedule leap = CronSchedule.parse("0 12 29 2 *", ZoneId.of("UTC"));
        assertThat(leap.nextAfter(at("2026-01-01T00:00Z[UTC]"))).contains(at("2028-02-29T12:00Z[UTC]"));
        CronSchedule thirtyFirst = CronSchedule.parse("0 0 31 * *", ZoneId.of("UTC"));
        assertThat(thirtyFirst.next(at("2026-01-31T00:00Z[UTC]"), 3)).containsExactly(
                at("2026-03-31T00:00Z[UTC]"), at("2026-05-31T00:00Z[UTC]"), at("2026-07-31T00:00Z[UTC]"));
    }

    @Test
    void impossibleSchedulesEndAndBadExpressionsSayWhy() {
        assertThat(CronSchedule.parse("0 0 30 2 *", ZoneId.of("UTC")).nextAfter(at("2026-01-01T00:00Z[UTC]"))).isEmpty();
        assertThatThrownBy(() -> CronSchedule.parse("0 9 * *", NEW_YORK)).hasMessageContaining("5 fields");
        assertThatThrownBy(() -> CronSchedule.parse("61 9 * * *", NEW_YORK)).isInstanceOf(IllegalArgumentException.class);
    }
}
