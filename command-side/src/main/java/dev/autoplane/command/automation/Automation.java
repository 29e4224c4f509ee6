package dev.autoplane.command.automation;

import dev.autoplane.platform.text.TextRules;
import dev.autoplane.events.automation.AutomationCommands.ApproveAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.CreateAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.DeleteAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.PauseAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.PublishAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.PurgeAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.RejectAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.ResumeAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.RotateAutomationSecretCommand;
import dev.autoplane.events.automation.AutomationCommands.SubmitAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.UndeleteAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.UpdateAutomationCommand;
import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationEvents.AutomationApprovedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDefinitionRevisedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeletedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationOAuthTokenClearedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationOAuthTokenSetEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPausedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationRejectedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationResumedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationReturnedToDraftEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSecretIssuedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSecretRotatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSettingsChangedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSubmittedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationUndeletedEvent;
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.automation.AutomationStatus;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.common.Revision;
import dev.autoplane.events.automation.AutomationSettings.FireLimit;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.ScheduleCommands.AddAutomationTriggerCommand;
import dev.autoplane.events.automation.ScheduleCommands.BackfillAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.ChangeAutomationTriggerCommand;
import dev.autoplane.events.automation.ScheduleCommands.DisableAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.EnableAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.FireJobCommand;
import dev.autoplane.events.automation.ScheduleCommands.RemoveAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.RemoveAutomationTriggerCommand;
import dev.autoplane.events.automation.ScheduleCommands.SetAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.TriggerAutomationCommand;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleDisabledEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleEnabledEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleRemovedEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleSetEvent;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import dev.autoplane.events.run.RunEvents.RunCanceledEvent;
import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.scheduling.Durations;
import dev.autoplane.platform.scheduling.SourceBook;
import dev.autoplane.platform.scheduling.TimeSource;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.autoplane.events.automation.AutomationStatus.ACTIVE;
import static dev.autoplane.events.automation.AutomationStatus.DRAFT;
import static dev.autoplane.events.automation.AutomationStatus.PAUSED;
import static dev.autoplane.events.automation.AutomationStatus.PENDING_APPROVAL;
import static dev.autoplane.events.automation.AutomationStatus.REJECTED;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

/**
 * An automation: its definition (versioned in revisions), its settings, its status machine and its
 * machine credential. Command handlers decide (guard clauses, then {@code apply}); event sourcing
 * handlers only assign state.
 */
@Aggregate(snapshotTriggerDefinition = "automationSnapshotTrigger", cache = "automationCache")
class Automation {

    static final Duration PURGE_AFTER = Duration.ofDays(30);
    /** At most this many catch-up runs per delivery or resume ({@code fire_all}); the rest are recorded as missed. */
    static final int MAX_CATCH_UP = 100;
    /** At most this many occurrences in one backfill. */
    static final int MAX_BACKFILL = 1_000;
    static final int MAX_OPEN_RUNS = 1_000;
    static final int MAX_PAUSED_SKIPS = MAX_CATCH_UP;
    private static final String ALL = "*";
    static final long MAX_GRACE_SECONDS = Duration.ofDays(7).toSeconds();

    @AggregateIdentifier
    private String automationId;
    private String workspaceId;
    private AutomationStatus status;
    private AutomationDefinition definition;
    private AutomationSettings settings;
    private Revision draftRevision;
    private Revision publishedRevision;
    private Actor proposer;
    private boolean deleted;
    private String secretId;
    private String secretHash;

    // --- when it fires (see the scheduling section below)
    /** The schedule and the time-based triggers, and how far each has come. */
    private SourceBook sources = new SourceBook();
    /** Recent fire instants: key {@code "*"} for the automation, a source id for a trigger's own limit. */
    private Map<String, List<Instant>> recentFires = new HashMap<>();
    /** Runs fired and not yet ended (bounded), for the overlap policies. */
    private LinkedHashSet<String> openRuns = new LinkedHashSet<>();
    /** Per source, the one occurrence held by {@code buffer_one}. */
    private Map<String, Instant> buffered = new HashMap<>();
    /** Run ids of recent manual fires (bounded), so a repeated request records one run. */
    private LinkedHashSet<String> recentManualRuns = new LinkedHashSet<>();
    /** Per source, the occurrences skipped while paused (bounded), for the catch-up on resume. */
    private Map<String, List<Instant>> pausedSkips = new HashMap<>();

    Automation() {
        // for Axon
    }

