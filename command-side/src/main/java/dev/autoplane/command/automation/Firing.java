package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationResumedEvent;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.ScheduleCommands.BackfillAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.FireJobCommand;
import dev.autoplane.events.automation.ScheduleCommands.SetAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.TriggerAutomationCommand;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleRemovedEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleSetEvent;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.automation.WebhookCommands.FireWebhookTriggerCommand;
import dev.autoplane.events.automation.WebhookCommands.WebhookFireResult;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunCommands.NoteRunEndedCommand;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import dev.autoplane.events.run.RunEvents.RunCanceledEvent;
import dev.autoplane.events.run.RunEvents.RunEndedEvent;
import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.scheduling.SourceBook;
import dev.autoplane.platform.scheduling.TimeSource;
import org.axonframework.eventsourcing.EventSourcingHandler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.autoplane.events.automation.AutomationStatus.ACTIVE;
import static dev.autoplane.events.automation.AutomationStatus.PAUSED;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * When an automation fires: its time sources (the {@link SourceBook}), the runs it has open, the
 * occurrence held by {@code buffer_one}, recent fires for the fire limits, recent manual runs and the
 * occurrences skipped while paused; and every decision about a due occurrence: misfire grace,
 * catch-up, overlap, fire limits. Every due occurrence gets exactly one recorded outcome: a
 * {@code JobFired} or an {@code OccurrenceSkipped} (with a {@link SkipOutcome}).
 * <p>
 * An aggregate member of {@link Automation}, which keeps every command handler and delegates here.
 * It holds no reference back to the root (snapshots are written field by field): what it needs of
 * the automation comes in a {@link FireContext} with each call.
 */
class Firing {

    /** At most this many catch-up runs per delivery or resume ({@code fire_all}); the rest are recorded as missed. */
    static final int MAX_CATCH_UP = 100;
    /** At most this many occurrences in one backfill. */
    static final int MAX_BACKFILL = 1_000;
    static final int MAX_OPEN_RUNS = 1_000;
    static final int MAX_PAUSED_SKIPS = MAX_CATCH_UP;

    private FireLimits fireLimits = new FireLimits();
    /** Runs fired and not yet ended (bounded), for the overlap policies. */
    private LinkedHashSet<String> openRuns = new LinkedHashSet<>();
    /** Per source, the one occurrence held by {@code buffer_one}. */
    private Map<String, Instant> buffered = new HashMap<>();
    /** Run ids of recent manual fires (bounded), so a repeated request records one run. */
    private LinkedHashSet<String> recentManualRuns = new LinkedHashSet<>();
    /** Per source, the occurrences skipped while paused (bounded), for the catch-up on resume. */
    private Map<String, List<Instant>> pausedSkips = new HashMap<>();
    /** The latest published revision's definition, which its runs execute. */
    private AutomationDefinition publishedDefinition;

    /** The schedule's entry in the book, if the automation has a schedule. */
    static Optional<SourceBook.Entry> schedule(FireContext ctx) {
        return ctx.sources().get(FireIds.SCHEDULE);
    }

    /**
     * {@code PUT}/{@code PATCH .../schedule}: records the new schedule, if it changes anything. A schedule
     * whose timing is unchanged keeps its cursor and count; a new timing counts from now, or from just
     * before its start time if that is later. Answers whether it changed.
     */
    boolean setSchedule(SetAutomationScheduleCommand cmd, FireContext ctx) {
        ScheduleSpec current = ctx.sources().schedule().orElse(null);
        ScheduleSpec spec = ScheduleFields.bind(current, cmd.fields(), cmd.replace(), cmd.at());
        if (spec.equals(current)) {
            return false;
        }
        var entry = schedule(ctx);
        boolean keepsCursor = entry.isPresent() && !spec.timingDiffers(current);
        Instant cursor = keepsCursor ? entry.get().cursor()
                : spec.startTime() != null && spec.startTime().isAfter(cmd.at()) ? spec.startTime().minusNanos(1) : cmd.at();
        apply(new AutomationScheduleSetEvent(ctx.automationId(), ctx.workspaceId(), spec,
                entry.map(SourceBook.Entry::enabled).orElse(true), cursor, keepsCursor ? entry.get().count() : 0,
                cmd.actor(), cmd.at()));
        return true;
    }

