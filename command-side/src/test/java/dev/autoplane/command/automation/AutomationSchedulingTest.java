package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationEvents.AutomationApprovedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPausedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSettingsChangedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSubmittedEvent;
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.automation.AutomationSettings.FireLimit;
import dev.autoplane.events.automation.ScheduleCommands.FireJobCommand;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleDisabledEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleEnabledEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleSetEvent;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import dev.autoplane.events.run.RunEvents.RunCanceledEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.autoplane.command.automation.AutomationTest.ALICE;
import static dev.autoplane.command.automation.AutomationTest.AGENT;
import static dev.autoplane.command.automation.AutomationTest.BOB;
import static dev.autoplane.command.automation.AutomationTest.ID;
import static dev.autoplane.command.automation.AutomationTest.T0;
import static dev.autoplane.command.automation.AutomationTest.WS;
import static dev.autoplane.command.automation.AutomationTest.definition;
import static dev.autoplane.command.automation.AutomationTest.domainError;
import static dev.autoplane.command.automation.AutomationTest.fields;

/**
 * When an automation fires: every occurrence the engine delivers gets exactly one outcome, by the
 * misfire, catch-up, overlap and fire-limit rules; repeated deliveries change nothing.
 */
class AutomationSchedulingTest {

    /** Every 10 minutes, from T0 (10:00 UTC). */
    static final ScheduleSpec EVERY_10 = new ScheduleSpec("*/10 * * * *", null, null, "UTC", null, ScheduleSpec.NEVER,
            0, 60, "skip", "allow");

    private FixtureConfiguration<Automation> fixture;

    @BeforeEach
    void setUp() {
        fixture = Commands.fixture();
    }

    static Instant min(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static List<Object> active(AutomationSettings settings) {
        return new ArrayList<>(List.of(
                new AutomationCreatedEvent(ID, WS, null, definition("Digest"), settings, "0.1", ALICE, T0),
                new AutomationPublishedEvent(ID, WS, "1.0", "0.1", definition("Digest"), ALICE, T0),
                new AutomationApprovedEvent(ID, WS, "1.0", ALICE, T0)));
    }

    static List<Object> activeWith(ScheduleSpec spec) {
        List<Object> events = active(AutomationFields.DEFAULT_SETTINGS);
        events.add(new AutomationScheduleSetEvent(ID, WS, spec, true, T0, 0, ALICE, T0));
        return events;
    }

    static ScheduleSpec policies(String catchUp, String overlap) {
        return new ScheduleSpec(EVERY_10.cron(), null, null, "UTC", null, ScheduleSpec.NEVER, 0, 60, catchUp, overlap);
    }

    static FireJobCommand deliver(Instant now, Instant... due) {
        return new FireJobCommand(ID, FireIds.SCHEDULE, List.of(due), now);
    }

    static JobFiredEvent fired(Instant s) {
        String fireId = FireIds.of(ID, FireIds.SCHEDULE, s);
        return new JobFiredEvent(ID, WS, fireId, FireIds.runId(fireId, s), FireIds.SCHEDULE, "schedule", "schedule", s, s,
                "1.0", "published", Map.of(), null, 1, "fired", List.of(), null, Actor.SYSTEM);
    }

    /** The events as {@code "<outcome> <minutes after T0>"}, e.g. {@code fired 10}, {@code missed 20}. */
    static Matcher<List<EventMessage<?>>> outcomes(String... expected) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object item) {
                return describe(item).equals(List.of(expected));
            }

            @Override
            public void describeTo(Description description) {
                description.appendValue(List.of(expected));
            }

            @Override
            public void describeMismatch(Object item, Description description) {
                description.appendText("was ").appendValue(describe(item));
            }

