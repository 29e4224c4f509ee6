package dev.autoplane.query.schedules;

import dev.autoplane.events.automation.AutomationEvents.AutomationApprovedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeletedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPausedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationResumedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSettingsChangedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationUndeletedEvent;
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleDisabledEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleEnabledEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleRemovedEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleSetEvent;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import dev.autoplane.platform.scheduling.SourceBook;
import dev.autoplane.query.StoreFixtures;
import dev.autoplane.query.TestViews;
import dev.autoplane.platform.automation.AutomationDocument;
import dev.autoplane.query.automations.AutomationProjection;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.automations.JdbcAutomationStore;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.autoplane.query.ProjectionBatches.batch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * next_run_at and last_run_at on the automation read model, folded through the shared SourceBook by the
 * automation projection on the real H2 stores, and kept across restarts through the stored schedule book.
 */
class ScheduleFoldTest {

    static final String WS = "01900000-0000-7000-8000-000000000001";
    static final String A = "01900000-0000-7000-8000-00000000a001";
    static final Instant T = Instant.parse("2026-03-02T08:00:00Z");
    static final Actor ADMIN = Actor.user("admin");

    @RegisterExtension
    static final StoreFixtures.H2PerClass db = new StoreFixtures.H2PerClass();
    AutomationStore automations;
    ScheduleStore schedules;
    final List<Object> log = new ArrayList<>();

    @BeforeEach
    void setUp() {
        db.truncate("automation_view", "automation_schedule");
        automations = new JdbcAutomationStore(db.jdbc(), StoreFixtures.mapper());
        schedules = new JdbcScheduleStore(db.jdbc(), StoreFixtures.mapper());
    }

    static TriggerSpec trigger(String id, String type, Map<String, Object> config, boolean enabled) {
        return new TriggerSpec(id, type, config, null, null, "MAIN", null, null, enabled);
    }

    static AutomationSettings settings(List<TriggerSpec> triggers, boolean enabled) {
        return new AutomationSettings(null, triggers, null, null, null, "allow", List.of(), List.of(), null, null, false,
                enabled);
    }

    static final List<TriggerSpec> TRIGGERS = List.of(
            trigger("t1", "cron", Map.of("schedule", "0 9 * * *", "timezone", "UTC"), true),
            trigger("t2", "interval", Map.of("every", "PT40M"), true),
            trigger("t3", "webhook", Map.of(), true));

    static ScheduleSpec every15MinutesThreeTimes() {
        return new ScheduleSpec(null, "PT15M", null, "UTC", null, new ScheduleSpec.End("after_occurrences", 3, null), 0,
                60, "skip", "allow");
    }

    static JobFiredEvent fired(String source, String sourceId, Instant at, Instant firedAt) {
        String fireId = FireIds.of(A, sourceId, at);
        return new JobFiredEvent(A, WS, fireId, FireIds.runId(fireId, at), sourceId, "schedule", source, at, firedAt,
                "1.0", "published", Map.of(), null, 1, "fired", List.of(), null, Actor.SYSTEM);
    }

    static OccurrenceSkippedEvent skipped(String sourceId, Instant at) {
        return new OccurrenceSkippedEvent(A, WS, FireIds.of(A, sourceId, at), sourceId, "interval", at, at,
                "skipped_paused", "paused");
    }

    /** Projects {@code events} in one batch with a new projection instance (as after a restart), logging them. */
    AutomationView project(Object... events) {
        AutomationProjection projection = new AutomationProjection(automations, schedules);
        batch(() -> {
            for (Object e : events) {
                handle(projection, e, log.size());
                log.add(e);
            }
        });
        return automations.find(A).orElse(null);
    }

