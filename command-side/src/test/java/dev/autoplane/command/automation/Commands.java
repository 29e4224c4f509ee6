package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationCommands;
import dev.autoplane.events.automation.ScheduleCommands;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.EncryptedValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The commands of the aggregate tests, as a caller without a team limit sends them (the team limit is
 * the last component of each; {@code AutomationTest} covers the limited callers with the full records).
 */
final class Commands {

    private Commands() {
    }

    /** An aggregate fixture for {@code Automation}: runs it creates go to {@code runs}, names to {@code names}. */
    static org.axonframework.test.aggregate.FixtureConfiguration<Automation> fixture(RunRepositories runs,
                                                                                      AutomationTest.InMemoryNames names) {
        var fixture = new org.axonframework.test.aggregate.AggregateTestFixture<>(Automation.class);
        fixture.registerRepositoryProvider(runs);
        fixture.registerInjectableResource(names);
        return fixture;
    }

    /** The same with fresh run repositories and names. */
    static org.axonframework.test.aggregate.FixtureConfiguration<Automation> fixture() {
        return fixture(new RunRepositories(), new AutomationTest.InMemoryNames());
    }

    static AutomationCommands.CreateAutomationCommand createAutomation(String automationId, String workspaceId, Map<String, Object> fields, EncryptedValue oauthToken, String secretId, String secretHash, Actor actor, boolean mayApprove, Instant at) {
        return new AutomationCommands.CreateAutomationCommand(automationId, workspaceId, fields, oauthToken, null, secretId, secretHash, actor, mayApprove, at, List.of());
    }

    static AutomationCommands.UpdateAutomationCommand updateAutomation(String automationId, String workspaceId, Long expectedVersion, Map<String, Object> changes, EncryptedValue oauthToken, boolean clearOauthToken, Actor actor, boolean mayApprove, Instant at) {
        return new AutomationCommands.UpdateAutomationCommand(automationId, workspaceId, expectedVersion, changes, oauthToken, clearOauthToken, null, actor, mayApprove, at, List.of());
    }

    static AutomationCommands.SubmitAutomationCommand submitAutomation(String automationId, String workspaceId, Long expectedVersion, Actor actor, Instant at) {
        return new AutomationCommands.SubmitAutomationCommand(automationId, workspaceId, expectedVersion, actor, at, List.of());
    }

    static AutomationCommands.ApproveAutomationCommand approveAutomation(String automationId, String workspaceId, Long expectedVersion, String revision, Actor actor, boolean mayApprove, Instant at) {
        return new AutomationCommands.ApproveAutomationCommand(automationId, workspaceId, expectedVersion, revision, actor, mayApprove, at, List.of());
    }

    static AutomationCommands.RejectAutomationCommand rejectAutomation(String automationId, String workspaceId, Long expectedVersion, String reason, Actor actor, boolean mayApprove, Instant at) {
        return new AutomationCommands.RejectAutomationCommand(automationId, workspaceId, expectedVersion, reason, actor, mayApprove, at, List.of());
    }

    static AutomationCommands.PauseAutomationCommand pauseAutomation(String automationId, String workspaceId, Long expectedVersion, Actor actor, Instant at) {
        return new AutomationCommands.PauseAutomationCommand(automationId, workspaceId, expectedVersion, actor, at, List.of());
    }

    static AutomationCommands.ResumeAutomationCommand resumeAutomation(String automationId, String workspaceId, Long expectedVersion, Actor actor, boolean mayApprove, Instant at) {
        return new AutomationCommands.ResumeAutomationCommand(automationId, workspaceId, expectedVersion, actor, mayApprove, at, List.of());
    }

    static AutomationCommands.PublishAutomationCommand publishAutomation(String automationId, String workspaceId, Long expectedVersion, Actor actor, Instant at) {
        return new AutomationCommands.PublishAutomationCommand(automationId, workspaceId, expectedVersion, actor, at, List.of());
    }