    // --- the three ways to fire

    /**
     * The engine delivers the occurrences of one source that came due. Delivered at least once:
     * those at or before the source's cursor were accounted for already and change nothing.
     */
    void fireDue(FireJobCommand cmd, FireContext ctx) {
        var entry = ctx.sources().get(cmd.sourceId()).orElse(null);
        if (entry == null || !entry.enabled() || !ctx.sources().isLive()) {
            return; // nothing of this source may fire now; the engine's index follows the events
        }
        TimeSource source = entry.source();
        int grace = misfireGrace(cmd.sourceId(), ctx);
        CatchUpPolicy policy = catchUpPolicy(cmd.sourceId(), ctx);
        List<Instant> fresh = cmd.due().stream().filter(s -> s.isAfter(entry.cursor())).sorted().distinct().toList();
        boolean anyOnTime = fresh.stream().anyMatch(s -> !isLate(source, cmd.sourceId(), s, cmd.now(), grace, ctx));
        Instant lastLate = fresh.stream().filter(s -> isLate(source, cmd.sourceId(), s, cmd.now(), grace, ctx))
                .reduce((a, b) -> b).orElse(null);
        int caughtUp = 0;
        for (Instant s : fresh) {
            String fireId = FireIds.of(ctx.automationId(), cmd.sourceId(), s);
            if (ctx.status() == PAUSED) {
                skip(cmd.sourceId(), entry.triggerType(), s, fireId, SkipOutcome.SKIPPED_PAUSED, "the automation is paused",
                        cmd.now(), ctx);
                continue;
            }
            if (ctx.deactivated()) {
                skip(cmd.sourceId(), entry.triggerType(), s, fireId, SkipOutcome.SKIPPED_DEACTIVATED,
                        "the published revision is deactivated", cmd.now(), ctx);
                continue;
            }
            if (!isLate(source, cmd.sourceId(), s, cmd.now(), grace, ctx)) {
                fire(cmd.sourceId(), entry.triggerType(), s, fireId, "schedule", null, cmd.now(), ctx);
                continue;
            }
            long lateBy = Duration.between(source.dueAt(ctx.automationId(), cmd.sourceId(), s), cmd.now()).toSeconds();
            String late = "due " + lateBy + " s ago, beyond the misfire grace of " + grace + " s";
            if (policy.runsLate(s, anyOnTime, lastLate, caughtUp, MAX_CATCH_UP)) {
                caughtUp++;
                fire(cmd.sourceId(), entry.triggerType(), s, fireId, "catch_up",
                        late + "; fired by catch_up_policy " + policy.wire(), cmd.now(), ctx);
            } else {
                skip(cmd.sourceId(), entry.triggerType(), s, fireId, SkipOutcome.MISSED, late + policy.whyMissed(MAX_CATCH_UP),
                        cmd.now(), ctx);
            }
        }
    }

    /**
     * {@code POST .../trigger} and {@code POST .../invoke}: one run now. Answers the run, or
     * {@code null} for a repeated delivery of the same request (recorded once).
     */
    RunView trigger(TriggerAutomationCommand cmd, FireContext ctx) {
        if (recentManualRuns.contains(cmd.runId())) {
            return null;
        }
        boolean draft = "draft".equals(cmd.stage());
        if (draft && !cmd.mayRunDraft()) {
            throw AutomationErrors.draftRunForbidden();
        }
        if (!draft && ctx.status() != ACTIVE) {
            throw AutomationErrors.notActive(ctx.automationId(), ctx.status(), "runs its published revision");
        }
        if (!draft && !ctx.settings().enabled()) {
            throw AutomationErrors.notEnabled(ctx.automationId());
        }
        if (!draft && ctx.deactivated()) {
            throw RevisionErrors.deactivated(ctx.automationId());
        }
        TriggerSpec trigger = cmd.triggerId() == null ? null : Optional.ofNullable(ctx.trigger(cmd.triggerId()))
                .orElseThrow(() -> AutomationErrors.triggerNotFound(ctx.automationId(), cmd.triggerId()));
        String triggerType = trigger == null ? "api" : trigger.type();
        String fireId = cmd.source() + "/" + cmd.runId();
        Map<String, Object> inputs = RunStarts.inputs(ctx, cmd.inputs());
        String revision = draft ? ctx.draftRevision().toString() : ctx.publishedRevision().toString();
        int maxAttempts = RunStarts.maxAttempts(cmd.triggerId(), ctx);
        JobFiredEvent fired = new JobFiredEvent(ctx.automationId(), ctx.workspaceId(), fireId, cmd.runId(), cmd.triggerId(),
                triggerType, cmd.source(), cmd.at(), cmd.at(), revision, draft ? "draft" : "published", Map.copyOf(inputs),
                ctx.definition().agentName(), maxAttempts, "fired", List.of(), null, cmd.actor());
        RunStarts.start(fired, ctx, publishedDefinition);
        return RunView.scheduled(fired);
    }

