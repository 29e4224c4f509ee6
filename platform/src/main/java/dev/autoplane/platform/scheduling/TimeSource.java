package dev.autoplane.platform.scheduling;

import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.automation.ScheduleSpec.End;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * When a time-based source fires: the singleton schedule, or a {@code cron}, {@code interval} or
 * {@code at} trigger. Pure and deterministic: every method takes the cursor (the last instant
 * accounted for) and the number of occurrences that came due so far, and answers the nominal
 * occurrence instants after it, honouring {@code start_time} and the end condition.
 * <ul>
 *   <li>cron: the expression's times in the zone (daylight-saving rules in {@link CronSchedule}) at or after the start;</li>
 *   <li>interval: {@code start + k × every}, k ≥ 0;</li>
 *   <li>at: that one instant;</li>
 *   <li>jitter moves an occurrence's due time by 0..jitter seconds, derived from its fire id.</li>
 * </ul>
 */
public final class TimeSource {

    /** Bound on how many occurrences one question may enumerate. */
    public static final int MAX_SCAN = 100_000;

    private final String type;
    private final CronSchedule cron;
    private final Duration every;
    private final Instant at;
    private final ZoneId zone;
    private final Instant start;
    private final End end;
    private final int jitterSeconds;

    private TimeSource(String type, CronSchedule cron, Duration every, Instant at, ZoneId zone, Instant start,
                       End end, int jitterSeconds) {
        this.type = type;
        this.cron = cron;
        this.every = every;
        this.at = at;
        this.zone = zone;
        this.start = start;
        this.end = end == null ? ScheduleSpec.NEVER : end;
        this.jitterSeconds = Math.max(0, jitterSeconds);
    }

    /**
     * The schedule's source. {@code anchor} is where an interval without {@code start_time} starts
     * counting (when the schedule was set).
     *
     * @throws IllegalArgumentException if the spec is not valid (validation should have caught it)
     */
    public static TimeSource of(ScheduleSpec spec, Instant anchor) {
        ZoneId zone = ZoneId.of(spec.timezone() == null ? "UTC" : spec.timezone());
        if (spec.cron() != null) {
            return new TimeSource("cron", CronSchedule.parse(spec.cron(), zone), null, null, zone, spec.startTime(),
                    spec.end(), spec.jitterSeconds());
        }
        if (spec.interval() != null) {
            Duration every = positive(spec.interval());
            return new TimeSource("interval", null, every, null, zone,
                    spec.startTime() == null ? anchor : spec.startTime(), spec.end(), spec.jitterSeconds());
        }
        if (spec.at() != null) {
            return new TimeSource("at", null, null, spec.at(), zone, spec.startTime(), spec.end(), spec.jitterSeconds());
        }
        throw new IllegalArgumentException("a schedule needs one of cron, interval or at");
    }

    /** A time-based trigger's source, or empty for webhook and api triggers. */
    public static Optional<TimeSource> ofTrigger(TriggerSpec trigger, Instant anchor) {
        Map<String, Object> c = trigger.config() == null ? Map.of() : trigger.config();
        return switch (trigger.type()) {
            case "cron" -> {
                ZoneId zone = ZoneId.of(c.get("timezone") == null ? "UTC" : c.get("timezone").toString());
                yield Optional.of(new TimeSource("cron", CronSchedule.parse(c.get("schedule").toString(), zone), null,
                        null, zone, null, null, 0));
            }
            case "interval" -> {
                Instant from = c.get("start_time") == null ? anchor
                        : OffsetDateTime.parse(c.get("start_time").toString()).toInstant();
                yield Optional.of(new TimeSource("interval", null, positive(c.get("every").toString()), null,
                        ZoneOffset.UTC, from, null, 0));
            }
            case "at" -> Optional.of(new TimeSource("at", null, null,
                    OffsetDateTime.parse(c.get("at").toString()).toInstant(), ZoneOffset.UTC, null, null, 0));
            default -> Optional.empty();
        };
    }

