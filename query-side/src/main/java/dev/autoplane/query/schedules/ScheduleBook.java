package dev.autoplane.query.schedules;

import dev.autoplane.platform.scheduling.SourceBook;

import java.util.List;

/**
 * The persisted form of an automation's {@link SourceBook} (its time sources with their anchors,
 * cursors and counts, and whether the automation is live), so a restarted projection continues
 * the fold instead of recomputing it from the log. {@code version} is the automation event
 * (aggregate sequence number) folded last: a replayed event changes nothing.
 */
public record ScheduleBook(String automationId, String workspaceId, long version, SourceBook.State state) {

    public ScheduleBook {
        state = state == null ? new SourceBook.State(List.of(), "draft", false, true) : state;
    }

    /** The persisted form of {@code book}. */
    public static ScheduleBook of(String automationId, String workspaceId, long version, SourceBook book) {
        return new ScheduleBook(automationId, workspaceId, version, book.state());
    }

    /** The {@link SourceBook} again, exactly as it was folded. */
    public SourceBook toSourceBook() {
        return SourceBook.from(state);
    }
}
