package dev.autoplane.platform.scheduling;

import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.run.FireIds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The time sources of one automation (its schedule and its cron / interval / at triggers) and how
 * far each has come. One fold of the automation's events, shared by the aggregate (which decides
 * fires), the engine's due index and the query side (next_run_at, next_run_times), so that all of
 * them place occurrences the same way:
 * <ul>
 *   <li>the schedule's cursor and count come with {@code AutomationScheduleSetEvent};</li>
 *   <li>a trigger counts from the instant of the event that added it (or changed its timing);</li>
 *   <li>an occurrence event of a source whose instant lies after its cursor advances the cursor and the count.</li>
 * </ul>
 * Not thread-safe; plain mutable state, like the aggregate that holds it.
 */
public final class SourceBook {

    /** One source: its timing, whether it is switched on, and the last occurrence accounted for. */
    public record Entry(String sourceId, String triggerType, TimeSource source, Object spec, boolean enabled,
                        Instant anchor, Instant cursor, long count) {

        public Optional<Instant> next() {
            return source.next(cursor, count);
        }

        Entry advancedTo(Instant scheduledAt) {
            return scheduledAt.isAfter(cursor)
                    ? new Entry(sourceId, triggerType, source, spec, enabled, anchor, scheduledAt, count + 1) : this;
        }

        Entry enabled(boolean on) {
            return new Entry(sourceId, triggerType, source, spec, on, anchor, cursor, count);
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public Optional<Entry> get(String sourceId) {
        return Optional.ofNullable(entries.get(sourceId));
    }

    public Collection<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<ScheduleSpec> schedule() {
        return get(FireIds.SCHEDULE).map(e -> (ScheduleSpec) e.spec());
    }

    // --- the events, folded

    public void scheduleSet(ScheduleSpec spec, boolean enabled, Instant cursor, long count, Instant at) {
        entries.put(FireIds.SCHEDULE, new Entry(FireIds.SCHEDULE, "schedule", TimeSource.of(spec, at), spec, enabled,
                at, cursor, count));
    }

    public void scheduleRemoved() {
        entries.remove(FireIds.SCHEDULE);
    }

    public void scheduleEnabled(boolean on) {
        entries.computeIfPresent(FireIds.SCHEDULE, (k, e) -> e.enabled(on));
    }

    /**
     * The automation's triggers as they are after {@code at}: new time triggers (or ones whose
     * timing changed) count from {@code at}; unchanged ones keep their cursor; removed ones go.
     */
    public void triggersAre(List<TriggerSpec> triggers, Instant at) {
        Map<String, Entry> kept = new LinkedHashMap<>();
        for (TriggerSpec t : triggers == null ? List.<TriggerSpec>of() : triggers) {
            if (t.id() == null) {
                continue;
            }
            Entry old = entries.get(t.id());
            boolean sameTiming = old != null && old.spec() instanceof TriggerSpec o
                    && Objects.equals(o.type(), t.type()) && Objects.equals(o.config(), t.config());
            if (sameTiming) {
                kept.put(t.id(), new Entry(t.id(), t.type(), old.source(), t, t.enabled(), old.anchor(), old.cursor(),
                        old.count()));
            } else {
                TimeSource.ofTrigger(t, at).ifPresent(source ->
                        kept.put(t.id(), new Entry(t.id(), t.type(), source, t, t.enabled(), at, at, 0)));
            }
        }
        entries.keySet().removeIf(id -> !id.equals(FireIds.SCHEDULE));
        entries.putAll(kept);
    }

    /** An occurrence of {@code sourceId} at {@code scheduledAt} was accounted for (fired or not). */
    public void occurred(String sourceId, Instant scheduledAt) {
        if (sourceId != null) {
            entries.computeIfPresent(sourceId, (k, e) -> e.advancedTo(scheduledAt));
        }
    }

    // --- questions

    /** The earliest next occurrence over the enabled sources. */
    public Optional<Instant> nextRunAt() {
        Instant best = null;
        for (Entry e : entries.values()) {
            if (!e.enabled()) {
                continue;
            }
            Optional<Instant> next = e.next();
            if (next.isPresent() && (best == null || next.get().isBefore(best))) {
                best = next.get();
            }
        }
        return Optional.ofNullable(best);
    }

    /** The next {@code n} occurrences of one source. */
    public List<Instant> nextRunTimes(String sourceId, int n) {
        Entry e = entries.get(sourceId);
        return e == null ? new ArrayList<>() : e.source().next(e.cursor(), e.count(), n);
    }

    /** A copy, for code that must not disturb the original. */
    public SourceBook copy() {
        SourceBook b = new SourceBook();
        b.entries.putAll(entries);
        return b;
    }
}
