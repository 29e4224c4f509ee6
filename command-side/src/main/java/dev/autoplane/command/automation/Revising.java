package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationEvents.AutomationApprovedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDefinitionRevisedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPausedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationRejectedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationResumedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationReturnedToDraftEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSubmittedEvent;
import dev.autoplane.events.automation.AutomationStatus;
import dev.autoplane.events.automation.RevisionCommands.ConnectionSwitch;
import dev.autoplane.events.automation.RevisionCommands.EditAutomationConnectionsCommand;
import dev.autoplane.events.automation.RevisionCommands.ForkAutomationCommand;
import dev.autoplane.events.automation.RevisionCommands.RestoreAutomationRevisionCommand;
import dev.autoplane.events.automation.RevisionCommands.SetAutomationActivationCommand;
import dev.autoplane.events.automation.RevisionEvents.AutomationActivationChangedEvent;
import dev.autoplane.events.automation.RevisionEvents.AutomationForkedEvent;
import dev.autoplane.events.automation.RevisionEvents.AutomationRevisionRestoredEvent;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.common.DomainException.FieldViolation;
import dev.autoplane.events.common.Revision;
import dev.autoplane.events.connection.ConnectionRef;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * Seed 002's revision operations on an automation (a member of {@code Automation}, so its rules live apart from
 * the status machine): the atomic connection edits of a draft, restore, fork, and the activation state of the
 * published revision. It keeps its own small fold of the automation's events: the status, the current draft and
 * the latest published revision, and the definition of every revision (for restore). Every operation that
 * changes the definition makes exactly one new draft revision ({@code AutomationDefinitionRevisedEvent}), or
 * nothing at all; a service account's goes to approval like its field changes.
 */
class Revising {

    static final int MAX_CONNECTIONS = 100;
    static final String ACTIVE = "ACTIVE";
    static final String DEACTIVATED = "DEACTIVATED";

    private String automationId;
    private String workspaceId;
    private AutomationStatus status;
    private Revision draftRevision;
    private Revision publishedRevision;
    /** Every revision's definition, by revision ({@code 0.1}, {@code 1.0}, ...). */
    private Map<String, AutomationDefinition> definitions = new HashMap<>();
    private boolean deactivated;

    /** Whether the published revision is deactivated (occurrences are recorded, nothing runs). */
    boolean deactivated() {
        return deactivated;
    }

    // --- the atomic connection edits

