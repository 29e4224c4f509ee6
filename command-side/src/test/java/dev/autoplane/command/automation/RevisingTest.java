package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationEvents.AutomationApprovedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDefinitionRevisedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSubmittedEvent;
import dev.autoplane.events.automation.RevisionCommands.ConnectionEdit;
import dev.autoplane.events.automation.RevisionCommands.ConnectionSwitch;
import dev.autoplane.events.automation.RevisionCommands.EditAutomationConnectionsCommand;
import dev.autoplane.events.automation.RevisionCommands.ForkAutomationCommand;
import dev.autoplane.events.automation.RevisionCommands.RestoreAutomationRevisionCommand;
import dev.autoplane.events.automation.RevisionCommands.SetAutomationActivationCommand;
import dev.autoplane.events.automation.RevisionEvents.AutomationActivationChangedEvent;
import dev.autoplane.events.automation.RevisionEvents.AutomationForkedEvent;
import dev.autoplane.events.automation.RevisionEvents.AutomationRevisionRestoredEvent;
import dev.autoplane.events.automation.ScheduleCommands.TriggerAutomationCommand;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException.Kind;
import dev.autoplane.events.connection.ConnectionRef;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.autoplane.command.automation.AutomationTest.ALICE;
import static dev.autoplane.command.automation.AutomationTest.AGENT;
import static dev.autoplane.command.automation.AutomationTest.ID;
import static dev.autoplane.command.automation.AutomationTest.T0;
import static dev.autoplane.command.automation.AutomationTest.T1;
import static dev.autoplane.command.automation.AutomationTest.WS;
import static dev.autoplane.command.automation.AutomationTest.created;
import static dev.autoplane.command.automation.AutomationTest.definition;
import static dev.autoplane.command.automation.AutomationTest.domainError;

/**
 * Seed 002's revision operations ({@link Revising}): the atomic connection edits of a draft (one revision, or
 * nothing), restore, fork and the activation state of the published revision.
 */
class RevisingTest {

    static final String C1 = "01900000-0000-7000-8000-0000000000c1";
    static final String C2 = "01900000-0000-7000-8000-0000000000c2";
    static final String C3 = "01900000-0000-7000-8000-0000000000c3";
    static final AutomationDefinition BASE = definition("Weekly digest");

    private FixtureConfiguration<Automation> fixture;

    @BeforeEach
    void setUp() {
        fixture = Commands.fixture();
    }

    static EditAutomationConnectionsCommand edit(ConnectionEdit edit, List<String> ids, Map<String, Integer> latest) {
        return edit(edit, ids, List.of(), latest, ALICE);
    }

    static EditAutomationConnectionsCommand edit(ConnectionEdit edit, List<String> ids, List<ConnectionSwitch> switches,
                                                 Map<String, Integer> latest, Actor actor) {
        return new EditAutomationConnectionsCommand(ID, WS, null, edit, ids, switches, latest, actor, T1, List.of());
    }

    static AutomationDefinitionRevisedEvent revised(String revision, AutomationDefinition def) {
        return new AutomationDefinitionRevisedEvent(ID, WS, revision, def, ALICE, T0);
    }

    static AutomationDefinition using(ConnectionRef... refs) {
        return BASE.withConnections(List.of(refs));
    }

    // --- connection edits

    @Test
    void addingConnectionsMakesOneDraftRevisionWithEachAtItsLatestVersion() {
        fixture.given(created())
                .when(edit(ConnectionEdit.ADD, List.of(C1, C2), Map.of(C1, 3, C2, 1)))
                .expectEvents(new AutomationDefinitionRevisedEvent(ID, WS, "0.2",
                        using(new ConnectionRef(C1, 3), new ConnectionRef(C2, 1)), ALICE, T1));
    }

    @Test
    void anEditWithOneBadConnectionChangesNothingAndNamesEveryProblem() {
        fixture.given(created(), revised("0.2", using(new ConnectionRef(C1, 1))))
                .when(edit(ConnectionEdit.ADD, List.of(C2, C1, C3), Map.of(C2, 1, C1, 1)))
                .expectException(domainError(Kind.INVALID, "validation_failed", "connection_ids[1]", "connection_ids[2]"))
                .expectNoEvents();
    }