    /**
     * A verified webhook delivery matched one of its {@code webhook} triggers: one occurrence of that
     * trigger, judged like any other (status, fire limits, overlap policy; the run gets the trigger's
     * retry). A paused automation records {@code skipped_paused}, one that is not active (draft, pending,
     * rejected) or not enabled records {@code skipped_inactive}. A delivery seen before (its fire id is
     * among the recent manual and webhook fires) records nothing and answers {@code duplicate}.
     */
    WebhookFireResult webhook(FireWebhookTriggerCommand cmd, FireContext ctx) {
        String runId = FireIds.runId(cmd.fireId(), cmd.deliveredAt());
        if (recentManualRuns.contains(cmd.fireId()) || recentManualRuns.contains(runId)) {
            return new WebhookFireResult(ctx.automationId(), cmd.triggerId(), "duplicate",
                    "this delivery was handled before", null);
        }
        TriggerSpec trigger = ctx.trigger(cmd.triggerId());
        if (trigger == null || !"webhook".equals(trigger.type()) || !trigger.enabled()
                || !java.util.Objects.equals(trigger.config() == null ? null : trigger.config().get("endpoint"), cmd.endpointSlug())) {
            return new WebhookFireResult(ctx.automationId(), cmd.triggerId(), "not_matched",
                    "the trigger is gone, disabled or on another endpoint", null);
        }
        String reason = "webhook delivery " + cmd.deliveryId() + " on endpoint " + cmd.endpointSlug();
        if (ctx.status() != ACTIVE || !ctx.settings().enabled() || ctx.publishedRevision() == null) {
            SkipOutcome outcome = ctx.status() == PAUSED ? SkipOutcome.SKIPPED_PAUSED : SkipOutcome.SKIPPED_INACTIVE;
            String why = ctx.status() == PAUSED ? "the automation is paused"
                    : ctx.status() != ACTIVE ? "the automation is " + ctx.status().toString().toLowerCase(java.util.Locale.ROOT)
                    + ", not active" : !ctx.settings().enabled() ? "the automation is not enabled" : "nothing is published";
            skip(cmd.triggerId(), "webhook", cmd.deliveredAt(), cmd.fireId(), outcome, why + "; " + reason, cmd.at(), ctx);
            return new WebhookFireResult(ctx.automationId(), cmd.triggerId(), outcome.wire(), why, null);
        }
        if (ctx.deactivated()) { // logged, not executed (seed 002's activation state)
            String why = "the published revision is deactivated";
            skip(cmd.triggerId(), "webhook", cmd.deliveredAt(), cmd.fireId(), SkipOutcome.SKIPPED_DEACTIVATED,
                    why + "; " + reason, cmd.at(), ctx);
            return new WebhookFireResult(ctx.automationId(), cmd.triggerId(), SkipOutcome.SKIPPED_DEACTIVATED.wire(), why, null);
        }
        Map<String, Object> inputs = RunStarts.inputs(ctx, cmd.inputs());
        OverlapPolicy overlap = overlapPolicy(cmd.triggerId(), ctx);
        // a delivery is not held for later: buffer_one skips it like skip (the sender may re-send it)
        String skipped = decideAndFire(cmd.triggerId(), "webhook", cmd.deliveredAt(), cmd.fireId(), "webhook", reason,
                overlap == OverlapPolicy.BUFFER_ONE ? OverlapPolicy.SKIP : overlap, cmd.at(), ctx, inputs);
        if (skipped != null) {
            return new WebhookFireResult(ctx.automationId(), cmd.triggerId(), skipped, lastSkipReason, null);
        }
        return new WebhookFireResult(ctx.automationId(), cmd.triggerId(), "fired", null, lastFired);
    }