    static void handle(AutomationProjection projection, Object event, long sequence) {
        GenericDomainEventMessage<Object> message = new GenericDomainEventMessage<>("Automation", A, sequence, event,
                Map.of(), "event-" + sequence, T.plusSeconds(sequence));
        try {
            if (event instanceof AutomationPurgedEvent purged) {
                Method m = AutomationProjection.class.getDeclaredMethod("on", AutomationPurgedEvent.class);
                m.setAccessible(true);
                m.invoke(projection, purged);
            } else {
                Method m = AutomationProjection.class.getDeclaredMethod("on", dev.autoplane.events.automation.AutomationStreamEvent.class,
                        org.axonframework.eventhandling.DomainEventMessage.class);
                m.setAccessible(true);
                m.invoke(projection, event, message);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same events folded from scratch in memory, as ?as_of= does. */
    AutomationView foldedFromScratch() {
        AutomationDocument d = null;
        for (int i = 0; i < log.size(); i++) {
            d = AutomationDocument.apply(d, log.get(i), i, T.plusSeconds(i));
        }
        return d.toView();
    }

    @Test
    void nextRunAtIsTheEarliestOccurrenceOfTheEnabledSourcesWhileActive() {
        AutomationView v = project(new AutomationCreatedEvent(A, WS, null, TestViews.definition("n", "{}"),
                settings(TRIGGERS, true), "0.1", ADMIN, T));
        assertThat(v.nextRunAt()).as("a draft does not run").isNull();
        v = project(new AutomationApprovedEvent(A, WS, "0.1", ADMIN, T.plusSeconds(1)));
        assertThat(v.status()).isEqualTo("active");
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T08:40:00Z")); // t2 before t1 (09:00)
        assertThat(v.lastRunAt()).isNull();

        v = project(new AutomationScheduleSetEvent(A, WS, every15MinutesThreeTimes(), true, T, 0, ADMIN, T));
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T08:15:00Z"));

        Instant updatedAt = v.updatedAt();
        v = project(fired("schedule", "schedule", Instant.parse("2026-03-02T08:15:00Z"), Instant.parse("2026-03-02T08:15:02Z")));
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T08:30:00Z"));
        assertThat(v.lastRunAt()).isEqualTo(Instant.parse("2026-03-02T08:15:02Z"));
        assertThat(v.updatedAt()).as("a fire is not an update").isEqualTo(updatedAt);

        // a manual fire is a run, not an occurrence: last_run_at moves, the sources do not
        v = project(fired("manual", null, Instant.parse("2026-03-02T08:20:00Z"), Instant.parse("2026-03-02T08:20:00Z")));
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T08:30:00Z"));
        assertThat(v.lastRunAt()).isEqualTo(Instant.parse("2026-03-02T08:20:00Z"));

        v = project(skipped("schedule", Instant.parse("2026-03-02T08:30:00Z")),
                fired("catch_up", "schedule", Instant.parse("2026-03-02T08:45:00Z"), Instant.parse("2026-03-02T08:46:00Z")));
        assertThat(v.nextRunAt()).as("the schedule has had its 3 occurrences; t2 is next")
                .isEqualTo(Instant.parse("2026-03-02T08:40:00Z"));
        assertThat(schedules.find(A).orElseThrow().state().entries()).filteredOn(s -> s.sourceId().equals("schedule"))
                .singleElement().satisfies(s -> assertThat(s.count()).isEqualTo(3));

        v = project(skipped("t2", Instant.parse("2026-03-02T08:40:00Z")));
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T09:00:00Z")); // t1 and t2 both at 09:00

        v = project(new AutomationPausedEvent(A, WS, ADMIN, T.plusSeconds(10)));
        assertThat(v.nextRunAt()).isNull();
        v = project(new AutomationResumedEvent(A, WS, ADMIN, T.plusSeconds(11)));
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));

        // triggers changed: t2 removed, t1 disabled, a new interval counted from the change
        v = project(new AutomationSettingsChangedEvent(A, WS, settings(List.of(
                trigger("t1", "cron", Map.of("schedule", "0 9 * * *", "timezone", "UTC"), false),
                trigger("t4", "interval", Map.of("every", "2h"), true)), true), ADMIN, Instant.parse("2026-03-02T08:50:00Z")));
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T10:50:00Z"));
        v = project(new AutomationSettingsChangedEvent(A, WS, settings(v.triggers(), false), ADMIN, T.plusSeconds(12)));
        assertThat(v.nextRunAt()).as("the automation is disabled").isNull();
        v = project(new AutomationSettingsChangedEvent(A, WS, settings(v.triggers(), true), ADMIN, T.plusSeconds(13)));
        assertThat(v.nextRunAt()).as("unchanged timing keeps its cursor").isEqualTo(Instant.parse("2026-03-02T10:50:00Z"));

        v = project(new AutomationDeletedEvent(A, WS, T.plusSeconds(14), T.plusSeconds(99), ADMIN));
        assertThat(v.nextRunAt()).isNull();
        v = project(new AutomationUndeletedEvent(A, WS, ADMIN, T.plusSeconds(15)));
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T10:50:00Z"));

        // the schedule's own switches
        v = project(new AutomationScheduleSetEvent(A, WS, every15MinutesThreeTimes(), true,
                Instant.parse("2026-03-02T09:00:00Z"), 0, ADMIN, Instant.parse("2026-03-02T09:00:00Z")));
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T09:15:00Z"));
        v = project(new AutomationScheduleDisabledEvent(A, WS, ADMIN, T.plusSeconds(16)));
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T10:50:00Z"));
        v = project(new AutomationScheduleEnabledEvent(A, WS, ADMIN, T.plusSeconds(17)));
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T09:15:00Z"));
        v = project(new AutomationScheduleRemovedEvent(A, WS, ADMIN, T.plusSeconds(18)));
        assertThat(v.nextRunAt()).isEqualTo(Instant.parse("2026-03-02T10:50:00Z"));
        assertThat(schedules.find(A).orElseThrow().toSourceBook().schedule()).isEmpty();

        assertThat(v.nextRunAt()).isEqualTo(foldedFromScratch().nextRunAt());
        assertThat(v.lastRunAt()).isEqualTo(foldedFromScratch().lastRunAt());
    }

    /** An automation created with triggers, approved, scheduled, fired once and skipped once; then {@code more}. */
    static List<Object> then(Object... more) {
        List<Object> events = new java.util.ArrayList<>(List.of(
                new AutomationCreatedEvent(A, WS, null, TestViews.definition("n", "{}"), settings(TRIGGERS, true), "0.1", ADMIN, T),
                new AutomationApprovedEvent(A, WS, "0.1", ADMIN, T),
                new AutomationScheduleSetEvent(A, WS, every15MinutesThreeTimes(), true, T, 0, ADMIN, T),
                fired("schedule", "schedule", Instant.parse("2026-03-02T08:15:00Z"), Instant.parse("2026-03-02T08:15:01Z")),
                skipped("t2", Instant.parse("2026-03-02T08:40:00Z"))));
        events.addAll(List.of(more));
        return events;
    }

    @Test
    void restartsReplaysAndOneBigBatchAllAgreeWithTheSharedSourceBook() {
        List<Object> events = then(
                skipped("t2", Instant.parse("2026-03-02T09:20:00Z")),
                fired("buffered", "schedule", Instant.parse("2026-03-02T08:30:00Z"), Instant.parse("2026-03-02T08:31:00Z")));
        // event by event, a restart (new projection instance, state from the stores) before each
        AutomationView stepwise = null;
        for (Object e : events) {
            stepwise = project(e);
        }
        ScheduleBook stored = schedules.find(A).orElseThrow();

        // the shared fold, applied as the brief of both sides says
        SourceBook reference = new SourceBook();
        reference.triggersAre(TRIGGERS, T);
        reference.scheduleSet(every15MinutesThreeTimes(), true, T, 0, T);
        reference.occurred("schedule", Instant.parse("2026-03-02T08:15:00Z"));
        reference.occurred("t2", Instant.parse("2026-03-02T08:40:00Z"));
        reference.occurred("t2", Instant.parse("2026-03-02T09:20:00Z"));
        reference.occurred("schedule", Instant.parse("2026-03-02T08:30:00Z"));
        assertThat(stepwise.nextRunAt()).isEqualTo(reference.nextRunAt().orElseThrow())
                .isEqualTo(Instant.parse("2026-03-02T08:45:00Z"));
        SourceBook restored = stored.toSourceBook();
        for (String source : List.of("schedule", "t1", "t2")) {
            assertThat(restored.nextRunTimes(source, 5)).as(source).isEqualTo(reference.nextRunTimes(source, 5));
            assertThat(restored.get(source).orElseThrow().cursor()).isEqualTo(reference.get(source).orElseThrow().cursor());
        }
        assertThat(restored.get("t3")).as("webhooks are not time sources").isEmpty();
        assertThat(restored.get("schedule").orElseThrow().count()).isEqualTo(2);

        // a replay over the stores as they are changes nothing
        AutomationProjection again = new AutomationProjection(automations, schedules);
        batch(() -> {
            for (int i = 0; i < events.size(); i++) {
                handle(again, events.get(i), i);
            }
        });
        assertThat(automations.find(A)).contains(stepwise);
        assertThat(schedules.find(A)).contains(stored);

        // a reset and one batch of everything gives the same read model
        db.truncate("automation_view", "automation_schedule");
        AutomationProjection fresh = new AutomationProjection(automations, schedules);
        batch(() -> {
            for (int i = 0; i < events.size(); i++) {
                handle(fresh, events.get(i), i);
            }
        });
        assertThat(automations.find(A)).contains(stepwise);
        assertThat(schedules.find(A).orElseThrow().toSourceBook().nextRunTimes("schedule", 5))
                .isEqualTo(reference.nextRunTimes("schedule", 5));

        // a purge removes the book too
        log.clear();
        log.addAll(events);
        project(new AutomationPurgedEvent(A, WS, ADMIN, T));
        assertThat(automations.find(A)).isEmpty();
        assertThat(schedules.find(A)).isEmpty();
    }

    /**
     * Where the projection keeps what it wrote (the embedded mode), it writes exactly what a projection that reads
     * every document back writes, event by event, also after a batch that rolled back (it keeps nothing of it).
     */
    @Test
    void keepingWhatItWroteWritesWhatReadingItBackWrites() {
        List<Object> events = then(
                new AutomationPausedEvent(A, WS, ADMIN, T.plusSeconds(10)),
                new AutomationResumedEvent(A, WS, ADMIN, T.plusSeconds(11)),
                new AutomationSettingsChangedEvent(A, WS, settings(List.of(
                        trigger("t4", "interval", Map.of("every", "2h"), true)), true), ADMIN, Instant.parse("2026-03-02T08:50:00Z")),
                fired("schedule", "schedule", Instant.parse("2026-03-02T08:30:00Z"), Instant.parse("2026-03-02T08:31:00Z")),
                new AutomationScheduleRemovedEvent(A, WS, ADMIN, T.plusSeconds(18)),
                new AutomationSettingsChangedEvent(A, WS, settings(List.of(), true), ADMIN, T.plusSeconds(19)),
                new AutomationDeletedEvent(A, WS, T.plusSeconds(20), T.plusSeconds(99), ADMIN));
        List<Object> readingBack = new java.util.ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            int sequence = i;
            batch(() -> handle(new AutomationProjection(automations, schedules), events.get(sequence), sequence));
            readingBack.add(List.of(automations.find(A), schedules.find(A)));
        }

        db.truncate("automation_view", "automation_schedule");
        AutomationProjection keeping = new AutomationProjection(automations, schedules, true, 100);
        List<Object> kept = new java.util.ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            int sequence = i;
            if (i == 4) { // this event once in a batch that fails after it: nothing of it is written or kept
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> batch(() -> {
                    handle(keeping, events.get(sequence), sequence);
                    throw new IllegalStateException("the batch fails");
                })).hasMessageContaining("the batch fails");
            }
            batch(() -> handle(keeping, events.get(sequence), sequence));
            kept.add(List.of(automations.find(A), schedules.find(A)));
        }
        assertThat(kept).isEqualTo(readingBack);
    }

    @Test
    void automationsWithoutTimeSourcesWriteNoScheduleBook() {
        project(new AutomationCreatedEvent(A, WS, null, TestViews.definition("n", "{}"),
                settings(List.of(trigger("w", "webhook", Map.of(), true)), true), "0.1", ADMIN, T));
        assertThat(schedules.find(A)).isEmpty();
    }

    @Test
    void lastErrorIsTheFailedRunsErrorUntilALaterRunCompletesAndARunsEndMovesNoUpdatedAt() {
        project(new AutomationCreatedEvent(A, WS, null, TestViews.definition("n", "{}"),
                settings(List.of(trigger("w", "webhook", Map.of(), true)), true), "0.1", ADMIN, T));
        AutomationView created = project(new AutomationApprovedEvent(A, WS, "0.1", ADMIN, T.plusSeconds(1)));
        AutomationView v = project(new dev.autoplane.events.run.RunEvents.RunEndedEvent(A, WS, "r1", "failed", "disk full",
                T.plusSeconds(60)));
        assertThat(v.lastError()).isEqualTo("disk full");
        assertThat(v.updatedAt()).isEqualTo(created.updatedAt());
        v = project(new dev.autoplane.events.run.RunEvents.RunEndedEvent(A, WS, "r2", "canceled", null, T.plusSeconds(70)));
        assertThat(v.lastError()).as("a cancellation is no verdict").isEqualTo("disk full");
        v = project(new dev.autoplane.events.run.RunEvents.RunEndedEvent(A, WS, "r3", "completed", null, T.plusSeconds(80)));
        assertThat(v.lastError()).isNull();
        assertThat(foldedFromScratch().lastError()).isNull();
    }
}
