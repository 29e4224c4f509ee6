package dev.autoplane.command.automation;

import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunCommands.NoteRunEndedCommand;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import dev.autoplane.events.run.RunEvents.RunEndedEvent;
import dev.autoplane.events.run.RunEvents.RunScheduledEvent;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.autoplane.command.automation.AutomationSchedulingTest.activeWith;
import static dev.autoplane.command.automation.AutomationSchedulingTest.deliver;
import static dev.autoplane.command.automation.AutomationSchedulingTest.fired;
import static dev.autoplane.command.automation.AutomationSchedulingTest.min;
import static dev.autoplane.command.automation.AutomationSchedulingTest.outcomes;
import static dev.autoplane.command.automation.AutomationSchedulingTest.policies;
import static dev.autoplane.command.automation.AutomationTest.ID;
import static dev.autoplane.command.automation.AutomationTest.WS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The automation learns that its runs end ({@link NoteRunEndedCommand}, sent by {@code RunEndRelay}), so
 * the overlap policies judge the runs really open; and every fire creates its run aggregate.
 */
class RunEndedTest {

    private FixtureConfiguration<Automation> fixture;
    private RunRepositories runs;

    @BeforeEach
    void setUp() {
        runs = new RunRepositories();
        fixture = Commands.fixture(runs, new AutomationTest.InMemoryNames());
    }

    @Test
    void aFireCreatesItsRunScheduledWithTheRevisionsDefinitionAndTheRetryPolicy() {
        String fireId = FireIds.of(ID, FireIds.SCHEDULE, min(10));
        String runId = FireIds.runId(fireId, min(10));
        fixture.given(activeWith(policies("skip", "allow"))).when(deliver(min(10), min(10)))
                .expectEventsMatching(outcomes("fired 10"));
        List<Object> events = runs.events(runId);
        assertThat(events).hasSize(1);
        RunScheduledEvent scheduled = (RunScheduledEvent) events.get(0);
        assertThat(scheduled.automationId()).isEqualTo(ID);
        assertThat(scheduled.workspaceId()).isEqualTo(WS);
        assertThat(scheduled.fireId()).isEqualTo(fireId);
        assertThat(scheduled.revision()).isEqualTo("1.0");
        assertThat(scheduled.maxAttempts()).isEqualTo(1);
        assertThat(scheduled.definition().kind()).isEqualTo(AutomationTest.definition("Digest").kind());
    }

    @Test
    void skipFiresAgainOnceTheOpenRunHasCompleted() {
        List<Object> given = activeWith(policies("skip", "skip"));
        JobFiredEvent first = fired(min(10));
        given.add(first);
        given.add(new RunEndedEvent(ID, WS, first.runId(), "completed", null, min(15)));
        fixture.given(given).when(deliver(min(20), min(20))).expectEventsMatching(outcomes("fired 20"));
    }

    @Test
    void anEndedRunIsRecordedOnceAndOnlyIfItWasOpen() {
        List<Object> given = activeWith(policies("skip", "skip"));
        JobFiredEvent first = fired(min(10));
        given.add(first);
        fixture.given(given).when(new NoteRunEndedCommand(ID, first.runId(), "failed", "boom", min(12)))
                .expectEvents(new RunEndedEvent(ID, WS, first.runId(), "failed", "boom", min(12)));
        given.add(new RunEndedEvent(ID, WS, first.runId(), "failed", "boom", min(12)));
        fixture.given(given).when(new NoteRunEndedCommand(ID, first.runId(), "failed", "boom", min(12))).expectNoEvents();
        fixture.given(activeWith(policies("skip", "skip")))
                .when(new NoteRunEndedCommand(ID, "unknown-run", "completed", null, min(12))).expectNoEvents();
    }

    @Test
    void bufferOneFiresTheHeldOccurrenceWhenTheOpenRunEnds() {
        List<Object> given = activeWith(policies("skip", "buffer_one"));
        JobFiredEvent first = fired(min(10));
        given.add(first);
        given.add(new OccurrenceSkippedEvent(ID, WS, FireIds.of(ID, FireIds.SCHEDULE, min(20)), FireIds.SCHEDULE,
                "schedule", min(20), min(20), "buffered", "held"));
        fixture.given(given).when(new NoteRunEndedCommand(ID, first.runId(), "completed", null, min(25)))
                .expectEventsMatching(outcomes("RunEndedEvent", "fired 20 buffered"));
    }

    @Test
    void aReleasedBufferHoldsTheNextOccurrenceAgain() {
        List<Object> given = activeWith(policies("skip", "buffer_one"));
        JobFiredEvent first = fired(min(10));
        given.add(first);
        String heldFireId = FireIds.of(ID, FireIds.SCHEDULE, min(20));
        given.add(new OccurrenceSkippedEvent(ID, WS, heldFireId, FireIds.SCHEDULE, "schedule", min(20), min(20),
                "buffered", "held"));
        given.add(new RunEndedEvent(ID, WS, first.runId(), "completed", null, min(25)));
        given.add(new JobFiredEvent(ID, WS, heldFireId, FireIds.runId(heldFireId, min(20)), FireIds.SCHEDULE, "schedule",
                "buffered", min(20), min(25), "1.0", "published", java.util.Map.of(), null, 1, "fired", List.of(),
                null, dev.autoplane.events.common.Actor.SYSTEM));
        fixture.given(given).when(deliver(min(30), min(30))).expectEventsMatching(outcomes("buffered 30"));
    }

    @Test
    void cancelOtherJudgesOnlyRunsStillOpen() {
        List<Object> given = activeWith(policies("skip", "cancel_other"));
        JobFiredEvent first = fired(min(10));
        given.add(first);
        given.add(new RunEndedEvent(ID, WS, first.runId(), "completed", null, min(15)));
        fixture.given(given).when(deliver(min(20), min(20))).expectEventsMatching(outcomes("fired 20"));
    }
}