            @SuppressWarnings("unchecked")
            private List<String> describe(Object item) {
                List<String> out = new ArrayList<>();
                for (EventMessage<?> m : (List<EventMessage<?>>) item) {
                    Object p = m.getPayload();
                    if (p instanceof JobFiredEvent e) {
                        out.add(e.outcome() + " " + Duration.between(T0, e.scheduledAt()).toMinutes()
                                + (e.source().equals("schedule") ? "" : " " + e.source()));
                    } else if (p instanceof OccurrenceSkippedEvent e) {
                        out.add(e.outcome() + " " + Duration.between(T0, e.scheduledAt()).toMinutes());
                    } else if (p instanceof RunCanceledEvent e) {
                        out.add("canceled " + e.runId());
                    } else {
                        out.add(p.getClass().getSimpleName());
                    }
                }
                return out;
            }
        };
    }

    // --- on time, once

    @Test
    void canFireAnOccurrenceThatIsDueWithTheRunItsFireIdNames() {
        String fireId = FireIds.of(ID, FireIds.SCHEDULE, min(10));
        fixture.given(activeWith(EVERY_10))
                .when(deliver(min(10).plusMillis(30), min(10)))
                .expectEvents(new JobFiredEvent(ID, WS, fireId, FireIds.runId(fireId, min(10)), FireIds.SCHEDULE,
                        "schedule", "schedule", min(10), min(10).plusMillis(30), "1.0", "published", Map.of(), null, 1,
                        "fired", List.of(), null, Actor.SYSTEM));
    }

    @Test
    void cannotFireTheSameOccurrenceTwice() {
        List<Object> given = activeWith(EVERY_10);
        given.add(fired(min(10)));
        fixture.given(given).when(deliver(min(10).plusSeconds(5), min(10))).expectNoEvents();
    }

    @Test
    void cannotFireWhatIsNotActive() {
        List<Object> draft = new ArrayList<>(List.of(
                new AutomationCreatedEvent(ID, WS, null, definition("Digest"), AutomationFields.DEFAULT_SETTINGS, "0.1",
                        ALICE, T0),
                new AutomationScheduleSetEvent(ID, WS, EVERY_10, true, T0, 0, ALICE, T0)));
        fixture.given(draft).when(deliver(min(10), min(10))).expectNoEvents();
    }

    @Test
    void cannotFireADisabledSchedule() {
        List<Object> given = activeWith(EVERY_10);
        given.add(new AutomationScheduleDisabledEvent(ID, WS, ALICE, T0));
        fixture.given(given).when(deliver(min(10), min(10))).expectNoEvents();
    }

    @Test
    void canRecordThePausedAutomationsOccurrencesAsSkipped() {
        List<Object> given = activeWith(EVERY_10);
        given.add(new AutomationPausedEvent(ID, WS, ALICE, T0));
        fixture.given(given).when(deliver(min(10), min(10))).expectEventsMatching(outcomes("skipped_paused 10"));
    }

    @Test
    void doesNotDeliverTheTimeBeforeApprovalAsABacklog() {
        List<Object> given = new ArrayList<>(List.of(
                new AutomationCreatedEvent(ID, WS, null, definition("Digest"), AutomationFields.DEFAULT_SETTINGS, "0.1",
                        ALICE, T0),
                new AutomationScheduleSetEvent(ID, WS, EVERY_10, true, T0, 0, ALICE, T0),
                new AutomationSubmittedEvent(ID, WS, "0.1", ALICE, T0),
                new AutomationPublishedEvent(ID, WS, "1.0", "0.1", definition("Digest"), BOB, min(35)),
                new AutomationApprovedEvent(ID, WS, "1.0", BOB, min(35))));
        fixture.given(given).when(deliver(min(40), min(10), min(20), min(30), min(40)))
                .expectEventsMatching(outcomes("fired 40"));
    }

    // --- misfire and catch-up after an outage

    @Test
    void canMissWhatIsBeyondTheGraceUnderCatchUpSkip() {
        fixture.given(activeWith(policies("skip", "allow")))
                .when(deliver(min(30).plusSeconds(30), min(10), min(20), min(30)))
                .expectEventsMatching(outcomes("missed 10", "missed 20", "fired 30"));
    }

    @Test
    void canFireOnlyTheLatestMissedOccurrenceUnderFireOnce() {
        fixture.given(activeWith(policies("fire_once", "allow")))
                .when(deliver(min(35), min(10), min(20), min(30)))
                .expectEventsMatching(outcomes("missed 10", "missed 20", "fired 30 catch_up"));
    }

    @Test
    void fireOnceFiresNoCatchUpWhenAnOccurrenceIsOnTime() {
        fixture.given(activeWith(policies("fire_once", "allow")))
                .when(deliver(min(30).plusSeconds(10), min(10), min(20), min(30)))
                .expectEventsMatching(outcomes("missed 10", "missed 20", "fired 30"));
    }

    @Test
    void canFireEveryMissedOccurrenceUnderFireAll() {
        fixture.given(activeWith(policies("fire_all", "allow")))
                .when(deliver(min(35), min(10), min(20), min(30)))
                .expectEventsMatching(outcomes("fired 10 catch_up", "fired 20 catch_up", "fired 30 catch_up"));
    }

    @Test
    void fireAllStopsAtItsCap() {
        List<Instant> due = new ArrayList<>();
        for (int i = 1; i <= Firing.MAX_CATCH_UP + 2; i++) {
            due.add(min(10 * i));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= Firing.MAX_CATCH_UP + 2; i++) {
            expected.add(i <= Firing.MAX_CATCH_UP ? "fired " + 10 * i + " catch_up" : "missed " + 10 * i);
        }
        fixture.given(activeWith(policies("fire_all", "allow")))
                .when(new FireJobCommand(ID, FireIds.SCHEDULE, due, min(10 * (Firing.MAX_CATCH_UP + 3))))
                .expectEventsMatching(outcomes(expected.toArray(String[]::new)));
    }

    @Test
    void canCatchUpOnceOnResumeForWhatWasSkippedWhilePaused() {
        List<Object> given = activeWith(policies("fire_once", "allow"));
        given.add(new AutomationPausedEvent(ID, WS, ALICE, T0));
        given.add(new OccurrenceSkippedEvent(ID, WS, FireIds.of(ID, FireIds.SCHEDULE, min(10)), FireIds.SCHEDULE,
                "schedule", min(10), min(10), "skipped_paused", "the automation is paused"));
        given.add(new OccurrenceSkippedEvent(ID, WS, FireIds.of(ID, FireIds.SCHEDULE, min(20)), FireIds.SCHEDULE,
                "schedule", min(20), min(20), "skipped_paused", "the automation is paused"));
        fixture.given(given)
                .when(Commands.resumeAutomation(ID, WS, null, ALICE, true, min(25)))
                .expectEventsMatching(outcomes("AutomationResumedEvent", "fired 20 catch_up"));
    }

    @Test
    void canCatchUpEverySkippedOccurrenceOnResumeUnderFireAll() {
        List<Object> given = activeWith(policies("fire_all", "allow"));
        given.add(new AutomationPausedEvent(ID, WS, ALICE, T0));
        for (int m : new int[]{10, 20}) {
            given.add(new OccurrenceSkippedEvent(ID, WS, FireIds.of(ID, FireIds.SCHEDULE, min(m)), FireIds.SCHEDULE,
                    "schedule", min(m), min(m), "skipped_paused", "the automation is paused"));
        }
        fixture.given(given)
                .when(Commands.resumeAutomation(ID, WS, null, ALICE, true, min(25)))
                .expectEventsMatching(outcomes("AutomationResumedEvent", "fired 10 catch_up", "fired 20 catch_up"));
    }

    @Test
    void resumeUnderCatchUpSkipFiresNothingMore() {
        List<Object> given = activeWith(policies("skip", "allow"));
        given.add(new AutomationPausedEvent(ID, WS, ALICE, T0));
        given.add(new OccurrenceSkippedEvent(ID, WS, FireIds.of(ID, FireIds.SCHEDULE, min(10)), FireIds.SCHEDULE,
                "schedule", min(10), min(10), "skipped_paused", "the automation is paused"));
        fixture.given(given)
                .when(Commands.resumeAutomation(ID, WS, null, ALICE, true, min(25)))
                .expectEventsMatching(outcomes("AutomationResumedEvent"));
    }

    @Test
    void aReEnabledScheduleMissesWhatFellInItsDisabledTimeUnderSkip() {
        List<Object> given = activeWith(policies("skip", "allow"));
        given.add(new AutomationScheduleDisabledEvent(ID, WS, ALICE, min(5)));
        given.add(new AutomationScheduleEnabledEvent(ID, WS, ALICE, min(25)));
        fixture.given(given).when(deliver(min(25), min(10), min(20)))
                .expectEventsMatching(outcomes("missed 10", "missed 20"));
    }

    // --- overlap

    @Test
    void overlapSkipSkipsWhileARunIsOpen() {
        List<Object> given = activeWith(policies("skip", "skip"));
        given.add(fired(min(10)));
        fixture.given(given).when(deliver(min(20), min(20))).expectEventsMatching(outcomes("skipped_overlap 20"));
    }

    @Test
    void overlapAllowFiresAlongsideAnOpenRun() {
        List<Object> given = activeWith(policies("skip", "allow"));
        given.add(fired(min(10)));
        fixture.given(given).when(deliver(min(20), min(20))).expectEventsMatching(outcomes("fired 20"));
    }

    @Test
    void bufferOneHoldsOneOccurrence() {
        List<Object> given = activeWith(policies("skip", "buffer_one"));
        given.add(fired(min(10)));
        fixture.given(given).when(deliver(min(20), min(20))).expectEventsMatching(outcomes("buffered 20"));
    }

    @Test
    void bufferOneSkipsWhenItsBufferIsFull() {
        List<Object> given = activeWith(policies("skip", "buffer_one"));
        given.add(fired(min(10)));
        given.add(new OccurrenceSkippedEvent(ID, WS, FireIds.of(ID, FireIds.SCHEDULE, min(20)), FireIds.SCHEDULE,
                "schedule", min(20), min(20), "buffered", "held"));
        fixture.given(given).when(deliver(min(30), min(30))).expectEventsMatching(outcomes("skipped_overlap 30"));
    }

    @Test
    void cancelOtherCancelsTheOpenRunAndFires() {
        List<Object> given = activeWith(policies("skip", "cancel_other"));
        JobFiredEvent first = fired(min(10));
        given.add(first);
        fixture.given(given).when(deliver(min(20), min(20)))
                .expectEventsMatching(outcomes("canceled " + first.runId(), "canceled_other 20"));
    }

    @Test
    void overlapIsJudgedOnlyAgainstRunsStillOpen() {
        List<Object> given = activeWith(policies("skip", "skip"));
        JobFiredEvent first = fired(min(10));
        given.add(first);
        given.add(new RunCanceledEvent(first.runId(), ID, WS, "by hand", ALICE, min(15)));
        fixture.given(given).when(deliver(min(20), min(20))).expectEventsMatching(outcomes("fired 20"));
    }

    // --- fire limits

    @Test
    void fireLimitThrottlesInsideTheWindowAndFreesAtItsEdge() {
        AutomationSettings limited = withFireLimit(new FireLimit(2, "20m"));
        List<Object> given = active(limited);
        given.add(new AutomationScheduleSetEvent(ID, WS, EVERY_10, true, T0, 0, ALICE, T0));
        given.add(fired(min(10)));
        given.add(fired(min(20)));
        // window (s − 20m, s]: at 30 it holds 10 (no: 10 is not after 30−20=10) and 20 → one fire: allowed
        fixture.given(given).when(deliver(min(30), min(30))).expectEventsMatching(outcomes("fired 30"));
    }

    @Test
    void fireLimitThrottlesWhenTheWindowIsFull() {
        AutomationSettings limited = withFireLimit(new FireLimit(2, "30m"));
        List<Object> given = active(limited);
        given.add(new AutomationScheduleSetEvent(ID, WS, EVERY_10, true, T0, 0, ALICE, T0));
        given.add(fired(min(10)));
        given.add(fired(min(20)));
        fixture.given(given).when(deliver(min(30), min(30))).expectEventsMatching(outcomes("throttled 30"));
    }

    static AutomationSettings withFireLimit(FireLimit limit) {
        AutomationSettings s = AutomationFields.DEFAULT_SETTINGS;
        return new AutomationSettings(s.teamId(), s.triggers(), limit, s.retry(), s.misfire(), s.overlapPolicy(),
                s.scopes(), s.teamScope(), s.providerType(), s.credentialLabel(), s.suspended(), s.enabled());
    }

    // --- setting the schedule

    @Test
    void canSetAScheduleThatCountsFromNow() {
        fixture.given(active(AutomationFields.DEFAULT_SETTINGS))
                .when(Commands.setAutomationSchedule(ID, WS, null, fields("cron", "*/10 * * * *"), true, ALICE, min(3)))
                .expectEvents(new AutomationScheduleSetEvent(ID, WS, EVERY_10, true, min(3), 0, ALICE, min(3)));
    }

    @Test
    void changingOnlyAPolicyKeepsTheCursorAndCount() {
        List<Object> given = activeWith(EVERY_10);
        given.add(fired(min(10)));
        fixture.given(given)
                .when(Commands.setAutomationSchedule(ID, WS, null, fields("overlap_policy", "skip"), false, ALICE, min(12)))
                .expectEvents(new AutomationScheduleSetEvent(ID, WS, policies("skip", "skip"), true, min(10), 1, ALICE,
                        min(12)));
    }

    @Test
    void aServiceAccountsScheduleChangeGoesToApproval() {
        fixture.given(active(AutomationFields.DEFAULT_SETTINGS))
                .when(Commands.setAutomationSchedule(ID, WS, null, fields("cron", "*/10 * * * *"), true, AGENT, min(3)))
                .expectEvents(new AutomationScheduleSetEvent(ID, WS, EVERY_10, true, min(3), 0, AGENT, min(3)),
                        new AutomationSubmittedEvent(ID, WS, "1.0", AGENT, min(3)));
    }

    @Test
    void cannotSetAnImpossibleSchedule() {
        fixture.given(active(AutomationFields.DEFAULT_SETTINGS))
                .when(Commands.setAutomationSchedule(ID, WS, null, fields("cron", "0 0 30 2 *"), true, ALICE, min(3)))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "cron"));
    }

    @Test
    void cannotSetAnUnknownZoneAZeroIntervalOrAnEndBeforeTheStart() {
        fixture.given(active(AutomationFields.DEFAULT_SETTINGS))
                .when(Commands.setAutomationSchedule(ID, WS, null, fields("interval", "0s", "timezone", "Mars/Olympus",
                        "start_time", "2026-06-01T00:00:00Z",
                        "end", Map.of("type", "on_date", "date", "2026-05-01T00:00:00Z")), true, ALICE, min(3)))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "interval", "timezone", "end.date"));
    }

    @Test
    void cannotGiveTwoTimings() {
        fixture.given(active(AutomationFields.DEFAULT_SETTINGS))
                .when(Commands.setAutomationSchedule(ID, WS, null, fields("cron", "@hourly", "interval", "1h"), true,
                        ALICE, min(3)))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "cron"));
    }

    @Test
    void cannotEnableAScheduleThatDoesNotExist() {
        fixture.given(active(AutomationFields.DEFAULT_SETTINGS))
                .when(Commands.enableAutomationSchedule(ID, WS, null, ALICE, min(3)))
                .expectException(domainError(DomainException.Kind.NOT_FOUND, "schedule_not_found"));
    }

    @Test
    void disablingTwiceRecordsOnce() {
        List<Object> given = activeWith(EVERY_10);
        given.add(new AutomationScheduleDisabledEvent(ID, WS, ALICE, min(1)));
        fixture.given(given).when(Commands.disableAutomationSchedule(ID, WS, null, ALICE, min(2))).expectNoEvents();
    }

    // --- triggers

    @Test
    void canAddATriggerWithTheIdMadeAtTheEdge() {
        fixture.given(active(AutomationFields.DEFAULT_SETTINGS))
                .when(Commands.addAutomationTrigger(ID, WS, null, "t-1",
                        fields("type", "interval", "config", Map.of("every", "15m")), ALICE, min(1)))
                .expectEventsMatching(new BaseMatcher<>() {
                    @Override
                    public boolean matches(Object item) {
                        var events = (List<?>) item;
                        return events.size() == 1 && ((EventMessage<?>) events.get(0)).getPayload()
                                instanceof AutomationSettingsChangedEvent e
                                && e.settings().triggers().size() == 1 && e.settings().triggers().get(0).id().equals("t-1");
                    }

                    @Override
                    public void describeTo(Description d) {
                        d.appendText("settings with trigger t-1");
                    }
                });
    }

    @Test
    void cannotAddASecondCronTrigger() {
        var settings = new AutomationSettings(null, List.of(new AutomationSettings.TriggerSpec("t-1", "cron",
                Map.of("schedule", "@hourly", "timezone", "UTC"), null, null, "MAIN", null, null, true)), null, null,
                AutomationFields.DEFAULT_SETTINGS.misfire(), "allow", List.of(), List.of(), null, null, false, true);
        fixture.given(active(settings))
                .when(Commands.addAutomationTrigger(ID, WS, null, "t-2",
                        fields("type", "cron", "config", Map.of("schedule", "@daily")), ALICE, min(1)))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "type"));
    }

    @Test
    void aTriggerFiresFromWhenItWasAdded() {
        var settings = new AutomationSettings(null, List.of(new AutomationSettings.TriggerSpec("t-1", "interval",
                Map.of("every", "15m"), null, null, "MAIN", null, null, true)), null, null,
                AutomationFields.DEFAULT_SETTINGS.misfire(), "allow", List.of(), List.of(), null, null, false, true);
        fixture.given(active(settings))
                .when(new FireJobCommand(ID, "t-1", List.of(min(15)), min(15)))
                .expectEventsMatching(outcomes("fired 15"));
    }

    // --- manual runs and backfill

    @Test
    void canTriggerAnActiveAutomationNow() {
        fixture.given(active(AutomationFields.DEFAULT_SETTINGS))
                .when(Commands.triggerAutomation(ID, WS, "run-1", null, "published", Map.of("x", 1), "manual", ALICE,
                        true, min(1)))
                .expectEvents(new JobFiredEvent(ID, WS, "manual/run-1", "run-1", null, "api", "manual", min(1), min(1),
                        "1.0", "published", Map.of("x", 1), null, 1, "fired", List.of(), null, ALICE));
    }

    @Test
    void cannotRunThePublishedRevisionOfAPausedAutomation() {
        List<Object> given = active(AutomationFields.DEFAULT_SETTINGS);
        given.add(new AutomationPausedEvent(ID, WS, ALICE, T0));
        fixture.given(given)
                .when(Commands.triggerAutomation(ID, WS, "run-1", null, "published", null, "manual", ALICE, true, min(1)))
                .expectException(domainError(DomainException.Kind.CONFLICT, "not_active"));
    }

    @Test
    void canTestRunTheDraftOfADraft() {
        fixture.given(new AutomationCreatedEvent(ID, WS, null, definition("Digest"), AutomationFields.DEFAULT_SETTINGS,
                        "0.1", ALICE, T0))
                .when(Commands.triggerAutomation(ID, WS, "run-1", null, "draft", null, "invoke", ALICE, true, min(1)))
                .expectEvents(new JobFiredEvent(ID, WS, "invoke/run-1", "run-1", null, "api", "invoke", min(1), min(1),
                        "0.1", "draft", Map.of(), null, 1, "fired", List.of(), null, ALICE));
    }

    @Test
    void canBackfillAPastWindow() {
        fixture.given(activeWith(EVERY_10))
                .when(Commands.backfillAutomationSchedule(ID, WS, "b1", T0.minus(Duration.ofMinutes(30)), T0, null,
                        ALICE, min(1)))
                .expectEventsMatching(outcomes("fired -30 backfill", "fired -20 backfill", "fired -10 backfill"));
    }

    @Test
    void pauseStillWorksWithASchedule() {
        fixture.given(activeWith(EVERY_10))
                .when(Commands.pauseAutomation(ID, WS, null, ALICE, min(1)))
                .expectEvents(new AutomationPausedEvent(ID, WS, ALICE, min(1)));
    }
}