    @Test
    void removingAndUpgradingTouchOnlyTheNamedConnections() {
        fixture.given(created(), revised("0.2", using(new ConnectionRef(C1, 1), new ConnectionRef(C2, 1))))
                .when(edit(ConnectionEdit.REMOVE, List.of(C1), Map.of()))
                .expectEvents(new AutomationDefinitionRevisedEvent(ID, WS, "0.3", using(new ConnectionRef(C2, 1)), ALICE, T1));
        fixture.given(created(), revised("0.2", using(new ConnectionRef(C1, 1), new ConnectionRef(C2, 1))))
                .when(edit(ConnectionEdit.UPGRADE, List.of(C2), Map.of(C2, 4)))
                .expectEvents(new AutomationDefinitionRevisedEvent(ID, WS, "0.3",
                        using(new ConnectionRef(C1, 1), new ConnectionRef(C2, 4)), ALICE, T1));
    }

    @Test
    void upgradingConnectionsAtTheirLatestVersionMakesNoRevision() {
        fixture.given(created(), revised("0.2", using(new ConnectionRef(C1, 2))))
                .when(edit(ConnectionEdit.UPGRADE, List.of(C1), Map.of(C1, 2)))
                .expectNoEvents();
    }

    @Test
    void removingEveryConnectionLeavesTheDefinitionAsOneWithoutAny() {
        fixture.given(created(), revised("0.2", using(new ConnectionRef(C1, 2))))
                .when(edit(ConnectionEdit.REMOVE, List.of(C1), Map.of()))
                .expectEvents(new AutomationDefinitionRevisedEvent(ID, WS, "0.3", BASE, ALICE, T1));
    }

    @Test
    void aSwitchReplacesInPlaceAtTheTargetsLatestVersion() {
        fixture.given(created(), revised("0.2", using(new ConnectionRef(C1, 1), new ConnectionRef(C2, 1))))
                .when(edit(ConnectionEdit.SWITCH, List.of(), List.of(new ConnectionSwitch(C1, C3)), Map.of(C3, 5), ALICE))
                .expectEvents(new AutomationDefinitionRevisedEvent(ID, WS, "0.3",
                        using(new ConnectionRef(C3, 5), new ConnectionRef(C2, 1)), ALICE, T1));
    }

    @Test
    void aSwitchToAConnectionUsedAlreadyIsRefused() {
        fixture.given(created(), revised("0.2", using(new ConnectionRef(C1, 1), new ConnectionRef(C2, 1))))
                .when(edit(ConnectionEdit.SWITCH, List.of(), List.of(new ConnectionSwitch(C1, C2)), Map.of(C2, 1), ALICE))
                .expectException(domainError(Kind.INVALID, "validation_failed", "switches"))
                .expectNoEvents();
    }

    @Test
    void aPublishedAutomationWithoutADraftPointsToFork() {
        fixture.given(created(), new AutomationPublishedEvent(ID, WS, "1.0", "0.1", BASE, ALICE, T0))
                .when(edit(ConnectionEdit.ADD, List.of(C1), Map.of(C1, 1)))
                .expectException(domainError(Kind.CONFLICT, "published_automation"))
                .expectNoEvents();
    }

    @Test
    void aServiceAccountsEditGoesToApproval() {
        fixture.given(created())
                .when(edit(ConnectionEdit.ADD, List.of(C1), List.of(), Map.of(C1, 1), AGENT))
                .expectEvents(new AutomationDefinitionRevisedEvent(ID, WS, "0.2", using(new ConnectionRef(C1, 1)), AGENT, T1),
                        new AutomationSubmittedEvent(ID, WS, "0.2", AGENT, T1));
    }

    // --- restore and fork

    @Test
    void restoringMakesANewDraftWithThatRevisionsDefinition() {
        AutomationDefinition changed = definition("Weekly digest").withMarkedOutputs(List.of("summary"));
        fixture.given(created(), revised("0.2", changed))
                .when(new RestoreAutomationRevisionCommand(ID, WS, null, "0.1", ALICE, T1, List.of()))
                .expectEvents(new AutomationDefinitionRevisedEvent(ID, WS, "0.3", BASE, ALICE, T1),
                        new AutomationRevisionRestoredEvent(ID, WS, "0.3", "0.1", ALICE, T1));
    }

    @Test
    void restoringAnUnknownRevisionIsNotFound() {
        fixture.given(created())
                .when(new RestoreAutomationRevisionCommand(ID, WS, null, "7.0", ALICE, T1, List.of()))
                .expectException(domainError(Kind.NOT_FOUND, "revision_not_found"))
                .expectNoEvents();
    }