    @CommandHandler
    Automation(CreateAutomationCommand cmd, AutomationNameRegistry names) {
        AutomationFields.Bound b = AutomationFields.bind(AutomationFields.EMPTY_DEFINITION,
                AutomationFields.DEFAULT_SETTINGS, cmd.fields(), true);
        Actor actor = cmd.actor();
        AutomationDefinition def = actor.isServiceAccount() ? AutomationFields.withProposalNote(b.definition()) : b.definition();
        AutomationStatus requested = actor.isServiceAccount() ? PENDING_APPROVAL
                : Objects.requireNonNullElse(b.requestedStatus(), DRAFT);
        if (requested == REJECTED) {
            throw DomainException.invalid("status", "an automation cannot be created as rejected");
        }
        if ((requested == ACTIVE || requested == PAUSED) && !cmd.mayApprove()) {
            throw AutomationErrors.needsApprover();
        }
        if (cmd.oauthToken() != null && actor.isServiceAccount()) {
            throw AutomationErrors.serviceAccountOauthToken();
        }
        if (!withinTeams(cmd.teamLimit(), b.settings().teamId())) {
            throw AutomationErrors.outsideTeams(cmd.teamLimit());
        }
        names.claim(cmd.workspaceId(), def.name(), cmd.automationId());

        apply(new AutomationCreatedEvent(cmd.automationId(), cmd.workspaceId(), b.organizationId(), def, b.settings(),
                Revision.FIRST_DRAFT.toString(), actor, cmd.at()));
        apply(new AutomationSecretIssuedEvent(cmd.automationId(), cmd.workspaceId(), cmd.secretId(), cmd.secretHash(),
                actor, cmd.at()));
        if (cmd.oauthToken() != null) {
            apply(new AutomationOAuthTokenSetEvent(cmd.automationId(), cmd.workspaceId(), cmd.oauthToken(), actor, cmd.at()));
        }
        // state is not applied until the constructor returns (Axon defers it): use the values at hand
        String id = cmd.automationId();
        String ws = cmd.workspaceId();
        String first = Revision.FIRST_DRAFT.toString();
        switch (requested) {
            case PENDING_APPROVAL -> apply(new AutomationSubmittedEvent(id, ws, first, actor, cmd.at()));
            case ACTIVE, PAUSED -> {
                String published = Revision.FIRST_DRAFT.nextPublished().toString();
                apply(new AutomationPublishedEvent(id, ws, published, first, def, actor, cmd.at()));
                apply(new AutomationApprovedEvent(id, ws, published, actor, cmd.at()));
                if (requested == PAUSED) {
                    apply(new AutomationPausedEvent(id, ws, actor, cmd.at()));
                }
            }
            default -> { }
        }
    }

