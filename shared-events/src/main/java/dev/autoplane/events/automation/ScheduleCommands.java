package dev.autoplane.events.automation;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.WorkspaceScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Commands of an automation's schedule, triggers and fires. Like every automation command they name
 * the workspace the caller addressed and the caller's {@code teamLimit} (the teams a member is limited to; empty:
 * every team); ids and clock readings are made at the edge.
 */
public final class ScheduleCommands {

    private ScheduleCommands() {
    }

    /**
     * PUT (replace, {@code replace = true}) or PATCH the singleton schedule.
     *
     * @param fields the client's JSON fields (snake_case), validated by the aggregate
     */
    public record SetAutomationScheduleCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                               @TargetAggregateVersion Long expectedVersion,
                                               Map<String, Object> fields, boolean replace, Actor actor,
                                               Instant at,
                                               List<String> teamLimit) implements WorkspaceScoped {
    }

    public record RemoveAutomationScheduleCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                                  @TargetAggregateVersion Long expectedVersion, Actor actor,
                                                  Instant at,
                                                  List<String> teamLimit) implements WorkspaceScoped {
    }

    public record EnableAutomationScheduleCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                                  @TargetAggregateVersion Long expectedVersion, Actor actor,
                                                  Instant at,
                                                  List<String> teamLimit) implements WorkspaceScoped {
    }

    public record DisableAutomationScheduleCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                                   @TargetAggregateVersion Long expectedVersion, Actor actor,
                                                   Instant at,
                                                   List<String> teamLimit) implements WorkspaceScoped {
    }

    /** Adds one trigger ({@code trigger}: the client's JSON object) under the id made at the edge. */
    public record AddAutomationTriggerCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                              @TargetAggregateVersion Long expectedVersion, String triggerId,
                                              Map<String, Object> trigger, Actor actor, Instant at,
                                              List<String> teamLimit) implements WorkspaceScoped {
    }

    /** Changes the given fields of one trigger. */
    public record ChangeAutomationTriggerCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                                 @TargetAggregateVersion Long expectedVersion, String triggerId,
                                                 Map<String, Object> changes, Actor actor, Instant at,
                                                 List<String> teamLimit) implements WorkspaceScoped {
    }

    public record RemoveAutomationTriggerCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                                 @TargetAggregateVersion Long expectedVersion, String triggerId,
                                                 Actor actor, Instant at,
                                                 List<String> teamLimit) implements WorkspaceScoped {
    }

    /**
     * The scheduling engine's delivery of the occurrences of one time source (the schedule, id
     * {@code "schedule"}, or a cron / interval / at trigger) that came due, oldest first. Delivered at
     * least once; the aggregate records each occurrence exactly once (its outcome: fired, skipped,
     * throttled, missed, buffered) and ignores occurrences it has already accounted for.
     *
     * @param due nominal occurrence instants (before jitter), ascending
     * @param now when the engine delivered them: lateness is judged against it
     */
    public record FireJobCommand(@TargetAggregateIdentifier String automationId, String sourceId,
                                 List<Instant> due, Instant now) {
    }

    /**
     * A manual fire ({@code POST .../trigger}, {@code POST .../invoke}): one run, now.
     *
     * @param stage {@code published} (default) or {@code draft} (a test run of the current draft)
     */
    public record TriggerAutomationCommand(@TargetAggregateIdentifier String automationId, String workspaceId,
                                           String runId, String triggerId, String stage,
                                           Map<String, Object> inputs, String source, Actor actor,
                                           boolean mayRunDraft, Instant at,
                                           List<String> teamLimit) implements WorkspaceScoped {
    }

    /** Fires the schedule's occurrences in {@code [startTime, endTime)}, a past window. */
    public record BackfillAutomationScheduleCommand(@TargetAggregateIdentifier String automationId,
                                                    String workspaceId, String backfillId, Instant startTime,
                                                    Instant endTime, String overlapPolicy, Actor actor,
                                                    Instant at,
                                                    List<String> teamLimit) implements WorkspaceScoped {
    }
}
