package dev.autoplane.platform.scheduling;

import dev.autoplane.events.automation.AutomationEvents.AutomationApprovedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeletedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPausedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationResumedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSubmittedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationUndeletedEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleDisabledEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleSetEvent;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fold every side places occurrences with, on its own: when an automation is live, where each
 * source's cursor stands, what comes due next, and that its state restores it exactly.
 */
class SourceBookTest {

    static final String A = "a-1";
    static final String WS = "ws-1";
    static final Actor ALICE = Actor.user("alice");
    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    static Instant min(int m) {
        return T0.plusSeconds(60L * m);
    }

    static ScheduleSpec every10Minutes() {
        return new ScheduleSpec(null, "10m", null, "UTC", T0, ScheduleSpec.NEVER, 0, 60, "skip", "allow");
    }

    static SourceBook activeWithSchedule() {
        SourceBook book = new SourceBook();
        book.apply(new AutomationScheduleSetEvent(A, WS, every10Minutes(), true, T0, 0, ALICE, T0));
        book.apply(new AutomationApprovedEvent(A, WS, "1.0", ALICE, T0));
        return book;
    }

    static JobFiredEvent fired(Instant at, String source) {
        return new JobFiredEvent(A, WS, FireIds.of(A, FireIds.SCHEDULE, at), FireIds.runId(A + at, at), FireIds.SCHEDULE,
                "schedule", source, at, at, "1.0", "published", Map.of(), null, 1, "fired", List.of(), null, Actor.SYSTEM);
    }

    @Test
    void onlyAnActiveOrPausedUndeletedAutomationIsLiveAndOnlyAnActiveOneRuns() {
        SourceBook book = new SourceBook();
        assertThat(book.isLive()).isFalse();
        book.apply(new AutomationSubmittedEvent(A, WS, "0.1", ALICE, T0));
        assertThat(book.isLive()).isFalse();
        book.apply(new AutomationApprovedEvent(A, WS, "1.0", ALICE, T0));
        assertThat(book.isLive()).isTrue();
        assertThat(book.runs()).isTrue();
        book.apply(new AutomationPausedEvent(A, WS, ALICE, min(1)));
        assertThat(book.isLive()).isTrue();
        assertThat(book.runs()).isFalse();
        book.apply(new AutomationResumedEvent(A, WS, ALICE, min(2)));
        book.apply(new AutomationDeletedEvent(A, WS, min(3), min(3).plusSeconds(86_400), ALICE));
        assertThat(book.isLive()).isFalse();
    }

    @Test
    void theNextRunIsTheScheduleAfterItsCursorAndAnOccurrenceMovesTheCursor() {
        SourceBook book = activeWithSchedule();
        assertThat(book.nextRunAt()).contains(min(10));
        book.apply(fired(min(10), "schedule"));
        assertThat(book.get(FireIds.SCHEDULE).orElseThrow().cursor()).isEqualTo(min(10));
        assertThat(book.nextRunAt()).contains(min(20));
        book.apply(new OccurrenceSkippedEvent(A, WS, FireIds.of(A, FireIds.SCHEDULE, min(20)), FireIds.SCHEDULE,
                "schedule", min(20), min(20), "missed", "late"));
        assertThat(book.nextRunTimes(FireIds.SCHEDULE, 2)).containsExactly(min(30), min(40));
    }

    @Test
    void manualAndBackfillFiresDoNotMoveTheCursor() {
        SourceBook book = activeWithSchedule();
        book.apply(fired(min(10), "backfill"));
        book.apply(fired(min(10), "manual"));
        assertThat(book.nextRunAt()).contains(min(10));
    }

    @Test
    void theTimeSpentNotLiveIsNotABacklog() {
        SourceBook book = activeWithSchedule();
        book.apply(new AutomationDeletedEvent(A, WS, min(1), min(1).plusSeconds(86_400), ALICE));
        book.apply(new AutomationUndeletedEvent(A, WS, ALICE, min(95)));
        assertThat(book.nextRunAt()).contains(min(100));
    }

    @Test
    void aDisabledScheduleHasNoNextRun() {
        SourceBook book = activeWithSchedule();
        book.apply(new AutomationScheduleDisabledEvent(A, WS, ALICE, min(1)));
        assertThat(book.nextRunAt()).isEmpty();
        assertThat(book.get(FireIds.SCHEDULE)).isPresent();
    }

    @Test
    void itsStateRestoresItExactly() {
        SourceBook book = activeWithSchedule();
        book.apply(fired(min(10), "schedule"));
        book.apply(new AutomationPausedEvent(A, WS, ALICE, min(11)));
        SourceBook restored = SourceBook.from(book.state());
        assertThat(restored.state()).isEqualTo(book.state());
        assertThat(restored.isLive()).isEqualTo(book.isLive());
        assertThat(restored.nextRunAt()).isEqualTo(book.nextRunAt());
    }
}
