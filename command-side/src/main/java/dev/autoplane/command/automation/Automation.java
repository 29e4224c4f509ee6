package dev.autoplane.command.automation;

import dev.autoplane.platform.text.TextRules;
import dev.autoplane.events.automation.AutomationCommands.ApproveAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.CreateAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.DeleteAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.DescribeAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.PauseAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.PublishAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.PurgeAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.RejectAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.ResumeAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.RotateAutomationSecretCommand;
import dev.autoplane.events.automation.AutomationCommands.RotateDeliverySecretCommand;
import dev.autoplane.events.automation.AutomationCommands.DeliveryChange;
import dev.autoplane.events.common.EncryptedValue;
import dev.autoplane.events.automation.AutomationCommands.SubmitAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.UndeleteAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.UpdateAutomationCommand;
import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationEvents.*; // the events of this aggregate
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.automation.AutomationStatus;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.Revision;
import dev.autoplane.platform.automation.AutomationAnswer;
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
import dev.autoplane.events.automation.ScheduleEvents.*; // the schedule's events
import dev.autoplane.events.automation.WebhookCommands.FireWebhookTriggerCommand;
import dev.autoplane.events.automation.WebhookCommands.RotateWebhookSecretCommand;
import dev.autoplane.events.automation.WebhookCommands.WebhookFireResult;
import dev.autoplane.events.automation.WebhookCommands.WebhookSecretRotatedEvent;
import dev.autoplane.events.run.RunCommands.NoteRunEndedCommand;
import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.scheduling.SourceBook;
import dev.autoplane.events.common.WorkspaceScoped;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateMember;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
@org.axonframework.serialization.Revision("3") // the snapshot's shape: 2 added Answering, 3 Revising (an older snapshot is skipped, the events replayed)
class Automation {

    static final Duration PURGE_AFTER = Duration.ofDays(30);
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
    /** Push delivery: the URL runs are POSTed to and the current signing secret (ciphertext), or {@code null}. */
    private String deliveryUrl;
    private EncryptedValue deliverySecret;

    /** When it fires: time sources, open runs, fire limits, catch-up and overlap (see {@link Firing}). */
    @AggregateMember
    private Firing firing = new Firing();

    /** What commands answer: the automation as its events left it (see {@link Answering}). */
    @AggregateMember
    private Answering answering = new Answering();

    /** Seed 002's revision operations: connection edits, restore, fork, activation (see {@link Revising}). */
    @AggregateMember
    private Revising revising = new Revising();

    Automation() {
        // for Axon
    }

