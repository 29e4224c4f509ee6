package dev.autoplane.platform.scheduling;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A 5-field Unix cron expression (or an {@code @hourly}-style macro) in an IANA time zone, parsed
 * by cron-utils. Occurrences are computed in the zone's local time and then placed on the
 * timeline with the rules users expect around daylight saving:
 * <ul>
 *   <li>a local time that falls in a spring-forward gap runs at the first instant after the gap;</li>
 *   <li>a local time that occurs twice in a fall-back overlap runs once, at its first instant;</li>
 *   <li>several local times mapping onto the same instant run once.</li>
 * </ul>
 * Pure and deterministic, no clock of its own: both sides use it (the engine, and the query side for
 * next_run_times).
 */
public final class CronSchedule {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final com.cronutils.descriptor.CronDescriptor DESCRIBER =
            com.cronutils.descriptor.CronDescriptor.instance(Locale.UK);
    /** Bound on the local steps one lookup may take (a yearly schedule inside a long gap still ends). */
    private static final int MAX_STEPS = 10_000;

    private final String expression;
    private final ZoneId zone;
    private final com.cronutils.model.Cron cron;
    private final ExecutionTime execution;

    private CronSchedule(String expression, ZoneId zone, com.cronutils.model.Cron cron) {
        this.expression = expression;
        this.zone = zone;
        this.cron = cron;
        this.execution = ExecutionTime.forCron(cron);
    }

    /**
     * Parsed schedules by expression and zone. A schedule is immutable, and parsing with cron-utils was a
     * tenth of a command's handling: every command that carries a schedule validates it, and every fold of
     * an automation's sources parses it again. Bounded; only expressions that parse are kept.
     */
    private static final com.github.benmanes.caffeine.cache.Cache<java.util.Map.Entry<String, ZoneId>, CronSchedule> PARSED =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(4_096).build();

    /** @throws IllegalArgumentException saying what is wrong with the expression */
    public static CronSchedule parse(String expression, ZoneId zone) {
        // an expression that does not parse throws out of the mapping, unwrapped, and is not kept
        return PARSED.get(java.util.Map.entry(expression, zone), key -> parseAnew(key.getKey(), key.getValue()));
    }

    private static CronSchedule parseAnew(String expression, ZoneId zone) {
        String expr = MACROS.getOrDefault(expression.trim().toLowerCase(Locale.ROOT), expression.trim());
        if (expr.split("\\s+").length != 5) {
            throw new IllegalArgumentException("a cron expression has 5 fields (minute hour day-of-month month day-of-week)");
        }
        return new CronSchedule(expression, zone, UNIX.parse(expr).validate());
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The expression in English (cron-utils' descriptor), capitalised: {@code At 09:00 every day between Monday and Friday}. */
    public String describe() {
        String text = DESCRIBER.describe(cron);
        return text.isEmpty() ? expression : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The first occurrence strictly after {@code after}, if there is one. */
    public Optional<Instant> nextAfter(Instant after) {
        ZoneRules rules = zone.getRules();
        // walk in local time, evaluated as if it were UTC, so that cron fields mean wall-clock values
        LocalDateTime cursor = after.atZone(zone).toLocalDateTime();
        // around a fall-back overlap the local clock repeats: start an hour earlier and let the timeline decide
        if (rules.getValidOffsets(cursor).size() > 1 || rules.getTransition(cursor.plusHours(1)) != null) {
            cursor = cursor.minusHours(2);
        }
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<ZonedDateTime> next = execution.nextExecution(cursor.atZone(ZoneOffset.UTC));
            if (next.isEmpty()) {
                return Optional.empty();
            }
            LocalDateTime local = next.get().toLocalDateTime();
            Instant instant = onTimeline(rules, local);
            if (instant.isAfter(after)) {
                return Optional.of(instant);
            }
            cursor = local;
        }
        return Optional.empty();
    }

    /** The next {@code count} occurrences strictly after {@code after}. */
    public List<Instant> next(Instant after, int count) {
        List<Instant> out = new ArrayList<>(count);
        Instant cursor = after;
        while (out.size() < count) {
            Optional<Instant> next = nextAfter(cursor);
            if (next.isEmpty()) {
                break;
            }
            out.add(next.get());
            cursor = next.get();
        }
        return out;
    }

    /** A local time's instant: in a gap, the end of the gap; in an overlap, the first of its two instants. */
    static Instant onTimeline(ZoneRules rules, LocalDateTime local) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = rules.getTransition(local);
            return gap.getInstant();
        }
        return local.toInstant(offsets.get(0));
    }
}