    @Test
    void forkingMakesADraftFromThePublishedRevision() {
        fixture.given(created(), new AutomationPublishedEvent(ID, WS, "1.0", "0.1", BASE, ALICE, T0),
                        new AutomationApprovedEvent(ID, WS, "1.0", ALICE, T0))
                .when(new ForkAutomationCommand(ID, WS, null, ALICE, T1, List.of()))
                .expectEvents(new AutomationDefinitionRevisedEvent(ID, WS, "1.1", BASE, ALICE, T1),
                        new AutomationForkedEvent(ID, WS, "1.1", "1.0", ALICE, T1));
    }

    @Test
    void forkingIsRefusedWithoutAPublishedRevisionOrWithADraftAhead() {
        fixture.given(created())
                .when(new ForkAutomationCommand(ID, WS, null, ALICE, T1, List.of()))
                .expectException(domainError(Kind.CONFLICT, "not_published"));
        fixture.given(created(), new AutomationPublishedEvent(ID, WS, "1.0", "0.1", BASE, ALICE, T0),
                        revised("1.1", using(new ConnectionRef(C1, 1))))
                .when(new ForkAutomationCommand(ID, WS, null, ALICE, T1, List.of()))
                .expectException(domainError(Kind.CONFLICT, "draft_exists"))
                .expectNoEvents();
    }

    // --- activation

    @Test
    void deactivatingThePublishedRevisionIsRecordedOnceAndNeedsAPublishedRevision() {
        fixture.given(created())
                .when(new SetAutomationActivationCommand(ID, WS, null, false, ALICE, T1, List.of()))
                .expectException(domainError(Kind.CONFLICT, "not_published"));
        fixture.given(created(), new AutomationPublishedEvent(ID, WS, "1.0", "0.1", BASE, ALICE, T0),
                        new AutomationApprovedEvent(ID, WS, "1.0", ALICE, T0))
                .when(new SetAutomationActivationCommand(ID, WS, null, false, ALICE, T1, List.of()))
                .expectEvents(new AutomationActivationChangedEvent(ID, WS, "DEACTIVATED", ALICE, T1));
        fixture.given(created(), new AutomationPublishedEvent(ID, WS, "1.0", "0.1", BASE, ALICE, T0),
                        new AutomationActivationChangedEvent(ID, WS, "DEACTIVATED", ALICE, T0))
                .when(new SetAutomationActivationCommand(ID, WS, null, false, ALICE, T1, List.of()))
                .expectNoEvents();
    }

    @Test
    void aDeactivatedAutomationRunsNothingOfItsPublishedRevision() {
        fixture.given(created(), new AutomationPublishedEvent(ID, WS, "1.0", "0.1", BASE, ALICE, T0),
                        new AutomationApprovedEvent(ID, WS, "1.0", ALICE, T0),
                        new AutomationActivationChangedEvent(ID, WS, "DEACTIVATED", ALICE, T0))
                .when(manualRun())
                .expectException(domainError(Kind.CONFLICT, "deactivated"))
                .expectNoEvents();
    }

    // --- becoming active from paused

    @Test
    void resumingPublishesADraftMadeWhilePaused() {
        AutomationDefinition edited = using(new ConnectionRef(C1, 1));
        fixture.given(created(), new AutomationPublishedEvent(ID, WS, "1.0", "0.1", BASE, ALICE, T0),
                        new AutomationApprovedEvent(ID, WS, "1.0", ALICE, T0),
                        new dev.autoplane.events.automation.AutomationEvents.AutomationPausedEvent(ID, WS, ALICE, T0),
                        revised("1.1", edited))
                .when(Commands.resumeAutomation(ID, WS, null, ALICE, false, T1))
                .expectEvents(new AutomationPublishedEvent(ID, WS, "2.0", "1.1", edited, ALICE, T1),
                        new dev.autoplane.events.automation.AutomationEvents.AutomationResumedEvent(ID, WS, ALICE, T1));
    }

    private static TriggerAutomationCommand manualRun() {
        return Commands.triggerAutomation(ID, WS, "01900000-0000-7000-8000-0000000000f1", null, "published", Map.of(),
                "manual", ALICE, false, T1);
    }
}
