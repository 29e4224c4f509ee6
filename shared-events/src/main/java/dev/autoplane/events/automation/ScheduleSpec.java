package dev.autoplane.events.automation;

import java.time.Instant;

/**
 * An automation's singleton schedule (API.md "Schedule"): exactly one of {@code cron},
 * {@code interval} or {@code at}, in an IANA {@code timezone}, from {@code startTime} until
 * {@code end}, each occurrence moved by a deterministic jitter of at most {@code jitterSeconds},
 * with its own misfire and overlap policies. Whether it is enabled is not part of the spec: it is
 * switched by its own events.
 */
public record ScheduleSpec(
        String cron,
        String interval,
        Instant at,
        String timezone,
        Instant startTime,
        End end,
        int jitterSeconds,
        int misfireGraceSeconds,
        String catchUpPolicy,
        String overlapPolicy) {

    public static final End NEVER = new End("never", null, null);

    /** {@code never}, {@code after_occurrences} ({@code occurrences}) or {@code on_date} ({@code date}). */
    public record End(String type, Integer occurrences, Instant date) {
    }

    /** Whether another spec places occurrences differently (not just policies or jitter). */
    public boolean timingDiffers(ScheduleSpec other) {
        return other == null || !java.util.Objects.equals(cron, other.cron)
                || !java.util.Objects.equals(interval, other.interval) || !java.util.Objects.equals(at, other.at)
                || !java.util.Objects.equals(timezone, other.timezone)
                || !java.util.Objects.equals(startTime, other.startTime) || !java.util.Objects.equals(end, other.end);
    }
}