    static AutomationCommands.DeleteAutomationCommand deleteAutomation(String automationId, String workspaceId, Long expectedVersion, Actor actor, Instant at) {
        return new AutomationCommands.DeleteAutomationCommand(automationId, workspaceId, expectedVersion, actor, at, List.of());
    }

    static AutomationCommands.UndeleteAutomationCommand undeleteAutomation(String automationId, String workspaceId, Long expectedVersion, Actor actor, Instant at) {
        return new AutomationCommands.UndeleteAutomationCommand(automationId, workspaceId, expectedVersion, actor, at, List.of());
    }

    static AutomationCommands.PurgeAutomationCommand purgeAutomation(String automationId, String workspaceId, Long expectedVersion, Actor actor, Instant at) {
        return new AutomationCommands.PurgeAutomationCommand(automationId, workspaceId, expectedVersion, actor, at, List.of());
    }

    static ScheduleCommands.SetAutomationScheduleCommand setAutomationSchedule(String automationId, String workspaceId, Long expectedVersion, Map<String, Object> fields, boolean replace, Actor actor, Instant at) {
        return new ScheduleCommands.SetAutomationScheduleCommand(automationId, workspaceId, expectedVersion, fields, replace, actor, at, List.of());
    }

    static ScheduleCommands.RemoveAutomationScheduleCommand removeAutomationSchedule(String automationId, String workspaceId, Long expectedVersion, Actor actor, Instant at) {
        return new ScheduleCommands.RemoveAutomationScheduleCommand(automationId, workspaceId, expectedVersion, actor, at, List.of());
    }

    static ScheduleCommands.EnableAutomationScheduleCommand enableAutomationSchedule(String automationId, String workspaceId, Long expectedVersion, Actor actor, Instant at) {
        return new ScheduleCommands.EnableAutomationScheduleCommand(automationId, workspaceId, expectedVersion, actor, at, List.of());
    }

    static ScheduleCommands.DisableAutomationScheduleCommand disableAutomationSchedule(String automationId, String workspaceId, Long expectedVersion, Actor actor, Instant at) {
        return new ScheduleCommands.DisableAutomationScheduleCommand(automationId, workspaceId, expectedVersion, actor, at, List.of());
    }

    static ScheduleCommands.AddAutomationTriggerCommand addAutomationTrigger(String automationId, String workspaceId, Long expectedVersion, String triggerId, Map<String, Object> trigger, Actor actor, Instant at) {
        return new ScheduleCommands.AddAutomationTriggerCommand(automationId, workspaceId, expectedVersion, triggerId, trigger, actor, at, List.of());
    }

    static ScheduleCommands.ChangeAutomationTriggerCommand changeAutomationTrigger(String automationId, String workspaceId, Long expectedVersion, String triggerId, Map<String, Object> changes, Actor actor, Instant at) {
        return new ScheduleCommands.ChangeAutomationTriggerCommand(automationId, workspaceId, expectedVersion, triggerId, changes, actor, at, List.of());
    }

    static ScheduleCommands.RemoveAutomationTriggerCommand removeAutomationTrigger(String automationId, String workspaceId, Long expectedVersion, String triggerId, Actor actor, Instant at) {
        return new ScheduleCommands.RemoveAutomationTriggerCommand(automationId, workspaceId, expectedVersion, triggerId, actor, at, List.of());
    }

    static ScheduleCommands.TriggerAutomationCommand triggerAutomation(String automationId, String workspaceId, String runId, String triggerId, String stage, Map<String, Object> inputs, String source, Actor actor, boolean mayRunDraft, Instant at) {
        return new ScheduleCommands.TriggerAutomationCommand(automationId, workspaceId, runId, triggerId, stage, inputs, source, actor, mayRunDraft, at, List.of());
    }

    static ScheduleCommands.BackfillAutomationScheduleCommand backfillAutomationSchedule(String automationId, String workspaceId, String backfillId, Instant startTime, Instant endTime, String overlapPolicy, Actor actor, Instant at) {
        return new ScheduleCommands.BackfillAutomationScheduleCommand(automationId, workspaceId, backfillId, startTime, endTime, overlapPolicy, actor, at, List.of());
    }
}
