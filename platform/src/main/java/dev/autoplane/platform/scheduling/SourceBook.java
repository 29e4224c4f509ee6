package dev.autoplane.platform.scheduling;

import dev.autoplane.events.automation.AutomationEvents;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.ScheduleEvents;
import dev.autoplane.events.run.RunEvents;
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
    public record Entry(String sourceId, String triggerType, ScheduleSpec schedule, TriggerSpec trigger,
                        boolean enabled, Instant anchor, Instant cursor, long count) {

        /** The timing (derived from the spec each time: plain data is what the aggregate keeps and snapshots). */
        public TimeSource source() {
            return schedule != null ? TimeSource.of(schedule, anchor) : TimeSource.ofTrigger(trigger, anchor).orElseThrow();
        }

        public Optional<Instant> next() {
            return source().next(cursor, count);
        }

        Entry advancedTo(Instant scheduledAt) {
            return scheduledAt.isAfter(cursor)
                    ? new Entry(sourceId, triggerType, schedule, trigger, enabled, anchor, scheduledAt, count + 1) : this;
        }

        Entry enabled(boolean on) {
            return new Entry(sourceId, triggerType, schedule, trigger, on, anchor, cursor, count);
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** {@code draft}, {@code pending_approval}, {@code active}, {@code paused}, {@code rejected}. */
    private String status = "draft";
    private boolean deleted;
    private boolean automationEnabled = true;

    /**
     * Folds one event of the automation. Occurrences count only while the automation is live
     * (active or paused, not deleted, enabled): when it becomes live again, every source's cursor
     * moves to that instant, so the time it spent as a draft, pending approval, rejected, deleted
     * or disabled is not delivered as a backlog. (A disabled schedule re-enabled is different: its
     * catch-up policy applies to what it missed.)
     */
    public void apply(Object event) {
        Fold fold = FOLDS.get(event.getClass());
        if (fold == null) {
            return;
        }
        boolean wasLive = isLive();
        Instant at = fold.apply(this, event);
        if (!wasLive && isLive() && at != null) {
            startCountingAt(at);
        }
    }

    /** Whether {@link #apply} can change a book with this event: any other event leaves every book as it was. */
    public static boolean folds(Object event) {
        return FOLDS.containsKey(event.getClass());
    }

    /** How one event type changes a book; answers the instant counting starts from if the book becomes live, else null. */
    @FunctionalInterface
    private interface Fold {
        Instant apply(SourceBook book, Object event);
    }

    /** Every event a book folds, and how: the one list both {@link #apply} and {@link #folds} read. */
    private static final Map<Class<?>, Fold> FOLDS = Map.ofEntries(
            fold(AutomationEvents.AutomationCreatedEvent.class, (b, e) -> {
                b.automationEnabled = e.settings().enabled();
                b.triggersAre(e.settings().triggers(), e.createdAt());
                return null;
            }),
            fold(AutomationEvents.AutomationSettingsChangedEvent.class, (b, e) -> {
                b.automationEnabled = e.settings().enabled();
                b.triggersAre(e.settings().triggers(), e.changedAt());
                return e.changedAt();
            }),
            fold(AutomationEvents.AutomationPublishedEvent.class, (b, e) -> {
                b.configCronIs(e.definition(), e.publishedAt());
                return null;
            }),
            fold(AutomationEvents.AutomationSubmittedEvent.class, (b, e) -> b.status("pending_approval", null)),
            fold(AutomationEvents.AutomationApprovedEvent.class, (b, e) -> b.status("active", e.approvedAt())),
            fold(AutomationEvents.AutomationRejectedEvent.class, (b, e) -> b.status("rejected", null)),
            fold(AutomationEvents.AutomationReturnedToDraftEvent.class, (b, e) -> b.status("draft", null)),
            fold(AutomationEvents.AutomationPausedEvent.class, (b, e) -> b.status("paused", null)),
            fold(AutomationEvents.AutomationResumedEvent.class, (b, e) -> b.status("active", null)),
            fold(AutomationEvents.AutomationDeletedEvent.class, (b, e) -> {
                b.deleted = true;
                return null;
            }),
            fold(AutomationEvents.AutomationUndeletedEvent.class, (b, e) -> {
                b.deleted = false;
                return e.undeletedAt();
            }),
            fold(ScheduleEvents.AutomationScheduleSetEvent.class, (b, e) -> {
                b.scheduleSet(e.schedule(), e.enabled(), e.cursor(), e.occurrencesSoFar(), e.setAt());
                return null;
            }),
            fold(ScheduleEvents.AutomationScheduleRemovedEvent.class, (b, e) -> {
                b.scheduleRemoved();
                return null;
            }),
            fold(ScheduleEvents.AutomationScheduleEnabledEvent.class, (b, e) -> {
                b.scheduleEnabled(true);
                return null;
            }),
            fold(ScheduleEvents.AutomationScheduleDisabledEvent.class, (b, e) -> {
                b.scheduleEnabled(false);
                return null;
            }),
            fold(RunEvents.JobFiredEvent.class, (b, e) -> {
                if (SourceBook.COUNTED_SOURCES.contains(e.source())) {
                    b.occurred(e.sourceId(), e.scheduledAt());
                }
                return null;
            }),
            fold(RunEvents.OccurrenceSkippedEvent.class, (b, e) -> {
                b.occurred(e.sourceId(), e.scheduledAt());
                return null;
            }));

    private static <E> Map.Entry<Class<?>, Fold> fold(Class<E> type, java.util.function.BiFunction<SourceBook, E, Instant> how) {
        return Map.entry(type, (book, event) -> how.apply(book, type.cast(event)));
    }

    private Instant status(String status, Instant at) {
        this.status = status;
        return at;
    }

    /** Fires whose source is one of these advance the source's cursor (backfills and manual fires do not). */
    public static final java.util.Set<String> COUNTED_SOURCES = java.util.Set.of("schedule", "catch_up", "buffered");

    /** Active or paused, not deleted, enabled: its occurrences come due (a paused one records them as skipped). */
    public boolean isLive() {
        return (status.equals("active") || status.equals("paused")) && !deleted && automationEnabled;
    }

    /** Whether its occurrences run (live and not paused): what {@code next_run_at} means. */
    public boolean runs() {
        return isLive() && status.equals("active");
    }

    private void startCountingAt(Instant at) {
        entries.replaceAll((id, e) -> e.cursor().isBefore(at)
                ? new Entry(e.sourceId(), e.triggerType(), e.schedule(), e.trigger(), e.enabled(), e.anchor(), at, e.count())
                : e);
    }

    public Optional<Entry> get(String sourceId) {
        return Optional.ofNullable(entries.get(sourceId));
    }

    public Collection<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<ScheduleSpec> schedule() {
        return get(FireIds.SCHEDULE).map(Entry::schedule);
    }

    // --- the events, folded

    public void scheduleSet(ScheduleSpec spec, boolean enabled, Instant cursor, long count, Instant at) {
        TimeSource.of(spec, at); // fails here, not later, if the spec cannot place occurrences
        entries.put(FireIds.SCHEDULE, new Entry(FireIds.SCHEDULE, "schedule", spec, null, enabled, at, cursor, count));
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
            TriggerSpec o = old == null ? null : old.trigger();
            boolean sameTiming = o != null && Objects.equals(o.type(), t.type()) && Objects.equals(o.config(), t.config());
            if (sameTiming) {
                kept.put(t.id(), new Entry(t.id(), t.type(), null, t, t.enabled(), old.anchor(), old.cursor(), old.count()));
            } else if (TimeSource.ofTrigger(t, at).isPresent()) {
                kept.put(t.id(), new Entry(t.id(), t.type(), null, t, t.enabled(), at, at, 0));
            }
        }
        entries.keySet().removeIf(id -> !id.equals(FireIds.SCHEDULE) && !id.equals(CONFIG_CRON));
        entries.putAll(kept);
    }

    /** The source of a {@code scheduled} automation's {@code config.cron} (seed 001): a cron trigger of its own. */
    public static final String CONFIG_CRON = "config_cron";

    /**
     * A published revision of kind {@code scheduled} with {@code config.cron} (5 fields, UTC) makes that expression a
     * time source, as a cron trigger would be; a later published revision changes or removes it (a draft does not:
     * a fire runs the published revision). An unchanged expression keeps its cursor.
     */
    public void configCronIs(dev.autoplane.events.automation.AutomationDefinition published, Instant at) {
        Object cron = published == null || !"scheduled".equals(published.kind()) || published.config() == null
                ? null : published.config().get("cron");
        if (!(cron instanceof String expression) || expression.isBlank()) {
            entries.remove(CONFIG_CRON);
            return;
        }
        TriggerSpec t = new TriggerSpec(CONFIG_CRON, "cron", Map.of("schedule", expression), null, null, null, null,
                null, true);
        Entry old = entries.get(CONFIG_CRON);
        if (old != null && Objects.equals(old.trigger(), t)) {
            return;
        }
        if (TimeSource.ofTrigger(t, at).isPresent()) {
            entries.put(CONFIG_CRON, new Entry(CONFIG_CRON, "cron", null, t, true, at, at, 0));
        }
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

    /** The book as plain data (what the engine's index stores as JSON). */
    public record State(List<Entry> entries, String status, boolean deleted, boolean automationEnabled) {
    }

    public State state() {
        return new State(List.copyOf(entries.values()), status, deleted, automationEnabled);
    }

    public static SourceBook from(State state) {
        SourceBook b = new SourceBook();
        state.entries().forEach(e -> b.entries.put(e.sourceId(), e));
        b.status = state.status();
        b.deleted = state.deleted();
        b.automationEnabled = state.automationEnabled();
        return b;
    }
}
