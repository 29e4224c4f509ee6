package dev.autoplane.command.automation;

import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.automation.ScheduleSpec.End;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.platform.scheduling.TimeSource;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The schedule's fields (API.md "Schedule"): their types, limits and cross-field rules, for PUT
 * (over the defaults) and PATCH (over the current schedule). Reports every violation at once.
 * In a PATCH, giving one of {@code cron}, {@code interval}, {@code at} replaces the other two.
 */
final class ScheduleFields {

    static final Set<String> TIMING = Set.of("cron", "interval", "at");
    static final Set<String> WRITABLE = Set.of("cron", "interval", "at", "timezone", "start_time", "end",
            "jitter_seconds", "misfire_grace_seconds", "catch_up_policy", "overlap_policy");
    static final Set<String> READ_ONLY = Set.of("enabled", "summary", "next_run_times", "remaining_occurrences");
    static final Set<String> END_TYPES = Set.of("never", "after_occurrences", "on_date");
    static final int MAX_JITTER_SECONDS = 3_600;

    private ScheduleFields() {
    }

    /**
     * @param current the schedule now, or {@code null}
     * @param replace PUT (the body is the whole schedule) rather than PATCH
     * @param now     when the change is made: a schedule must still have an occurrence after it
     */
    static ScheduleSpec bind(ScheduleSpec current, Map<String, Object> body, boolean replace, Instant now) {
        FieldReader r = new FieldReader();
        Map<String, Object> f = body == null ? Map.of() : body;
        for (String key : f.keySet()) {
            if (READ_ONLY.contains(key)) {
                r.fail(key, "is read-only");
            } else if (!WRITABLE.contains(key)) {
                r.fail(key, "unknown field");
            }
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        if (!replace && current != null) {
            merged.putAll(asFields(current));
            if (f.keySet().stream().anyMatch(TIMING::contains)) {
                TIMING.forEach(merged::remove);
            }
        }
        merged.putAll(f);

        String cron = null;
        String interval = null;
        Instant at = null;
        long timings = TIMING.stream().filter(k -> merged.get(k) != null).count();
        if (timings != 1) {
            r.fail("cron", timings == 0 ? "give one of cron, interval or at" : "give only one of cron, interval or at");
        }
        if (merged.get("cron") != null) {
            cron = r.line("cron", merged.get("cron"), 200);
            if (cron != null) {
                String problem = AutomationFields.cronProblem(cron);
                if (problem != null) {
                    r.fail("cron", problem);
                }
            }
        }
        if (merged.get("interval") != null) {
            Duration every = r.duration("interval", merged.get("interval"));
            if (every != null && every.compareTo(Duration.ofSeconds(1)) < 0) {
                r.fail("interval", "must be at least 1 second");
            } else if (every != null) {
                interval = (String) merged.get("interval");
            }
        }
        if (merged.get("at") != null) {
            at = r.timestamp("at", merged.get("at"));
            if (at != null && !at.isAfter(now)) {
                r.fail("at", "must be in the future");
            }
        }
        String zone = "UTC";
        if (merged.get("timezone") != null) {
            zone = r.line("timezone", merged.get("timezone"), 64);
            if (zone != null && !AutomationFields.isZone(zone)) {
                r.fail("timezone", "'" + zone + "' is not an IANA time zone (for example Europe/Berlin or UTC)");
                zone = null;
            }
        }
        Instant start = merged.get("start_time") == null ? null : r.timestamp("start_time", merged.get("start_time"));
        End end = end(r, merged.get("end"));
        Integer jitter = merged.get("jitter_seconds") == null ? Integer.valueOf(0)
                : r.integer("jitter_seconds", merged.get("jitter_seconds"), 0, MAX_JITTER_SECONDS);
        Integer grace = merged.get("misfire_grace_seconds") == null ? Integer.valueOf(60)
                : r.integer("misfire_grace_seconds", merged.get("misfire_grace_seconds"), 0, 86_400);
        String catchUp = merged.get("catch_up_policy") == null ? "skip"
                : r.oneOf("catch_up_policy", merged.get("catch_up_policy"), AutomationFields.CATCH_UP);
        String overlap = merged.get("overlap_policy") == null ? "allow"
                : r.oneOf("overlap_policy", merged.get("overlap_policy"), AutomationFields.OVERLAP);

        if (end != null && "on_date".equals(end.type()) && end.date() != null) {
            if (start != null && !end.date().isAfter(start)) {
                r.fail("end.date", "must be after start_time");
            } else if (!end.date().isAfter(now)) {
                r.fail("end.date", "must be in the future");
            }
        }
        if (!r.ok()) {
            throw DomainException.invalid(r.violations);
        }
        ScheduleSpec spec = new ScheduleSpec(cron, interval, at, zone, start, end, jitter, grace, catchUp, overlap);
        TimeSource source = TimeSource.of(spec, now);
        if (source.next(now, 0).isEmpty()) {
            throw DomainException.invalid(cron != null ? "cron" : "end", cron != null
                    ? "this schedule never occurs after now (for example, 30 February does not exist)"
                    : "this schedule has no occurrence after now");
        }
        return spec;
    }

    private static End end(FieldReader r, Object value) {
        if (value == null) {
            return ScheduleSpec.NEVER;
        }
        Map<String, Object> m = r.object("end", value);
        if (m == null) {
            return null;
        }
        for (String key : m.keySet()) {
            if (!Set.of("type", "occurrences", "date").contains(key)) {
                r.fail("end." + key, "unknown field");
            }
        }
        String type = m.get("type") == null ? null : r.oneOf("end.type", m.get("type"), END_TYPES);
        if (m.get("type") == null) {
            r.fail("end.type", "is required (never, after_occurrences or on_date)");
            return null;
        }
        if (type == null) {
            return null;
        }
        switch (type) {
            case "after_occurrences" -> {
                if (m.get("date") != null) {
                    r.fail("end.date", "only goes with type on_date");
                }
                if (m.get("occurrences") == null) {
                    r.fail("end.occurrences", "is required with type after_occurrences");
                    return null;
                }
                Integer n = r.integer("end.occurrences", m.get("occurrences"), 1, 1_000_000);
                return n == null ? null : new End(type, n, null);
            }
            case "on_date" -> {
                if (m.get("occurrences") != null) {
                    r.fail("end.occurrences", "only goes with type after_occurrences");
                }
                if (m.get("date") == null) {
                    r.fail("end.date", "is required with type on_date");
                    return null;
                }
                Instant date = r.timestamp("end.date", m.get("date"));
                return date == null ? null : new End(type, null, date);
            }
            default -> {
                if (m.get("occurrences") != null || m.get("date") != null) {
                    r.fail("end", "type never takes no occurrences or date");
                }
                return ScheduleSpec.NEVER;
            }
        }
    }

    /** A spec as the JSON fields it came from (for PATCH over it). */
    static Map<String, Object> asFields(ScheduleSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "cron", s.cron());
        put(m, "interval", s.interval());
        put(m, "at", s.at() == null ? null : s.at().toString());
        put(m, "timezone", s.timezone());
        put(m, "start_time", s.startTime() == null ? null : s.startTime().toString());
        if (s.end() != null) {
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("type", s.end().type());
            put(end, "occurrences", s.end().occurrences());
            put(end, "date", s.end().date() == null ? null : s.end().date().toString());
            m.put("end", end);
        }
        m.put("jitter_seconds", s.jitterSeconds());
        m.put("misfire_grace_seconds", s.misfireGraceSeconds());
        m.put("catch_up_policy", s.catchUpPolicy());
        m.put("overlap_policy", s.overlapPolicy());
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