    @CommandHandler
    void handle(UpdateAutomationCommand cmd, AutomationNameRegistry names) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        Actor actor = cmd.actor();
        if (actor.isServiceAccount() && (cmd.oauthToken() != null || cmd.clearOauthToken())) {
            throw AutomationErrors.serviceAccountOauthToken();
        }
        AutomationFields.Bound b = AutomationFields.bind(definition, settings, cmd.changes(), false);
        if (!withinTeams(cmd.teamLimit(), b.settings().teamId())) {
            throw AutomationErrors.outsideTeams(cmd.teamLimit());
        }
        AutomationDefinition def = b.definition();
        if (actor.isServiceAccount() && !Objects.equals(def.description(), definition.description())) {
            def = AutomationFields.withProposalNote(def);
        }
        boolean definitionChanged = !def.equals(definition);
        boolean settingsChanged = !b.settings().equals(settings);
        if (definitionChanged && !def.name().equals(definition.name())) {
            names.release(workspaceId, definition.name(), automationId);
            names.claim(workspaceId, def.name(), automationId);
        }
        if (definitionChanged) {
            apply(new AutomationDefinitionRevisedEvent(automationId, workspaceId, draftRevision.nextDraft().toString(),
                    def, actor, cmd.at()));
        }
        if (settingsChanged) {
            apply(new AutomationSettingsChangedEvent(automationId, workspaceId, b.settings(), actor, cmd.at()));
        }
        if (cmd.oauthToken() != null) {
            apply(new AutomationOAuthTokenSetEvent(automationId, workspaceId, cmd.oauthToken(), actor, cmd.at()));
        } else if (cmd.clearOauthToken()) {
            apply(new AutomationOAuthTokenClearedEvent(automationId, workspaceId, actor, cmd.at()));
        }
        boolean changed = definitionChanged || settingsChanged;
        if (actor.isServiceAccount()) {
            // whatever the body says: a service account's change waits for a person's approval
            if (changed || (b.requestedStatus() != null && b.requestedStatus() != status)) {
                if (status == REJECTED) {
                    apply(new AutomationReturnedToDraftEvent(automationId, workspaceId, actor, cmd.at()));
                }
                submit(actor, cmd.at());
            }
            return;
        }
        if (changed && definitionChanged && status == PENDING_APPROVAL) {
            // the proposal itself changed: it is this person's proposal now, and needs a new approval
            submit(actor, cmd.at());
        }
        if (b.requestedStatus() != null && b.requestedStatus() != status) {
            transition(b.requestedStatus(), actor, cmd.mayApprove(), b.rejectionReason(), null, cmd.at());
        }
    }

    @CommandHandler
    void handle(SubmitAutomationCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        if (status != DRAFT) {
            throw AutomationErrors.illegalTransition(automationId, status, PENDING_APPROVAL);
        }
        submit(cmd.actor(), cmd.at());
    }

    @CommandHandler
    void handle(ApproveAutomationCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        if (status != PENDING_APPROVAL) {
            throw AutomationErrors.notPending(automationId, status, "approved");
        }
        transition(ACTIVE, cmd.actor(), cmd.mayApprove(), null, cmd.revision(), cmd.at());
    }

    @CommandHandler
    void handle(RejectAutomationCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        if (status != PENDING_APPROVAL) {
            throw AutomationErrors.notPending(automationId, status, "rejected");
        }
        transition(REJECTED, cmd.actor(), cmd.mayApprove(), TextRules.REASON.optional("reason", cmd.reason()), null, cmd.at());
    }

    @CommandHandler
    void handle(PauseAutomationCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        transition(PAUSED, cmd.actor(), false, null, null, cmd.at());
    }

    @CommandHandler
    void handle(ResumeAutomationCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        if (status != PAUSED) {
            throw AutomationErrors.illegalTransition(automationId, status, ACTIVE);
        }
        transition(ACTIVE, cmd.actor(), cmd.mayApprove(), null, null, cmd.at());
    }

    /** After a resume: each source's catch-up policy over the occurrences skipped while paused. */
    private void catchUpAfterPause(Map<String, List<Instant>> skipped, Instant at) {
        for (var e : skipped.entrySet()) {
            var entry = sources.get(e.getKey());
            if (entry.isEmpty() || e.getValue().isEmpty()) {
                continue;
            }
            String policy = catchUpPolicy(e.getKey());
            List<Instant> fire = switch (policy) {
                case "fire_once" -> List.of(e.getValue().get(e.getValue().size() - 1));
                case "fire_all" -> e.getValue();
                default -> List.of();
            };
            for (Instant s : fire) {
                fire(e.getKey(), entry.get().triggerType(), s, FireIds.of(automationId, e.getKey(), s), "catch_up",
                        "caught up on resume (catch_up_policy " + policy + ")", at);
            }
        }
    }

    @CommandHandler
    void handle(PublishAutomationCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        if (cmd.actor().isServiceAccount()) {
            throw DomainException.forbidden("publish_needs_person",
                    "a service account cannot publish; its proposals are published when a person approves them");
        }
        if (status == PENDING_APPROVAL) {
            throw DomainException.conflict("pending_approval", "automation " + automationId
                    + " is pending approval: approve or reject it first", java.util.Map.of("current_status", status.wire()));
        }
        if (!hasUnpublishedDraft()) {
            throw DomainException.conflict("nothing_to_publish", "revision " + draftRevision
                    + " is already published", java.util.Map.of("latest_published_version", publishedRevision.toString()));
        }
        publish(cmd.actor(), cmd.at());
    }

    @CommandHandler
    void handle(DeleteAutomationCommand cmd, AutomationNameRegistry names) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        names.release(workspaceId, definition.name(), automationId);
        apply(new AutomationDeletedEvent(automationId, workspaceId, cmd.at(), cmd.at().plus(PURGE_AFTER), cmd.actor()));
    }

    @CommandHandler
    void handle(UndeleteAutomationCommand cmd, AutomationNameRegistry names) {
        requireWorkspace(cmd.workspaceId());
        requireTeams(cmd.teamLimit());
        if (!deleted) {
            throw DomainException.conflict("not_deleted", "automation " + automationId + " is not deleted", java.util.Map.of());
        }
        names.claim(workspaceId, definition.name(), automationId);
        apply(new AutomationUndeletedEvent(automationId, workspaceId, cmd.actor(), cmd.at()));
    }

    @CommandHandler
    void handle(PurgeAutomationCommand cmd, AutomationNameRegistry names) {
        requireWorkspace(cmd.workspaceId());
        requireTeams(cmd.teamLimit());
        if (!deleted) {
            names.release(workspaceId, definition.name(), automationId);
            apply(new AutomationDeletedEvent(automationId, workspaceId, cmd.at(), cmd.at(), cmd.actor()));
        }
        apply(new AutomationPurgedEvent(automationId, workspaceId, cmd.actor(), cmd.at()));
    }


    // --- the schedule and the triggers

    @CommandHandler
    void handle(SetAutomationScheduleCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        ScheduleSpec current = sources.schedule().orElse(null);
        ScheduleSpec spec = ScheduleFields.bind(current, cmd.fields(), cmd.replace(), cmd.at());
        if (spec.equals(current)) {
            return; // nothing changes
        }
        var entry = sources.get(FireIds.SCHEDULE);
        boolean keepsCursor = entry.isPresent() && !spec.timingDiffers(current);
        Instant cursor = keepsCursor ? entry.get().cursor()
                : spec.startTime() != null && spec.startTime().isAfter(cmd.at()) ? spec.startTime().minusNanos(1) : cmd.at();
        long count = keepsCursor ? entry.get().count() : 0;
        boolean enabled = entry.map(SourceBook.Entry::enabled).orElse(true);
        apply(new AutomationScheduleSetEvent(automationId, workspaceId, spec, enabled, cursor, count, cmd.actor(), cmd.at()));
        serviceAccountProposes(cmd.actor(), cmd.at());
    }

    @CommandHandler
    void handle(RemoveAutomationScheduleCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        requireSchedule();
        apply(new AutomationScheduleRemovedEvent(automationId, workspaceId, cmd.actor(), cmd.at()));
        serviceAccountProposes(cmd.actor(), cmd.at());
    }

    @CommandHandler
    void handle(EnableAutomationScheduleCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        if (!requireSchedule().enabled()) {
            apply(new AutomationScheduleEnabledEvent(automationId, workspaceId, cmd.actor(), cmd.at()));
            serviceAccountProposes(cmd.actor(), cmd.at());
        }
    }

    @CommandHandler
    void handle(DisableAutomationScheduleCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        if (requireSchedule().enabled()) {
            apply(new AutomationScheduleDisabledEvent(automationId, workspaceId, cmd.actor(), cmd.at()));
            serviceAccountProposes(cmd.actor(), cmd.at());
        }
    }

    @CommandHandler
    void handle(AddAutomationTriggerCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        List<Map<String, Object>> all = new ArrayList<>(settings.triggers().stream().map(AutomationFields::triggerFields).toList());
        Map<String, Object> added = new LinkedHashMap<>(cmd.trigger() == null ? Map.of() : cmd.trigger());
        if (added.containsKey("id")) {
            throw DomainException.invalid("id", "is assigned by the server");
        }
        added.put("id", cmd.triggerId());
        all.add(added);
        changeTriggers(AutomationFields.bindTriggers(all, all.size() - 1), cmd.actor(), cmd.at());
    }

    @CommandHandler
    void handle(ChangeAutomationTriggerCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        int index = triggerIndex(cmd.triggerId());
        Map<String, Object> changes = cmd.changes() == null ? Map.of() : cmd.changes();
        if (changes.containsKey("id") && !cmd.triggerId().equals(changes.get("id"))) {
            throw DomainException.invalid("id", "cannot be changed");
        }
        List<Map<String, Object>> all = new ArrayList<>(settings.triggers().stream().map(AutomationFields::triggerFields).toList());
        Map<String, Object> changed = new LinkedHashMap<>(all.get(index));
        changed.putAll(changes);
        all.set(index, changed);
        changeTriggers(AutomationFields.bindTriggers(all, index), cmd.actor(), cmd.at());
    }

    @CommandHandler
    void handle(RemoveAutomationTriggerCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        int index = triggerIndex(cmd.triggerId());
        List<TriggerSpec> triggers = new ArrayList<>(settings.triggers());
        triggers.remove(index);
        changeTriggers(List.copyOf(triggers), cmd.actor(), cmd.at());
    }

    private void changeTriggers(List<TriggerSpec> triggers, Actor actor, Instant at) {
        if (triggers.equals(settings.triggers())) {
            return;
        }
        AutomationSettings s = settings;
        apply(new AutomationSettingsChangedEvent(automationId, workspaceId, new AutomationSettings(s.teamId(), triggers,
                s.fireLimit(), s.retry(), s.misfire(), s.overlapPolicy(), s.scopes(), s.teamScope(), s.providerType(),
                s.credentialLabel(), s.suspended(), s.enabled()), actor, at));
        serviceAccountProposes(actor, at);
    }

    private int triggerIndex(String triggerId) {
        for (int i = 0; i < settings.triggers().size(); i++) {
            if (Objects.equals(settings.triggers().get(i).id(), triggerId)) {
                return i;
            }
        }
        throw DomainException.notFound("trigger_not_found", "automation " + automationId + " has no trigger " + triggerId);
    }

    private SourceBook.Entry requireSchedule() {
        return sources.get(FireIds.SCHEDULE).orElseThrow(() ->
                DomainException.notFound("schedule_not_found", "automation " + automationId + " has no schedule"));
    }

    /** A service account's change of the settings waits for a person's approval, like its definition changes. */
    private void serviceAccountProposes(Actor actor, Instant at) {
        if (!actor.isServiceAccount() || status == PENDING_APPROVAL) {
            return;
        }
        if (status == REJECTED) {
            apply(new AutomationReturnedToDraftEvent(automationId, workspaceId, actor, at));
        }
        submit(actor, at);
    }

    // --- firing: every due occurrence gets exactly one recorded outcome

    /**
     * The engine delivers the occurrences of one source that came due. Delivered at least once:
     * those at or before the source's cursor were accounted for already and change nothing.
     */
    @CommandHandler
    void handle(FireJobCommand cmd) {
        var entry = sources.get(cmd.sourceId()).orElse(null);
        if (entry == null || !entry.enabled() || !sources.isLive()) {
            return; // nothing of this source may fire now; the engine's index follows the events
        }
        TimeSource source = entry.source();
        int grace = misfireGrace(cmd.sourceId());
        String policy = catchUpPolicy(cmd.sourceId());
        List<Instant> fresh = cmd.due().stream().filter(s -> s.isAfter(entry.cursor())).sorted().distinct().toList();
        boolean anyOnTime = fresh.stream().anyMatch(s -> !isLate(source, cmd.sourceId(), s, cmd.now(), grace));
        Instant lastLate = fresh.stream().filter(s -> isLate(source, cmd.sourceId(), s, cmd.now(), grace))
                .reduce((a, b) -> b).orElse(null);
        int caughtUp = 0;
        for (Instant s : fresh) {
            String fireId = FireIds.of(automationId, cmd.sourceId(), s);
            if (status == PAUSED) {
                skip(cmd.sourceId(), entry.triggerType(), s, fireId, "skipped_paused", "the automation is paused", cmd.now());
                continue;
            }
            if (!isLate(source, cmd.sourceId(), s, cmd.now(), grace)) {
                fire(cmd.sourceId(), entry.triggerType(), s, fireId, "schedule", null, cmd.now());
                continue;
            }
            long lateBy = Duration.between(source.dueAt(automationId, cmd.sourceId(), s), cmd.now()).toSeconds();
            String late = "due " + lateBy + " s ago, beyond the misfire grace of " + grace + " s";
            boolean catchUp = switch (policy) {
                case "fire_once" -> !anyOnTime && s.equals(lastLate);
                case "fire_all" -> caughtUp < MAX_CATCH_UP;
                default -> false;
            };
            if (catchUp) {
                caughtUp++;
                fire(cmd.sourceId(), entry.triggerType(), s, fireId, "catch_up", late + "; fired by catch_up_policy " + policy,
                        cmd.now());
            } else {
                String why = policy.equals("fire_all") ? "; beyond the catch-up cap of " + MAX_CATCH_UP
                        : policy.equals("fire_once") ? "; catch_up_policy fire_once fires only the latest" : "; catch_up_policy skip";
                skip(cmd.sourceId(), entry.triggerType(), s, fireId, "missed", late + why, cmd.now());
            }
        }
    }

    /** {@code POST .../trigger} and {@code POST .../invoke}: one run now, at a person's or a client's request. */
    @CommandHandler
    RunView handle(TriggerAutomationCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        if (recentManualRuns.contains(cmd.runId())) {
            return null; // a repeated delivery of the same request (Idempotency-Key): recorded once
        }
        boolean draft = "draft".equals(cmd.stage());
        if (draft) {
            if (!cmd.mayRunDraft()) {
                throw DomainException.forbidden("draft_run_forbidden", "test runs of the draft need automation.write");
            }
        } else {
            if (status != ACTIVE) {
                throw DomainException.conflict("not_active", "automation " + automationId + " is " + status.wire()
                        + ": only an active automation runs its published revision", Map.of("current_status", status.wire()));
            }
            if (!settings.enabled()) {
                throw DomainException.conflict("not_enabled", "automation " + automationId + " is not enabled", Map.of());
            }
        }
        String triggerType = "api";
        if (cmd.triggerId() != null) {
            TriggerSpec t = settings.triggers().get(triggerIndex(cmd.triggerId()));
            triggerType = t.type();
        }
        String fireId = cmd.source() + "/" + cmd.runId();
        Map<String, Object> inputs = new LinkedHashMap<>(definition.defaultInputs() == null ? Map.of() : definition.defaultInputs());
        if (cmd.inputs() != null) {
            FieldReader r = new FieldReader();
            Map<String, Object> given = r.freeForm("inputs", cmd.inputs());
            if (!r.ok()) {
                throw DomainException.invalid(r.violations);
            }
            inputs.putAll(given);
        }
        String revision = draft ? draftRevision.toString() : publishedRevision.toString();
        int maxAttempts = maxAttempts(cmd.triggerId());
        apply(new JobFiredEvent(automationId, workspaceId, fireId, cmd.runId(), cmd.triggerId(), triggerType, cmd.source(),
                cmd.at(), cmd.at(), revision, draft ? "draft" : "published", Map.copyOf(inputs), definition.agentName(),
                maxAttempts, "fired", List.of(), null, cmd.actor()));
        return new RunView(cmd.runId(), workspaceId, automationId, revision, cmd.triggerId(), triggerType, fireId,
                cmd.source(), draft ? "draft" : "published", definition.agentName(), "scheduled", 1, maxAttempts, cmd.at(),
                cmd.at(), null, null, Map.copyOf(inputs), null, null, null, null, null, null, 1, cmd.at(), cmd.at());
    }

    /** Fires the schedule's occurrences in [start, end), a window that has passed. */
    @CommandHandler
    List<String> handle(BackfillAutomationScheduleCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        SourceBook.Entry entry = requireSchedule();
        if (status != ACTIVE) {
            throw DomainException.conflict("not_active", "automation " + automationId + " is " + status.wire()
                    + ": only an active automation can be backfilled", Map.of("current_status", status.wire()));
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
            throw DomainException.invalid("end_time", "the window holds more than " + MAX_BACKFILL + " occurrences; backfill it in parts");
        }
        String overlap = cmd.overlapPolicy() == null ? overlapPolicy(FireIds.SCHEDULE) : cmd.overlapPolicy();
        List<String> runs = new ArrayList<>();
        for (Instant s : window) {
            String fireId = FireIds.of(automationId, FireIds.SCHEDULE, s) + "#backfill-" + cmd.backfillId();
            decideAndFire(FireIds.SCHEDULE, "schedule", s, fireId, "backfill", "backfill " + cmd.backfillId(), overlap, cmd.at());
            if (openRuns.contains(FireIds.runId(fireId, s))) {
                runs.add(FireIds.runId(fireId, s));
            }
        }
        return runs;
    }

    private boolean isLate(TimeSource source, String sourceId, Instant s, Instant now, int grace) {
        return Duration.between(source.dueAt(automationId, sourceId, s), now).toSeconds() > grace;
    }

    private void fire(String sourceId, String triggerType, Instant s, String fireId, String why, String reason, Instant now) {
        decideAndFire(sourceId, triggerType, s, fireId, why, reason, overlapPolicy(sourceId), now);
    }

    /** The fire limits, then the overlap policy, then the fire. */
    private void decideAndFire(String sourceId, String triggerType, Instant s, String fireId, String why, String reason,
                               String overlap, Instant now) {
        String throttled = throttledBy(sourceId, s);
        if (throttled != null) {
            skip(sourceId, triggerType, s, fireId, "throttled", throttled, now);
            return;
        }
        List<String> cancel = List.of();
        if (!openRuns.isEmpty()) {
            String open = openRuns.size() + " run(s) of this automation not yet finished";
            switch (overlap) {
                case "skip" -> {
                    skip(sourceId, triggerType, s, fireId, "skipped_overlap", open + " (overlap_policy skip)", now);
                    return;
                }
                case "buffer_one" -> {
                    if (buffered.containsKey(sourceId)) {
                        skip(sourceId, triggerType, s, fireId, "skipped_overlap",
                                open + " and one occurrence is already buffered (overlap_policy buffer_one)", now);
                    } else {
                        skip(sourceId, triggerType, s, fireId, "buffered",
                                open + ": held to run when they end (overlap_policy buffer_one)", now);
                    }
                    return;
                }
                case "cancel_other" -> cancel = List.copyOf(openRuns);
                default -> { }
            }
        }
        String runId = FireIds.runId(fireId, s);
        for (String other : cancel) {
            apply(new RunCanceledEvent(other, automationId, workspaceId, "canceled by occurrence " + fireId
                    + " (overlap_policy cancel_other)", Actor.SYSTEM, now));
        }
        apply(new JobFiredEvent(automationId, workspaceId, fireId, runId, sourceId, triggerType, why, s, now,
                publishedRevision == null ? draftRevision.toString() : publishedRevision.toString(), "published",
                definition.defaultInputs() == null ? Map.of() : definition.defaultInputs(), definition.agentName(),
                maxAttempts(sourceId), cancel.isEmpty() ? "fired" : "canceled_other", cancel, reason, Actor.SYSTEM));
    }

    private void skip(String sourceId, String triggerType, Instant s, String fireId, String outcome, String reason, Instant now) {
        apply(new OccurrenceSkippedEvent(automationId, workspaceId, fireId, sourceId, triggerType, s, now, outcome, reason));
    }

    /** Why a fire at {@code s} would exceed a fire limit, or {@code null}. Windows are (s − window, s]. */
    private String throttledBy(String sourceId, Instant s) {
        String automationLevel = overLimit(settings.fireLimit(), recentFires.get(ALL), s);
        if (automationLevel != null) {
            return "the automation's " + automationLevel;
        }
        TriggerSpec t = trigger(sourceId);
        String own = t == null ? null : overLimit(t.fireLimit(), recentFires.get(sourceId), s);
        return own == null ? null : "the trigger's " + own;
    }

    private static String overLimit(FireLimit limit, List<Instant> fires, Instant s) {
        if (limit == null || fires == null) {
            return null;
        }
        Duration window = Durations.parse(limit.window()).orElseThrow();
        Instant from = s.minus(window);
        long inWindow = fires.stream().filter(f -> f.isAfter(from) && !f.isAfter(s)).count();
        return inWindow >= limit.max() ? "fire limit of " + limit.max() + " per " + limit.window() + " is reached" : null;
    }

    private TriggerSpec trigger(String sourceId) {
        if (sourceId == null) {
            return null;
        }
        return settings.triggers().stream().filter(t -> sourceId.equals(t.id())).findFirst().orElse(null);
    }

    private int misfireGrace(String sourceId) {
        return FireIds.SCHEDULE.equals(sourceId) ? sources.schedule().orElseThrow().misfireGraceSeconds()
                : settings.misfire().graceSeconds();
    }

    private String catchUpPolicy(String sourceId) {
        return FireIds.SCHEDULE.equals(sourceId) ? sources.schedule().map(ScheduleSpec::catchUpPolicy).orElse("skip")
                : settings.misfire().catchUpPolicy();
    }

    private String overlapPolicy(String sourceId) {
        return FireIds.SCHEDULE.equals(sourceId) ? sources.schedule().map(ScheduleSpec::overlapPolicy).orElse("allow")
                : settings.overlapPolicy();
    }

    private int maxAttempts(String sourceId) {
        TriggerSpec t = trigger(sourceId);
        var retry = t != null && t.retry() != null ? t.retry() : settings.retry();
        return retry == null || "none".equals(retry.strategy()) ? 1 : 1 + retry.maxRetries();
    }

    @EventSourcingHandler
    void on(AutomationScheduleSetEvent e) {
        sources.apply(e);
    }

    @EventSourcingHandler
    void on(AutomationScheduleRemovedEvent e) {
        sources.apply(e);
        pausedSkips.remove(FireIds.SCHEDULE);
        buffered.remove(FireIds.SCHEDULE);
    }

    @EventSourcingHandler
    void on(AutomationScheduleEnabledEvent e) {
        sources.apply(e);
    }

    @EventSourcingHandler
    void on(AutomationScheduleDisabledEvent e) {
        sources.apply(e);
    }

    @EventSourcingHandler
    void on(JobFiredEvent e) {
        sources.apply(e);
        remember(ALL, e.scheduledAt());
        if (e.sourceId() != null) {
            remember(e.sourceId(), e.scheduledAt());
        }
        e.canceledRunIds().forEach(openRuns::remove);
        openRuns.add(e.runId());
        if (e.sourceId() == null || Set.of("manual", "invoke").contains(e.source())) {
            recentManualRuns.add(e.runId());
            if (recentManualRuns.size() > MAX_OPEN_RUNS) {
                recentManualRuns.remove(recentManualRuns.iterator().next());
            }
        }
        if (openRuns.size() > MAX_OPEN_RUNS) {
            openRuns.remove(openRuns.iterator().next());
        }
    }

    private void remember(String key, Instant at) {
        List<Instant> fires = recentFires.computeIfAbsent(key, k -> new ArrayList<>());
        fires.add(at);
        while (fires.size() > AutomationFields.MAX_FIRE_LIMIT) {
            fires.remove(0);
        }
    }

    @EventSourcingHandler
    void on(OccurrenceSkippedEvent e) {
        sources.apply(e);
        switch (e.outcome()) {
            case "buffered" -> buffered.put(e.sourceId(), e.scheduledAt());
            case "skipped_paused" -> {
                List<Instant> skipped = pausedSkips.computeIfAbsent(e.sourceId(), k -> new ArrayList<>());
                skipped.add(e.scheduledAt());
                if (skipped.size() > MAX_PAUSED_SKIPS) {
                    skipped.remove(0);
                }
            }
            default -> { }
        }
    }

    @EventSourcingHandler
    void on(RunCanceledEvent e) {
        openRuns.remove(e.runId());
    }

    @CommandHandler
    void handle(RotateAutomationSecretCommand cmd) {
        requireWorkspace(cmd.workspaceId());
        requireExists();
        requireTeams(cmd.teamLimit());
        if (cmd.gracePeriodSeconds() < 0 || cmd.gracePeriodSeconds() > MAX_GRACE_SECONDS) {
            throw DomainException.invalid("grace_period_seconds", "must be 0 to " + MAX_GRACE_SECONDS);
        }
        apply(new AutomationSecretRotatedEvent(automationId, workspaceId, cmd.secretId(), cmd.secretHash(), secretId,
                secretHash, cmd.at().plusSeconds(cmd.gracePeriodSeconds()), cmd.actor(), cmd.at()));
    }

    // --- decisions shared by several commands

    /** A caller limited to teams acts only on automations of those teams (and cannot move one out of them). */
    private void requireTeams(List<String> teamLimit) {
        if (!withinTeams(teamLimit, settings.teamId())) {
            throw AutomationErrors.outsideTeams(teamLimit);
        }
    }

    private static boolean withinTeams(List<String> teamLimit, String teamId) {
        return teamLimit == null || teamLimit.isEmpty() || (teamId != null && teamLimit.contains(teamId));
    }

    private void transition(AutomationStatus to, Actor actor, boolean mayApprove, String reason, String revision, Instant at) {
        switch (to) {
            case PENDING_APPROVAL -> {
                if (status != DRAFT) {
                    throw AutomationErrors.illegalTransition(automationId, status, to);
                }
                submit(actor, at);
            }
            case ACTIVE -> {
                if (status == PAUSED) {
                    Map<String, List<Instant>> skipped = new LinkedHashMap<>(pausedSkips);
                    apply(new AutomationResumedEvent(automationId, workspaceId, actor, at));
                    catchUpAfterPause(skipped, at);
                    return;
                }
                if (status != PENDING_APPROVAL && status != DRAFT) {
                    throw AutomationErrors.illegalTransition(automationId, status, to);
                }
                if (!mayApprove || !actor.isPerson()) {
                    throw AutomationErrors.needsApprover();
                }
                if (status == PENDING_APPROVAL) {
                    if (actor.sameAs(proposer)) {
                        throw AutomationErrors.selfApproval(automationId);
                    }
                    if (revision != null && !revision.equals(draftRevision.toString())) {
                        throw AutomationErrors.revisionMismatch(automationId, draftRevision.toString(), revision);
                    }
                }
                activate(actor, at);
            }
            case PAUSED -> {
                if (status != ACTIVE) {
                    throw AutomationErrors.illegalTransition(automationId, status, to);
                }
                apply(new AutomationPausedEvent(automationId, workspaceId, actor, at));
            }
            case REJECTED -> {
                if (status != PENDING_APPROVAL) {
                    throw AutomationErrors.illegalTransition(automationId, status, to);
                }
                if (!mayApprove || !actor.isPerson()) {
                    throw AutomationErrors.needsApprover();
                }
                if (actor.sameAs(proposer)) {
                    throw AutomationErrors.selfApproval(automationId);
                }
                apply(new AutomationRejectedEvent(automationId, workspaceId, draftRevision.toString(), reason, actor, at));
            }
            case DRAFT -> {
                if (status != REJECTED) {
                    throw AutomationErrors.illegalTransition(automationId, status, to);
                }
                apply(new AutomationReturnedToDraftEvent(automationId, workspaceId, actor, at));
            }
        }
    }

    private void submit(Actor actor, Instant at) {
        apply(new AutomationSubmittedEvent(automationId, workspaceId, draftRevision.toString(), actor, at));
    }

    /** Becoming active publishes the draft when it is newer than the latest published revision. */
    private void activate(Actor actor, Instant at) {
        if (hasUnpublishedDraft()) {
            publish(actor, at);
        }
        apply(new AutomationApprovedEvent(automationId, workspaceId, publishedRevision.toString(), actor, at));
    }

    private void publish(Actor actor, Instant at) {
        apply(new AutomationPublishedEvent(automationId, workspaceId, draftRevision.nextPublished().toString(),
                draftRevision.toString(), definition, actor, at));
    }

    private boolean hasUnpublishedDraft() {
        return publishedRevision == null || draftRevision.compareTo(publishedRevision) > 0;
    }

    private void requireExists() {
        if (deleted) {
            throw AutomationErrors.deleted(automationId);
        }
    }

    private void requireWorkspace(String requested) {
        if (!workspaceId.equals(requested)) {
            throw AutomationErrors.deleted(automationId);
        }
    }

    // --- state

    @EventSourcingHandler
    void on(AutomationCreatedEvent e) {
        sources.apply(e);
        automationId = e.automationId();
        workspaceId = e.workspaceId();
        definition = e.definition();
        settings = e.settings();
        draftRevision = Revision.parse(e.revision());
        status = DRAFT;
    }

    @EventSourcingHandler
    void on(AutomationSecretIssuedEvent e) {
        secretId = e.secretId();
        secretHash = e.secretHash();
    }

    @EventSourcingHandler
    void on(AutomationSecretRotatedEvent e) {
        secretId = e.secretId();
        secretHash = e.secretHash();
    }

    @EventSourcingHandler
    void on(AutomationDefinitionRevisedEvent e) {
        definition = e.definition();
        draftRevision = Revision.parse(e.revision());
    }

    @EventSourcingHandler
    void on(AutomationSettingsChangedEvent e) {
        sources.apply(e);
        settings = e.settings();
    }

    @EventSourcingHandler
    void on(AutomationSubmittedEvent e) {
        sources.apply(e);
        status = PENDING_APPROVAL;
        proposer = e.submittedBy();
    }

    @EventSourcingHandler
    void on(AutomationApprovedEvent e) {
        sources.apply(e);
        status = ACTIVE;
        proposer = null;
    }

    @EventSourcingHandler
    void on(AutomationRejectedEvent e) {
        sources.apply(e);
        status = REJECTED;
    }

    @EventSourcingHandler
    void on(AutomationReturnedToDraftEvent e) {
        sources.apply(e);
        status = DRAFT;
        proposer = null;
    }

    @EventSourcingHandler
    void on(AutomationPausedEvent e) {
        sources.apply(e);
        status = PAUSED;
    }

    @EventSourcingHandler
    void on(AutomationResumedEvent e) {
        sources.apply(e);
        status = ACTIVE;
        pausedSkips.clear();
    }

    @EventSourcingHandler
    void on(AutomationPublishedEvent e) {
        publishedRevision = Revision.parse(e.revision());
        draftRevision = publishedRevision;
    }

    @EventSourcingHandler
    void on(AutomationDeletedEvent e) {
        sources.apply(e);
        deleted = true;
    }

    @EventSourcingHandler
    void on(AutomationUndeletedEvent e) {
        sources.apply(e);
        deleted = false;
    }

    @EventSourcingHandler
    void on(AutomationPurgedEvent e) {
        markDeleted();
    }
}