    /** Fires the schedule's occurrences in [start, end), a window that has passed; answers the runs made. */
    List<String> backfill(BackfillAutomationScheduleCommand cmd, FireContext ctx) {
        SourceBook.Entry entry = schedule(ctx).orElseThrow(() -> AutomationErrors.scheduleNotFound(ctx.automationId()));
        if (ctx.status() != ACTIVE) {
            throw AutomationErrors.notActive(ctx.automationId(), ctx.status(), "can be backfilled");
        }
        if (ctx.deactivated()) {
            throw RevisionErrors.deactivated(ctx.automationId());
        }
        TimeSource source = entry.source();
        List<Instant> window = new ArrayList<>();
        Instant cursor = cmd.startTime().minusNanos(1);
        while (window.size() <= MAX_BACKFILL) {
            var next = source.next(cursor, 0);
            if (next.isEmpty() || !next.get().isBefore(cmd.endTime())) {
                break;
            }
            window.add(next.get());
            cursor = next.get();
        }
        if (window.size() > MAX_BACKFILL) {
            throw AutomationErrors.backfillTooLarge(MAX_BACKFILL);
        }
        OverlapPolicy overlap = cmd.overlapPolicy() == null ? overlapPolicy(FireIds.SCHEDULE, ctx)
                : OverlapPolicy.fromWire(cmd.overlapPolicy());
        List<String> runs = new ArrayList<>();
        for (Instant s : window) {
            String fireId = FireIds.of(ctx.automationId(), FireIds.SCHEDULE, s) + "#backfill-" + cmd.backfillId();
            decideAndFire(FireIds.SCHEDULE, "schedule", s, fireId, "backfill", "backfill " + cmd.backfillId(), overlap,
                    cmd.at(), ctx);
            if (openRuns.contains(FireIds.runId(fireId, s))) {
                runs.add(FireIds.runId(fireId, s));
            }
        }
        return runs;
    }