    @CommandHandler
    void handle(EditAutomationConnectionsCommand cmd) {
        requireDraft("edit its connections");
        AutomationDefinition current = definitions.get(draftRevision.toString());
        List<ConnectionRef> refs = current.connections() == null ? List.of() : current.connections();
        Map<String, Integer> latest = cmd.latestVersions() == null ? Map.of() : cmd.latestVersions();
        Map<String, ConnectionRef> used = new LinkedHashMap<>();
        refs.forEach(r -> used.put(r.connectionId(), r));
        List<FieldViolation> violations = new ArrayList<>();
        List<String> ids = cmd.connectionIds() == null ? List.of() : cmd.connectionIds();
        List<ConnectionSwitch> switches = cmd.switches() == null ? List.of() : cmd.switches();
        int count = cmd.edit() == dev.autoplane.events.automation.RevisionCommands.ConnectionEdit.SWITCH
                ? switches.size() : ids.size();
        String list = cmd.edit() == dev.autoplane.events.automation.RevisionCommands.ConnectionEdit.SWITCH
                ? "switches" : "connection_ids";
        if (count == 0 || count > MAX_CONNECTIONS) {
            throw DomainException.invalid(list, "must name 1 to " + MAX_CONNECTIONS + " connections");
        }
        Map<String, ConnectionRef> next = new LinkedHashMap<>(used);
        Set<String> seen = new HashSet<>();
        switch (cmd.edit()) {
            case ADD -> {
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    String at = "connection_ids[" + i + "]";
                    if (!seen.add(id)) {
                        violations.add(new FieldViolation(at, "is named twice"));
                    } else if (used.containsKey(id)) {
                        violations.add(new FieldViolation(at, "connection " + id + " is used already"));
                    } else if (!latest.containsKey(id)) {
                        violations.add(new FieldViolation(at, "connection " + id + " not found in this workspace"));
                    } else {
                        next.put(id, new ConnectionRef(id, latest.get(id)));
                    }
                }
            }
            case REMOVE -> {
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    String at = "connection_ids[" + i + "]";
                    if (!seen.add(id)) {
                        violations.add(new FieldViolation(at, "is named twice"));
                    } else if (!used.containsKey(id)) {
                        violations.add(new FieldViolation(at, "connection " + id + " is not used by this automation"));
                    } else {
                        next.remove(id);
                    }
                }
            }
            case UPGRADE -> {
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    String at = "connection_ids[" + i + "]";
                    if (!seen.add(id)) {
                        violations.add(new FieldViolation(at, "is named twice"));
                    } else if (!used.containsKey(id)) {
                        violations.add(new FieldViolation(at, "connection " + id + " is not used by this automation"));
                    } else if (!latest.containsKey(id)) {
                        violations.add(new FieldViolation(at, "connection " + id + " no longer exists: switch or remove it"));
                    } else {
                        next.put(id, new ConnectionRef(id, latest.get(id)));
                    }
                }
            }
            case SWITCH -> {
                Set<String> targets = new HashSet<>();
                Map<String, ConnectionRef> switched = new LinkedHashMap<>();
                for (int i = 0; i < switches.size(); i++) {
                    ConnectionSwitch s = switches.get(i);
                    String at = "switches[" + i + "]";
                    if (s == null || s.fromConnectionId() == null || s.toConnectionId() == null) {
                        violations.add(new FieldViolation(at, "needs from_connection_id and to_connection_id"));
                        continue;
                    }
                    if (!seen.add(s.fromConnectionId())) {
                        violations.add(new FieldViolation(at + ".from_connection_id", "is named twice"));
                    } else if (!used.containsKey(s.fromConnectionId())) {
                        violations.add(new FieldViolation(at + ".from_connection_id",
                                "connection " + s.fromConnectionId() + " is not used by this automation"));
                    }
                    if (!targets.add(s.toConnectionId())) {
                        violations.add(new FieldViolation(at + ".to_connection_id", "is named twice"));
                    } else if (!latest.containsKey(s.toConnectionId())) {
                        violations.add(new FieldViolation(at + ".to_connection_id",
                                "connection " + s.toConnectionId() + " not found in this workspace"));
                    }
                    switched.put(s.fromConnectionId(), new ConnectionRef(s.toConnectionId(),
                            latest.getOrDefault(s.toConnectionId(), 0)));
                }
                // in place, so the order of the connections stays; a target used already (and not switched away) is refused
                Map<String, ConnectionRef> result = new LinkedHashMap<>();
                for (ConnectionRef r : refs) {
                    ConnectionRef to = switched.getOrDefault(r.connectionId(), r);
                    if (result.containsKey(to.connectionId())) {
                        violations.add(new FieldViolation("switches", "connection " + to.connectionId()
                                + " would be used twice"));
                    }
                    result.put(to.connectionId(), to);
                }
                next = result;
            }
        }
        if (!violations.isEmpty()) {
            throw DomainException.invalid(violations); // all or nothing: every violation, no change
        }
        AutomationDefinition revised = current.withConnections(new ArrayList<>(next.values()));
        if (revised.equals(current)) {
            return; // nothing changes (an upgrade of connections at their latest version): no revision
        }
        revise(revised, cmd.actor(), cmd.at());
        proposeIfServiceAccount(cmd.actor(), cmd.at());
    }

    // --- restore and fork

    @CommandHandler
    void handle(RestoreAutomationRevisionCommand cmd, AutomationNameRegistry names) {
        if (status == AutomationStatus.PENDING_APPROVAL) {
            throw AutomationErrors.pendingApproval(automationId, status);
        }
        String wanted = cmd.revision() != null && Revision.isValid(cmd.revision())
                ? Revision.parse(cmd.revision()).toString() : null;
        AutomationDefinition restored = wanted == null ? null : definitions.get(wanted);
        if (restored == null) {
            throw DomainException.notFound("revision_not_found", "automation " + automationId + " has no revision "
                    + cmd.revision());
        }
        AutomationDefinition current = definitions.get(draftRevision.toString());
        if (!restored.name().equals(current.name())) {
            names.release(workspaceId, current.name(), automationId);
            names.claim(workspaceId, restored.name(), automationId);
        }
        String revision = revise(restored, cmd.actor(), cmd.at());
        apply(new AutomationRevisionRestoredEvent(automationId, workspaceId, revision, wanted, cmd.actor(), cmd.at()));
        proposeIfServiceAccount(cmd.actor(), cmd.at());
    }

    @CommandHandler
    void handle(ForkAutomationCommand cmd, AutomationNameRegistry names) {
        if (publishedRevision == null) {
            throw DomainException.conflict("not_published", "automation " + automationId
                    + " has no published revision to fork; its draft can be edited as it is", Map.of());
        }
        if (status == AutomationStatus.PENDING_APPROVAL) {
            throw AutomationErrors.pendingApproval(automationId, status);
        }
        if (draftRevision.compareTo(publishedRevision) > 0) {
            throw DomainException.conflict("draft_exists", "automation " + automationId + " already has draft "
                    + draftRevision + " (newer than " + publishedRevision + "): edit it, or restore "
                    + publishedRevision + " to start again from the published revision",
                    Map.of("revision", draftRevision.toString(), "latest_published_version", publishedRevision.toString()));
        }
        AutomationDefinition published = definitions.get(publishedRevision.toString());
        String revision = revise(published, cmd.actor(), cmd.at());
        apply(new AutomationForkedEvent(automationId, workspaceId, revision, publishedRevision.toString(), cmd.actor(),
                cmd.at()));
        proposeIfServiceAccount(cmd.actor(), cmd.at());
    }

    // --- activation

    @CommandHandler
    void handle(SetAutomationActivationCommand cmd) {
        if (!cmd.actor().isPerson()) {
            throw DomainException.forbidden("person_required", "only people activate or deactivate an automation");
        }
        if (publishedRevision == null) {
            throw DomainException.conflict("not_published", "automation " + automationId
                    + " has no published revision: activation_state is only meaningful after publishing", Map.of());
        }
        if (cmd.active() == !deactivated) {
            return; // as asked already: no event
        }
        apply(new AutomationActivationChangedEvent(automationId, workspaceId, cmd.active() ? ACTIVE : DEACTIVATED,
                cmd.actor(), cmd.at()));
    }

    // --- helpers

    /** The connection edits work on a draft: not while a proposal is pending, nor on a published automation. */
    private void requireDraft(String what) {
        if (status == AutomationStatus.PENDING_APPROVAL) {
            throw AutomationErrors.pendingApproval(automationId, status);
        }
        if (publishedRevision != null && draftRevision.compareTo(publishedRevision) <= 0) {
            String fork = "/api/v1/workspaces/" + workspaceId + "/automations/" + automationId + "/fork";
            throw DomainException.conflict("published_automation", "automation " + automationId + " is published ("
                    + publishedRevision + ") and has no draft: POST " + fork + " to make a draft, then " + what,
                    Map.of("fork", fork, "latest_published_version", publishedRevision.toString()));
        }
    }

    /** Applies the next draft revision with this definition; answers its revision. */
    private String revise(AutomationDefinition definition, Actor actor, Instant at) {
        String revision = draftRevision.nextDraft().toString();
        apply(new AutomationDefinitionRevisedEvent(automationId, workspaceId, revision, definition, actor, at));
        return revision;
    }

    /** A service account's change waits for a person's approval, as its field changes do. */
    private void proposeIfServiceAccount(Actor actor, Instant at) {
        if (!actor.isServiceAccount() || status == AutomationStatus.PENDING_APPROVAL) {
            return;
        }
        if (status == AutomationStatus.REJECTED) {
            apply(new AutomationReturnedToDraftEvent(automationId, workspaceId, actor, at));
        }
        apply(new AutomationSubmittedEvent(automationId, workspaceId, draftRevision.toString(), actor, at));
    }

    // --- state (a fold of the events the rules above need)

    @EventSourcingHandler
    void on(AutomationCreatedEvent e) {
        automationId = e.automationId();
        workspaceId = e.workspaceId();
        status = AutomationStatus.DRAFT;
        draftRevision = Revision.parse(e.revision());
        definitions.put(e.revision(), e.definition());
    }

    @EventSourcingHandler
    void on(AutomationDefinitionRevisedEvent e) {
        draftRevision = Revision.parse(e.revision());
        definitions.put(e.revision(), e.definition());
    }

    @EventSourcingHandler
    void on(AutomationPublishedEvent e) {
        publishedRevision = Revision.parse(e.revision());
        draftRevision = publishedRevision;
        definitions.put(e.revision(), e.definition());
    }

    @EventSourcingHandler
    void on(AutomationActivationChangedEvent e) {
        deactivated = DEACTIVATED.equals(e.activationState());
    }

    @EventSourcingHandler
    void on(AutomationSubmittedEvent e) {
        status = AutomationStatus.PENDING_APPROVAL;
    }

    @EventSourcingHandler
    void on(AutomationApprovedEvent e) {
        status = AutomationStatus.ACTIVE;
    }

    @EventSourcingHandler
    void on(AutomationRejectedEvent e) {
        status = AutomationStatus.REJECTED;
    }

    @EventSourcingHandler
    void on(AutomationReturnedToDraftEvent e) {
        status = AutomationStatus.DRAFT;
    }

    @EventSourcingHandler
    void on(AutomationPausedEvent e) {
        status = AutomationStatus.PAUSED;
    }

    @EventSourcingHandler
    void on(AutomationResumedEvent e) {
        status = AutomationStatus.ACTIVE;
    }
}
