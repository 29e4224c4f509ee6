package dev.autoplane.query.schedules;

import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.platform.scheduling.SourceBook;
import dev.autoplane.platform.scheduling.TimeSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The persisted form of an automation's {@link SourceBook}: one {@link Source} per time source (the
 * schedule, each cron / interval / at trigger) with its anchor, cursor and count, so a restarted
 * projection continues the fold instead of recomputing it from the log. {@code version} is the
 * automation event (aggregate sequence number) folded last: a replayed event changes nothing.
 */
public record ScheduleBook(String automationId, String workspaceId, long version, List<Source> sources) {

    /**
     * One time source. {@code schedule} is set for the singleton schedule ({@code sourceId} {@code schedule}),
     * {@code trigger} for a time trigger. {@code count} bounds an {@code after_occurrences} end, so it is exact
     * for the schedule; triggers have no end condition and carry it for information.
     */
    public record Source(String sourceId, String triggerType, ScheduleSpec schedule, TriggerSpec trigger,
                         boolean enabled, Instant anchor, Instant cursor, long count) {
    }

    public ScheduleBook {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** The persisted form of {@code book}. */
    public static ScheduleBook of(String automationId, String workspaceId, long version, SourceBook book) {
        List<Source> out = new ArrayList<>();
        for (SourceBook.Entry e : book.entries()) {
            out.add(new Source(e.sourceId(), e.triggerType(),
                    e.spec() instanceof ScheduleSpec s ? s : null, e.spec() instanceof TriggerSpec t ? t : null,
                    e.enabled(), e.anchor(), e.cursor(), e.count()));
        }
        return new ScheduleBook(automationId, workspaceId, version, out);
    }

    /**
     * The {@link SourceBook} again, rebuilt through its own fold: the schedule with its cursor and count,
     * each trigger added at its anchor and then advanced to its cursor. A source whose timing no longer
     * parses (it was validated when it was set) is left out rather than failing the read.
     */
    public SourceBook toSourceBook() {
        SourceBook book = new SourceBook();
        List<TriggerSpec> soFar = new ArrayList<>();
        for (Source s : sources) {
            try {
                if (FireIds.SCHEDULE.equals(s.sourceId()) && s.schedule() != null) {
                    book.scheduleSet(s.schedule(), s.enabled(), s.cursor(), s.count(), s.anchor());
                } else if (s.trigger() != null && TimeSource.ofTrigger(s.trigger(), s.anchor()).isPresent()) {
                    soFar.add(s.trigger());
                    book.triggersAre(List.copyOf(soFar), s.anchor());
                    book.occurred(s.sourceId(), s.cursor());
                }
            } catch (RuntimeException e) {
                // not a valid time source any more: nothing to place
            }
        }
        return book;
    }
}