    // --- construction

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS) // a method, not a constructor: it answers like every command
    AutomationAnswer handle(CreateAutomationCommand cmd, AutomationNameRegistry names) {
        AutomationFields.Bound b = AutomationFields.bind(AutomationFields.EMPTY_DEFINITION,
                AutomationFields.DEFAULT_SETTINGS, cmd.fields(), true);
        Actor actor = cmd.actor();
        AutomationDefinition def = actor.isServiceAccount() ? AutomationFields.withProposalNote(b.definition()) : b.definition();
        AutomationStatus requested = actor.isServiceAccount() ? PENDING_APPROVAL
                : Objects.requireNonNullElse(b.requestedStatus(), DRAFT);
        if (requested == REJECTED) {
            throw AutomationErrors.createdRejected();
        }
        if ((requested == ACTIVE || requested == PAUSED) && !cmd.mayApprove()) {
            throw AutomationErrors.needsApprover();
        }
        if (cmd.oauthToken() != null && actor.isServiceAccount()) {
            throw AutomationErrors.serviceAccountOauthToken();
        }
        if (cmd.delivery() != null && actor.isServiceAccount()) {
            throw AutomationErrors.serviceAccountDelivery();
        }
        if (!cmd.reachesTeam(b.settings().teamId())) { // not outside the caller's teams
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
        if (cmd.delivery() != null && !cmd.delivery().clears()) {
            apply(new AutomationDeliverySetEvent(cmd.automationId(), cmd.workspaceId(), cmd.delivery().url(),
                    cmd.delivery().signingSecret(), actor, cmd.at()));
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
        return answering.answer();
    }

    // --- the one guard

    /**
     * The one guard of every command to an automation that names a workspace: another workspace's
     * (or, unless the command reaches deleted ones, a deleted) automation is not found, and a caller
     * limited to teams acts only on automations of those teams. A command whose handler returns
     * nothing answers the automation as it left it ({@link Answering}).
     */
    @CommandHandlerInterceptor
    Object guard(WorkspaceScoped command, InterceptorChain chain) throws Exception {
        boolean exists = automationId != null; // null: the command creates it
        if (exists && (!workspaceId.equals(command.workspaceId()) || (deleted && !command.reachesDeleted()))) {
            throw AutomationErrors.deleted(automationId);
        }
        if (exists && !command.reachesTeam(settings.teamId())) {
            throw AutomationErrors.outsideTeams(command.teamLimit());
        }
        Object result = chain.proceed();
        return result != null ? result : answering.answer();
    }

    /** Records nothing: the answer is the automation as it is (an idempotent replay's answer). */
    @CommandHandler
    void handle(DescribeAutomationCommand cmd) {
    }

    // --- the definition and the lifecycle

    @CommandHandler
    void handle(UpdateAutomationCommand cmd, AutomationNameRegistry names) {
        Actor actor = cmd.actor();
        if (actor.isServiceAccount() && (cmd.oauthToken() != null || cmd.clearOauthToken())) {
            throw AutomationErrors.serviceAccountOauthToken();
        }
        if (actor.isServiceAccount() && cmd.delivery() != null) {
            throw AutomationErrors.serviceAccountDelivery();
        }
        AutomationFields.Bound b = AutomationFields.bind(definition, settings, cmd.changes(), false);
        if (!cmd.reachesTeam(b.settings().teamId())) { // nor moved out of the caller's teams
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
        changeDelivery(cmd.delivery(), actor, cmd.at());
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
        if (status != DRAFT) {
            throw AutomationErrors.illegalTransition(automationId, status, PENDING_APPROVAL);
        }
        submit(cmd.actor(), cmd.at());
    }

    @CommandHandler
    void handle(ApproveAutomationCommand cmd) {
        if (status != PENDING_APPROVAL) {
            throw AutomationErrors.notPending(automationId, status, "approved");
        }
        transition(ACTIVE, cmd.actor(), cmd.mayApprove(), null, cmd.revision(), cmd.at());
    }

    @CommandHandler
    void handle(RejectAutomationCommand cmd) {
        if (status != PENDING_APPROVAL) {
            throw AutomationErrors.notPending(automationId, status, "rejected");
        }
        transition(REJECTED, cmd.actor(), cmd.mayApprove(), TextRules.REASON.optional("reason", cmd.reason()), null, cmd.at());
    }

    @CommandHandler
    void handle(PauseAutomationCommand cmd) {
        transition(PAUSED, cmd.actor(), false, null, null, cmd.at());
    }

    @CommandHandler
    void handle(ResumeAutomationCommand cmd) {
        if (status != PAUSED) {
            throw AutomationErrors.illegalTransition(automationId, status, ACTIVE);
        }
        transition(ACTIVE, cmd.actor(), cmd.mayApprove(), null, null, cmd.at());
    }

    @CommandHandler
    void handle(PublishAutomationCommand cmd) {
        if (cmd.actor().isServiceAccount()) {
            throw AutomationErrors.publishNeedsPerson();
        }
        if (status == PENDING_APPROVAL) {
            throw AutomationErrors.pendingApproval(automationId, status);
        }
        if (!hasUnpublishedDraft()) {
            throw AutomationErrors.nothingToPublish(draftRevision.toString(), publishedRevision.toString());
        }
        publish(cmd.actor(), cmd.at());
    }

    @CommandHandler
    void handle(DeleteAutomationCommand cmd, AutomationNameRegistry names) {
        names.release(workspaceId, definition.name(), automationId);
        apply(new AutomationDeletedEvent(automationId, workspaceId, cmd.at(), cmd.at().plus(PURGE_AFTER), cmd.actor()));
    }

    @CommandHandler
    void handle(UndeleteAutomationCommand cmd, AutomationNameRegistry names) {
        if (!deleted) {
            throw AutomationErrors.notDeleted(automationId);
        }
        names.claim(workspaceId, definition.name(), automationId);
        apply(new AutomationUndeletedEvent(automationId, workspaceId, cmd.actor(), cmd.at()));
    }

    @CommandHandler
    void handle(PurgeAutomationCommand cmd, AutomationNameRegistry names) {
        if (!deleted) {
            names.release(workspaceId, definition.name(), automationId);
            apply(new AutomationDeletedEvent(automationId, workspaceId, cmd.at(), cmd.at(), cmd.actor()));
        }
        apply(new AutomationPurgedEvent(automationId, workspaceId, cmd.actor(), cmd.at()));
    }

    // --- the credential

    @CommandHandler
    void handle(RotateAutomationSecretCommand cmd) {
        if (cmd.gracePeriodSeconds() < 0 || cmd.gracePeriodSeconds() > MAX_GRACE_SECONDS) {
            throw AutomationErrors.graceOutOfRange(MAX_GRACE_SECONDS);
        }
        apply(new AutomationSecretRotatedEvent(automationId, workspaceId, cmd.secretId(), cmd.secretHash(), secretId,
                secretHash, cmd.at().plusSeconds(cmd.gracePeriodSeconds()), cmd.actor(), cmd.at()));
    }

    /** A new delivery signing secret; the previous one keeps signing (beside it) until the grace ends. */
    @CommandHandler
    void handle(RotateDeliverySecretCommand cmd) {
        if (deliveryUrl == null) {
            throw AutomationErrors.noDelivery(automationId);
        }
        if (cmd.gracePeriodSeconds() < 0 || cmd.gracePeriodSeconds() > MAX_GRACE_SECONDS) {
            throw AutomationErrors.graceOutOfRange(MAX_GRACE_SECONDS);
        }
        apply(new AutomationDeliverySecretRotatedEvent(automationId, workspaceId, cmd.signingSecret(),
                cmd.gracePeriodSeconds() > 0 ? deliverySecret : null, cmd.at().plusSeconds(cmd.gracePeriodSeconds()),
                cmd.actor(), cmd.at()));
    }

    /** {@code delivery} as a PATCH sent it: set (with the new secret the edge sealed), cleared, or left alone. */
    private void changeDelivery(DeliveryChange change, Actor actor, Instant at) {
        if (change == null) {
            return;
        }
        if (change.clears()) {
            if (deliveryUrl != null) {
                apply(new AutomationDeliveryClearedEvent(automationId, workspaceId, actor, at));
            }
        } else {
            apply(new AutomationDeliverySetEvent(automationId, workspaceId, change.url(), change.signingSecret(), actor, at));
        }
    }

    // --- the schedule and the triggers

    @CommandHandler
    void handle(SetAutomationScheduleCommand cmd) {
        if (firing.setSchedule(cmd, context())) {
            serviceAccountProposes(cmd.actor(), cmd.at());
        }
    }

    @CommandHandler
    void handle(RemoveAutomationScheduleCommand cmd) {
        requireSchedule();
        apply(new AutomationScheduleRemovedEvent(automationId, workspaceId, cmd.actor(), cmd.at()));
        serviceAccountProposes(cmd.actor(), cmd.at());
    }

    @CommandHandler
    void handle(EnableAutomationScheduleCommand cmd) {
        if (!requireSchedule().enabled()) {
            apply(new AutomationScheduleEnabledEvent(automationId, workspaceId, cmd.actor(), cmd.at()));
            serviceAccountProposes(cmd.actor(), cmd.at());
        }
    }

    @CommandHandler
    void handle(DisableAutomationScheduleCommand cmd) {
        if (requireSchedule().enabled()) {
            apply(new AutomationScheduleDisabledEvent(automationId, workspaceId, cmd.actor(), cmd.at()));
            serviceAccountProposes(cmd.actor(), cmd.at());
        }
    }

    @CommandHandler
    void handle(AddAutomationTriggerCommand cmd) {
        changeTriggers(AutomationFields.withTriggerAdded(settings.triggers(), cmd.triggerId(), cmd.trigger()), cmd.actor(),
                cmd.at());
    }

    @CommandHandler
    void handle(ChangeAutomationTriggerCommand cmd) {
        changeTriggers(AutomationFields.withTriggerChanged(settings.triggers(), triggerIndex(cmd.triggerId()), cmd.changes()),
                cmd.actor(), cmd.at());
    }

    @CommandHandler
    void handle(RemoveAutomationTriggerCommand cmd) {
        List<TriggerSpec> triggers = new ArrayList<>(settings.triggers());
        triggers.remove(triggerIndex(cmd.triggerId()));
        changeTriggers(List.copyOf(triggers), cmd.actor(), cmd.at());
    }

    private void changeTriggers(List<TriggerSpec> triggers, Actor actor, Instant at) {
        if (!triggers.equals(settings.triggers())) {
            apply(new AutomationSettingsChangedEvent(automationId, workspaceId, settings.withTriggers(triggers), actor, at));
            serviceAccountProposes(actor, at);
        }
    }

    private int triggerIndex(String triggerId) {
        for (int i = 0; i < settings.triggers().size(); i++) {
            if (Objects.equals(settings.triggers().get(i).id(), triggerId)) {
                return i;
            }
        }
        throw AutomationErrors.triggerNotFound(automationId, triggerId);
    }

    private SourceBook.Entry requireSchedule() {
        return Firing.schedule(context()).orElseThrow(() -> AutomationErrors.scheduleNotFound(automationId));
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

    // --- firing: every due occurrence gets exactly one recorded outcome (decided by the Firing member)

    @CommandHandler
    void handle(FireJobCommand cmd) {
        firing.fireDue(cmd, context());
    }

    /** {@code POST .../trigger} and {@code POST .../invoke}: one run now, at a person's or a client's request. */
    @CommandHandler
    RunView handle(TriggerAutomationCommand cmd) {
        return firing.trigger(cmd, context());
    }

    /** A verified webhook delivery matched one of its webhook triggers (see {@code WebhookDeliveryController}). */
    @CommandHandler
    WebhookFireResult handle(FireWebhookTriggerCommand cmd) {
        return firing.webhook(cmd, context());
    }

    /** The edge sealed a new signing secret for this webhook trigger's endpoint; stored with this command. */
    @CommandHandler
    void handle(RotateWebhookSecretCommand cmd) {
        TriggerSpec t = settings.triggers().get(triggerIndex(cmd.triggerId()));
        if (!"webhook".equals(t.type()) || !Objects.equals(t.config().get("endpoint"), cmd.endpointSlug())) {
            throw AutomationErrors.notWebhookTrigger(automationId, cmd.triggerId());
        }
        apply(new WebhookSecretRotatedEvent(automationId, workspaceId, cmd.triggerId(), cmd.endpointSlug(), cmd.secretHash(),
                cmd.previousExpiresAt(), cmd.actor(), cmd.at()));
    }

    /** Fires the schedule's occurrences in [start, end), a window that has passed. */
    @CommandHandler
    List<String> handle(BackfillAutomationScheduleCommand cmd) {
        return firing.backfill(cmd, context());
    }

    /** One of its runs ended (sent by {@code RunEndRelay}): no longer open for the overlap policies. */
    @CommandHandler
    void handle(NoteRunEndedCommand cmd) {
        firing.runEnded(cmd, context());
    }

    private FireContext context() {
        return new FireContext(automationId, workspaceId, status, settings, definition, draftRevision, publishedRevision,
                answering.sources(), revising.deactivated());
    }

    // --- the status machine

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
                    // becoming active publishes a newer draft from paused too (a person's edit made while paused)
                    if (hasUnpublishedDraft()) {
                        if (!actor.isPerson()) {
                            throw AutomationErrors.publishNeedsPerson();
                        }
                        publish(actor, at);
                    }
                    Map<String, List<Instant>> skipped = firing.skippedWhilePaused();
                    apply(new AutomationResumedEvent(automationId, workspaceId, actor, at));
                    firing.catchUpAfterPause(skipped, at, context());
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

    // --- state

    @EventSourcingHandler
    void on(AutomationCreatedEvent e) {
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
    void on(AutomationDeliverySetEvent e) {
        deliveryUrl = e.url();
        deliverySecret = e.signingSecret();
    }

    @EventSourcingHandler
    void on(AutomationDeliveryClearedEvent e) {
        deliveryUrl = null;
        deliverySecret = null;
    }

    @EventSourcingHandler
    void on(AutomationDeliverySecretRotatedEvent e) {
        deliverySecret = e.signingSecret();
    }

    @EventSourcingHandler
    void on(AutomationDefinitionRevisedEvent e) {
        definition = e.definition();
        draftRevision = Revision.parse(e.revision());
    }

    @EventSourcingHandler
    void on(AutomationSettingsChangedEvent e) {
        settings = e.settings();
    }

    @EventSourcingHandler
    void on(AutomationSubmittedEvent e) {
        status = PENDING_APPROVAL;
        proposer = e.submittedBy();
    }

    @EventSourcingHandler
    void on(AutomationApprovedEvent e) {
        status = ACTIVE;
        proposer = null;
    }

    @EventSourcingHandler
    void on(AutomationRejectedEvent e) {
        status = REJECTED;
    }

    @EventSourcingHandler
    void on(AutomationReturnedToDraftEvent e) {
        status = DRAFT;
        proposer = null;
    }

    @EventSourcingHandler
    void on(AutomationPausedEvent e) {
        status = PAUSED;
    }

    @EventSourcingHandler
    void on(AutomationResumedEvent e) {
        status = ACTIVE;
    }

    @EventSourcingHandler
    void on(AutomationPublishedEvent e) {
        publishedRevision = Revision.parse(e.revision());
        draftRevision = publishedRevision;
    }

    @EventSourcingHandler
    void on(AutomationDeletedEvent e) {
        deleted = true;
    }

    @EventSourcingHandler
    void on(AutomationUndeletedEvent e) {
        deleted = false;
    }

    @EventSourcingHandler
    void on(AutomationPurgedEvent e) {
        markDeleted();
    }
}
