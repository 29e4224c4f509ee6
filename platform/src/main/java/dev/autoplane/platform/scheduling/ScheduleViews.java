package dev.autoplane.platform.scheduling;

import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.run.FireIds;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The schedule as the API shows it (both sides answer with this shape). */
public final class ScheduleViews {

    /** How many upcoming occurrences a view lists. */
    public static final int NEXT_RUN_TIMES = 5;

    private ScheduleViews() {
    }

    /**
     * {@code {cron|interval|at, timezone, start_time?, end, jitter_seconds, misfire_grace_seconds,
     * catch_up_policy, overlap_policy, enabled, summary, next_run_times, remaining_occurrences?}};
     * empty when the automation has no schedule. {@code next_run_times} is the schedule's calendar:
     * its next occurrences while it is enabled, whatever the automation's status (the automation's
     * {@code next_run_at} says when it will actually run); {@code remaining_occurrences} is omitted
     * when unbounded.
     */
    public static Optional<Map<String, Object>> of(SourceBook book) {
        Optional<SourceBook.Entry> found = book.get(FireIds.SCHEDULE);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SourceBook.Entry e = found.get();
        ScheduleSpec s = e.schedule();
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "cron", s.cron());
        put(m, "interval", s.interval());
        put(m, "at", s.at());
        m.put("timezone", s.timezone());
        put(m, "start_time", s.startTime());
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("type", s.end().type());
        put(end, "occurrences", s.end().occurrences());
        put(end, "date", s.end().date());
        m.put("end", end);
        m.put("jitter_seconds", s.jitterSeconds());
        m.put("misfire_grace_seconds", s.misfireGraceSeconds());
        m.put("catch_up_policy", s.catchUpPolicy());
        m.put("overlap_policy", s.overlapPolicy());
        m.put("enabled", e.enabled());
        TimeSource source = e.source();
        m.put("summary", source.summary());
        List<Instant> next = e.enabled() ? source.next(e.cursor(), e.count(), NEXT_RUN_TIMES) : List.of();
        m.put("next_run_times", next.stream().map(Instant::toString).toList());
        source.remaining(e.cursor(), e.count()).ifPresent(n -> m.put("remaining_occurrences", n));
        return Optional.of(m);
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value instanceof Instant i ? i.toString() : value);
        }
    }
}
