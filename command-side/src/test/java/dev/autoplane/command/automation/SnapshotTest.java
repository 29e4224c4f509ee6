package dev.autoplane.command.automation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.automation.AutomationEvents.AutomationPausedEvent;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.ScheduleCommands.FireJobCommand;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleSetEvent;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import dev.autoplane.platform.axon.AxonStorageConfiguration;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static dev.autoplane.command.automation.AutomationSchedulingTest.EVERY_10;
import static dev.autoplane.command.automation.AutomationSchedulingTest.fired;
import static dev.autoplane.command.automation.AutomationSchedulingTest.min;
import static dev.autoplane.command.automation.AutomationTest.ALICE;
import static dev.autoplane.command.automation.AutomationTest.ID;
import static dev.autoplane.command.automation.AutomationTest.T0;
import static dev.autoplane.command.automation.AutomationTest.WS;
import static org.assertj.core.api.Assertions.assertThat;

/** A snapshot written by the product's snapshot serializer restores exactly the state the events built. */
class SnapshotTest {

    @Test
    void aSnapshotRestoresEveryFieldOfABusyAutomation() throws Exception {
        var settings = new dev.autoplane.events.automation.AutomationSettings(null, List.of(new TriggerSpec("t-1",
                "interval", Map.of("every", "15m"), null, null, "MAIN", null, null, true)), null, null,
                AutomationFields.DEFAULT_SETTINGS.misfire(), "allow", List.of(), List.of(), null, null, false, true);
        List<Object> given = AutomationSchedulingTest.active(settings);
        given.add(new AutomationScheduleSetEvent(ID, WS, EVERY_10, true, T0, 0, ALICE, T0));
        given.add(fired(min(10)));
        given.add(new AutomationPausedEvent(ID, WS, ALICE, min(11)));
        given.add(new OccurrenceSkippedEvent(ID, WS, FireIds.of(ID, FireIds.SCHEDULE, min(20)), FireIds.SCHEDULE,
                "schedule", min(20), min(20), "skipped_paused", "paused"));
        AtomicReference<Automation> state = new AtomicReference<>();
        var fixture = Commands.fixture();
        fixture.given(given).when(new FireJobCommand(ID, "t-1", List.of(min(15)), min(15)))
                .expectState(state::set);

        ObjectMapper snapshots = AxonStorageConfiguration.snapshotMapper(new AxonStorageConfiguration().defaultAxonObjectMapper());
        String json = snapshots.writeValueAsString(state.get());
        Automation restored = snapshots.readValue(json, Automation.class);

        assertThat(json).contains(ID).contains("pausedSkips").contains("openRuns").doesNotContain("\"live\"");
        assertThat(restored).usingRecursiveComparison().isEqualTo(state.get());
    }
}