    /** The occurrences skipped while paused, per source, before the resume clears them. */
    Map<String, List<Instant>> skippedWhilePaused() {
        Map<String, List<Instant>> copy = new LinkedHashMap<>();
        pausedSkips.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /** After a resume: each source's catch-up policy over the occurrences skipped while paused. */
    void catchUpAfterPause(Map<String, List<Instant>> skipped, Instant at, FireContext ctx) {
        for (var e : skipped.entrySet()) {
            var entry = ctx.sources().get(e.getKey());
            if (entry.isEmpty()) {
                continue;
            }
            CatchUpPolicy policy = catchUpPolicy(e.getKey(), ctx);
            if (ctx.deactivated()) {
                continue; // deactivated: nothing runs (the occurrences were recorded as skipped_paused)
            }
            for (Instant s : policy.onResume(e.getValue())) {
                fire(e.getKey(), entry.get().triggerType(), s, FireIds.of(ctx.automationId(), e.getKey(), s), "catch_up",
                        "caught up on resume (catch_up_policy " + policy.wire() + ")", at, ctx);
            }
        }
    }

    /** A run ended: it is no longer open; once none is, the earliest occurrence held by {@code buffer_one} fires. */
    void runEnded(NoteRunEndedCommand cmd, FireContext ctx) {
        if (!openRuns.contains(cmd.runId())) {
            return; // not open here (canceled by cancel_other, or told before)
        }
        apply(new RunEndedEvent(ctx.automationId(), ctx.workspaceId(), cmd.runId(), cmd.status(), cmd.error(), cmd.at()));
        var held = buffered.entrySet().stream().min(Map.Entry.comparingByValue()).orElse(null);
        var entry = held == null ? null : ctx.sources().get(held.getKey()).orElse(null);
        if (openRuns.isEmpty() && entry != null && ctx.status() == ACTIVE && !ctx.deactivated() && ctx.sources().isLive()) {
            fire(held.getKey(), entry.triggerType(), held.getValue(), FireIds.of(ctx.automationId(), held.getKey(),
                    held.getValue()), "buffered", "held by buffer_one until the open run ended", cmd.at(), ctx);
        }
    }

    // --- decisions

    private boolean isLate(TimeSource source, String sourceId, Instant s, Instant now, int grace, FireContext ctx) {
        return Duration.between(source.dueAt(ctx.automationId(), sourceId, s), now).toSeconds() > grace;
    }

    private void fire(String sourceId, String triggerType, Instant s, String fireId, String why, String reason, Instant now,
                      FireContext ctx) {
        decideAndFire(sourceId, triggerType, s, fireId, why, reason, overlapPolicy(sourceId, ctx), now, ctx);
    }

    /** The fire limits, then the overlap policy, then the fire. */
    private void decideAndFire(String sourceId, String triggerType, Instant s, String fireId, String why, String reason,
                               OverlapPolicy overlap, Instant now, FireContext ctx) {
        decideAndFire(sourceId, triggerType, s, fireId, why, reason, overlap, now, ctx, RunStarts.defaultInputs(ctx));
    }

    /** What the last {@link #decideAndFire} of this command did (transient: read right after it, never folded). */
    private transient String lastSkipReason;
    private transient RunView lastFired;

    /** As above with these inputs; answers the skip outcome, or {@code null} when it fired. */
    private String decideAndFire(String sourceId, String triggerType, Instant s, String fireId, String why, String reason,
                                 OverlapPolicy overlap, Instant now, FireContext ctx, Map<String, Object> inputs) {
        TriggerSpec trigger = ctx.trigger(sourceId);
        String throttled = fireLimits.throttledBy(ctx.settings().fireLimit(), trigger == null ? null : trigger.fireLimit(),
                sourceId, s);
        if (throttled != null) {
            skip(sourceId, triggerType, s, fireId, SkipOutcome.THROTTLED, throttled, now, ctx);
            lastSkipReason = throttled;
            return SkipOutcome.THROTTLED.wire();
        }
        List<String> cancel = List.of();
        if (!openRuns.isEmpty()) {
            String open = openRuns.size() + " run(s) of this automation not yet finished";
            switch (overlap) {
                case SKIP -> {
                    skip(sourceId, triggerType, s, fireId, SkipOutcome.SKIPPED_OVERLAP, open + " (overlap_policy skip)", now, ctx);
                    lastSkipReason = open + " (overlap_policy skip)";
                    return SkipOutcome.SKIPPED_OVERLAP.wire();
                }
                case BUFFER_ONE -> {
                    if (buffered.containsKey(sourceId)) {
                        lastSkipReason = open + " and one occurrence is already buffered (overlap_policy buffer_one)";
                        skip(sourceId, triggerType, s, fireId, SkipOutcome.SKIPPED_OVERLAP, lastSkipReason, now, ctx);
                        return SkipOutcome.SKIPPED_OVERLAP.wire();
                    }
                    lastSkipReason = open + ": held to run when they end (overlap_policy buffer_one)";
                    skip(sourceId, triggerType, s, fireId, SkipOutcome.BUFFERED, lastSkipReason, now, ctx);
                    return SkipOutcome.BUFFERED.wire();
                }
                case CANCEL_OTHER -> cancel = List.copyOf(openRuns);
                case ALLOW -> { }
            }
        }
        String runId = FireIds.runId(fireId, s);
        for (String other : cancel) {
            apply(new RunCanceledEvent(other, ctx.automationId(), ctx.workspaceId(), "canceled by occurrence " + fireId
                    + " (overlap_policy cancel_other)", Actor.SYSTEM, now));
        }
        JobFiredEvent fired = new JobFiredEvent(ctx.automationId(), ctx.workspaceId(), fireId, runId, sourceId, triggerType, why, s, now,
                ctx.publishedRevision() == null ? ctx.draftRevision().toString() : ctx.publishedRevision().toString(),
                "published", Map.copyOf(inputs), ctx.definition().agentName(), RunStarts.maxAttempts(sourceId, ctx),
                cancel.isEmpty() ? "fired" : "canceled_other", cancel, reason, Actor.SYSTEM);
        RunStarts.start(fired, ctx, publishedDefinition);
        lastFired = RunView.scheduled(fired);
        return null;
    }

    private void skip(String sourceId, String triggerType, Instant s, String fireId, SkipOutcome outcome, String reason,
                      Instant now, FireContext ctx) {
        apply(new OccurrenceSkippedEvent(ctx.automationId(), ctx.workspaceId(), fireId, sourceId, triggerType, s, now,
                outcome.wire(), reason));
    }

    private int misfireGrace(String sourceId, FireContext ctx) {
        return FireIds.SCHEDULE.equals(sourceId) ? ctx.sources().schedule().orElseThrow().misfireGraceSeconds()
                : ctx.settings().misfire().graceSeconds();
    }

    private CatchUpPolicy catchUpPolicy(String sourceId, FireContext ctx) {
        return CatchUpPolicy.fromWire(FireIds.SCHEDULE.equals(sourceId)
                ? ctx.sources().schedule().map(ScheduleSpec::catchUpPolicy).orElse(null)
                : ctx.settings().misfire().catchUpPolicy());
    }

    private OverlapPolicy overlapPolicy(String sourceId, FireContext ctx) {
        return OverlapPolicy.fromWire(FireIds.SCHEDULE.equals(sourceId)
                ? ctx.sources().schedule().map(ScheduleSpec::overlapPolicy).orElse(null)
                : ctx.settings().overlapPolicy());
    }

    // --- state

    // The time sources (the schedule and the time triggers, and how far each has come) are not kept here:
    // they are the SourceBook that the automation's answering document folds (Answering), handed in with
    // the FireContext, so every event is folded once and a snapshot holds one book.

    @EventSourcingHandler
    void on(AutomationResumedEvent e) {
        pausedSkips.clear();
    }

    @EventSourcingHandler
    void on(AutomationPublishedEvent e) {
        publishedDefinition = e.definition();
    }

    @EventSourcingHandler
    void on(AutomationScheduleRemovedEvent e) {
        pausedSkips.remove(FireIds.SCHEDULE);
        buffered.remove(FireIds.SCHEDULE);
    }

    @EventSourcingHandler
    void on(JobFiredEvent e) {
        fireLimits.remember(e.sourceId(), e.scheduledAt());
        e.canceledRunIds().forEach(openRuns::remove);
        openRuns.add(e.runId());
        if ("buffered".equals(e.source())) {
            buffered.remove(e.sourceId());
        }
        if (e.sourceId() == null || Set.of("manual", "invoke", "webhook").contains(e.source())) {
            recentManualRuns.add("webhook".equals(e.source()) ? e.fireId() : e.runId());
            if (recentManualRuns.size() > MAX_OPEN_RUNS) {
                recentManualRuns.remove(recentManualRuns.iterator().next());
            }
        }
        if (openRuns.size() > MAX_OPEN_RUNS) {
            openRuns.remove(openRuns.iterator().next());
        }
    }

    @EventSourcingHandler
    void on(OccurrenceSkippedEvent e) {
        if ("webhook".equals(e.triggerType())) { // a webhook delivery's outcome: a re-sent delivery records nothing more
            recentManualRuns.add(e.fireId());
            if (recentManualRuns.size() > MAX_OPEN_RUNS) {
                recentManualRuns.remove(recentManualRuns.iterator().next());
            }
            return;
        }
        if (SkipOutcome.BUFFERED.wire().equals(e.outcome())) {
            buffered.put(e.sourceId(), e.scheduledAt());
        } else if (e.scheduledAt().equals(buffered.get(e.sourceId()))) {
            buffered.remove(e.sourceId()); // the held occurrence, released and throttled
        } else if (SkipOutcome.SKIPPED_PAUSED.wire().equals(e.outcome())) {
            List<Instant> skipped = pausedSkips.computeIfAbsent(e.sourceId(), k -> new ArrayList<>());
            skipped.add(e.scheduledAt());
            if (skipped.size() > MAX_PAUSED_SKIPS) {
                skipped.remove(0);
            }
        }
    }

    @EventSourcingHandler
    void on(RunCanceledEvent e) {
        openRuns.remove(e.runId());
    }

    @EventSourcingHandler
    void on(RunEndedEvent e) {
        openRuns.remove(e.runId());
    }
}