    private static Duration positive(String text) {
        Duration d = Durations.parse(text).orElseThrow(() -> new IllegalArgumentException("not a duration: " + text));
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("an interval must be at least 1 second");
        }
        return d;
    }

    public String type() {
        return type;
    }

    /** The first nominal occurrence strictly after {@code cursor}, or empty once the source has ended. */
    public Optional<Instant> next(Instant cursor, long countSoFar) {
        if (end.type().equals("after_occurrences") && end.occurrences() != null && countSoFar >= end.occurrences()) {
            return Optional.empty();
        }
        Instant after = cursor;
        if (start != null && !start.isAfter(Instant.MAX.minusSeconds(1)) && after.isBefore(start)) {
            after = start.minusNanos(1);
        }
        Optional<Instant> next = switch (type) {
            case "cron" -> cron.nextAfter(after);
            case "interval" -> Optional.of(nextInterval(after));
            default -> at.isAfter(after) ? Optional.of(at) : Optional.empty();
        };
        if (next.isPresent() && end.type().equals("on_date") && end.date() != null && next.get().isAfter(end.date())) {
            return Optional.empty();
        }
        return next;
    }

    private Instant nextInterval(Instant after) {
        if (after.isBefore(start)) {
            return start;
        }
        long everyMs = every.toMillis();
        long k = Math.floorDiv(Duration.between(start, after).toMillis(), everyMs) + 1;
        Instant candidate = start.plusMillis(k * everyMs);
        return candidate.isAfter(after) ? candidate : candidate.plusMillis(everyMs);
    }

    /** The next {@code n} nominal occurrences after {@code cursor}. */
    public List<Instant> next(Instant cursor, long countSoFar, int n) {
        List<Instant> out = new ArrayList<>(n);
        Instant c = cursor;
        long count = countSoFar;
        while (out.size() < n) {
            Optional<Instant> next = next(c, count);
            if (next.isEmpty()) {
                break;
            }
            out.add(next.get());
            c = next.get();
            count++;
        }
        return out;
    }

    /**
     * The nominal occurrences after {@code cursor} whose due time (with jitter) has come by
     * {@code now}, oldest first, at most {@code max}. Delivered in nominal order: one not yet due
     * holds back the later ones.
     */
    public List<Instant> due(String automationId, String sourceId, Instant cursor, long countSoFar, Instant now,
                             int max) {
        List<Instant> out = new ArrayList<>();
        Instant c = cursor;
        long count = countSoFar;
        while (out.size() < max) {
            Optional<Instant> next = next(c, count);
            if (next.isEmpty() || dueAt(automationId, sourceId, next.get()).isAfter(now)) {
                break;
            }
            out.add(next.get());
            c = next.get();
            count++;
        }
        return out;
    }

    /** When the occurrence at {@code nominal} is due: {@code nominal} plus its deterministic jitter. */
    public Instant dueAt(String automationId, String sourceId, Instant nominal) {
        if (jitterSeconds == 0) {
            return nominal;
        }
        byte[] h = sha256(dev.autoplane.events.run.FireIds.of(automationId, sourceId, nominal));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xFFL);
        }
        return nominal.plusSeconds(Math.floorMod(v, jitterSeconds + 1L));
    }

    /** How many occurrences remain: known for {@code after_occurrences}, counted (bounded) for {@code at} and {@code on_date}. */
    public OptionalLong remaining(Instant cursor, long countSoFar) {
        if (end.type().equals("after_occurrences") && end.occurrences() != null) {
            return OptionalLong.of(Math.max(0, end.occurrences() - countSoFar));
        }
        if (type.equals("at") || end.type().equals("on_date")) {
            int n = next(cursor, countSoFar, MAX_SCAN).size();
            return n < MAX_SCAN ? OptionalLong.of(n) : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** A human sentence, e.g. {@code At 09:00, Monday through Friday (America/New_York)}. */
    public String summary() {
        String what = switch (type) {
            case "cron" -> cron.describe();
            case "interval" -> "Every " + Durations.humanize(every) + (start == null ? "" : ", counted from " + start);
            default -> "Once, at " + at;
        };
        StringBuilder s = new StringBuilder(what).append(" (").append(zone.getId()).append(')');
        if (!type.equals("interval") && start != null) {
            s.append(", from ").append(start);
        }
        switch (end.type()) {
            case "after_occurrences" -> s.append(", ").append(end.occurrences())
                    .append(end.occurrences() == 1 ? " time" : " times");
            case "on_date" -> s.append(", until ").append(end.date());
            default -> { }
        }
        if (jitterSeconds > 0) {
            s.append(", each up to ").append(jitterSeconds).append(" s late (jitter)");
        }
        return s.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
