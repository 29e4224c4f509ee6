package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationCommands.ApproveAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.CreateAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.DeleteAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.RotateAutomationSecretCommand;
import dev.autoplane.events.automation.AutomationCommands.UpdateAutomationCommand;
import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeletedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSecretRotatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSettingsChangedEvent;
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.common.DomainException;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.autoplane.command.automation.AutomationTest.ALICE;
import static dev.autoplane.command.automation.AutomationTest.ID;
import static dev.autoplane.command.automation.AutomationTest.T0;
import static dev.autoplane.command.automation.AutomationTest.T1;
import static dev.autoplane.command.automation.AutomationTest.WS;
import static dev.autoplane.command.automation.AutomationTest.created;
import static dev.autoplane.command.automation.AutomationTest.definition;
import static dev.autoplane.command.automation.AutomationTest.digest;
import static dev.autoplane.command.automation.AutomationTest.domainError;
import static dev.autoplane.command.automation.AutomationTest.fields;
import static dev.autoplane.command.automation.AutomationTest.secret;
import static dev.autoplane.command.automation.AutomationTest.submittedBy;

/** The automation as a credential boundary: secret rotation, and the team limits every command carries. */
class AutomationCredentialTest {

    static final String TEAM_A = "01900000-0000-7000-8000-00000000000a";
    static final String TEAM_B = "01900000-0000-7000-8000-00000000000b";

    private FixtureConfiguration<Automation> fixture;

    @BeforeEach
    void setUp() {
        fixture = Commands.fixture();
    }

    static AutomationCreatedEvent createdInTeam(String team) {
        AutomationSettings d = AutomationFields.DEFAULT_SETTINGS;
        AutomationSettings s = new AutomationSettings(team, d.triggers(), d.fireLimit(), d.retry(), d.misfire(),
                d.overlapPolicy(), d.scopes(), d.teamScope(), d.providerType(), d.credentialLabel(), d.suspended(), d.enabled());
        return new AutomationCreatedEvent(ID, WS, null, definition("Weekly digest"), s, "0.1", ALICE, T0);
    }

    // --- secret rotation

    @Test
    void canRotateTheSecretKeepingThePreviousHashUntilTheGraceDeadline() {
        fixture.given(created(), secret())
                .when(new RotateAutomationSecretCommand(ID, WS, null, "secret-2", "hash-2", 300, ALICE, List.of(), T1))
                .expectEvents(new AutomationSecretRotatedEvent(ID, WS, "secret-2", "hash-2", "secret-1", "hash-1",
                        T1.plusSeconds(300), ALICE, T1));
    }

    @Test
    void canRotateWithoutGraceSoThePreviousSecretStopsAtOnce() {
        fixture.given(created(), secret())
                .when(new RotateAutomationSecretCommand(ID, WS, null, "secret-2", "hash-2", 0, ALICE, List.of(), T1))
                .expectEvents(new AutomationSecretRotatedEvent(ID, WS, "secret-2", "hash-2", "secret-1", "hash-1", T1, ALICE, T1));
    }

    @Test
    void canRotateTwiceAndOnlyTheLatestPreviousSecretHasGrace() {
        fixture.given(created(), secret(), new AutomationSecretRotatedEvent(ID, WS, "secret-2", "hash-2", "secret-1", "hash-1",
                        T1.plusSeconds(600), ALICE, T1))
                .when(new RotateAutomationSecretCommand(ID, WS, null, "secret-3", "hash-3", 60, ALICE, List.of(), T1))
                .expectEvents(new AutomationSecretRotatedEvent(ID, WS, "secret-3", "hash-3", "secret-2", "hash-2",
                        T1.plusSeconds(60), ALICE, T1));
    }

    @Test
    void cannotRotateWithAGracePeriodOutsideZeroToSevenDays() {
        fixture.given(created(), secret())
                .when(new RotateAutomationSecretCommand(ID, WS, null, "secret-2", "hash-2", 604_801, ALICE, List.of(), T1))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "grace_period_seconds"));
    }

    @Test
    void cannotRotateTheSecretOfADeletedAutomation() {
        fixture.given(created(), secret(), new AutomationDeletedEvent(ID, WS, T0, T0.plusSeconds(60), ALICE))
                .when(new RotateAutomationSecretCommand(ID, WS, null, "secret-2", "hash-2", 0, ALICE, List.of(), T1))
                .expectException(domainError(DomainException.Kind.NOT_FOUND, "automation_not_found"));
    }

    @Test
    void cannotRotateTheSecretOfAnotherTeamsAutomation() {
        fixture.given(createdInTeam(TEAM_B), secret())
                .when(new RotateAutomationSecretCommand(ID, WS, null, "secret-2", "hash-2", 0, ALICE, List.of(TEAM_A), T1))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "outside_team_scope"));
    }

    // --- team limits

    @Test
    void canCreateWithinTheCallersTeams() {
        fixture.givenNoPriorActivity()
                .when(new CreateAutomationCommand(ID, WS, withTeam(TEAM_A), null, null, "secret-1", "hash-1", ALICE, false, T0,
                        List.of(TEAM_A)))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void cannotCreateOutsideTheCallersTeams() {
        fixture.givenNoPriorActivity()
                .when(new CreateAutomationCommand(ID, WS, withTeam(TEAM_B), null, null, "secret-1", "hash-1", ALICE, false, T0,
                        List.of(TEAM_A)))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "outside_team_scope"));
    }

    @Test
    void cannotCreateWithoutATeamWhenLimitedToTeams() {
        fixture.givenNoPriorActivity()
                .when(new CreateAutomationCommand(ID, WS, digest(), null, null, "secret-1", "hash-1", ALICE, false, T0, List.of(TEAM_A)))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "outside_team_scope"));
    }

    @Test
    void cannotChangeAnotherTeamsAutomation() {
        fixture.given(createdInTeam(TEAM_B), secret())
                .when(new UpdateAutomationCommand(ID, WS, null, fields("description", "x"), null, false, null, ALICE, false, T1,
                        List.of(TEAM_A)))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "outside_team_scope"));
    }

    @Test
    void cannotMoveAnAutomationOutOfTheCallersTeams() {
        fixture.given(createdInTeam(TEAM_A), secret())
                .when(new UpdateAutomationCommand(ID, WS, null, fields("team_id", TEAM_B), null, false, null, ALICE, false, T1,
                        List.of(TEAM_A)))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "outside_team_scope"));
    }

    @Test
    void canChangeAnAutomationOfTheCallersTeams() {
        fixture.given(createdInTeam(TEAM_A), secret())
                .when(new UpdateAutomationCommand(ID, WS, null, fields("suspended", true), null, false, null, ALICE, false, T1,
                        List.of(TEAM_A)))
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                        org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                org.hamcrest.Matchers.instanceOf(AutomationSettingsChangedEvent.class),
                                org.axonframework.test.matchers.Matchers.andNoMore())));
    }

    @Test
    void cannotApproveAnotherTeamsAutomation() {
        fixture.given(createdInTeam(TEAM_B), secret(), submittedBy(AutomationTest.BOB, "0.1"))
                .when(new ApproveAutomationCommand(ID, WS, null, null, ALICE, true, T1, List.of(TEAM_A)))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "outside_team_scope"));
    }

    @Test
    void cannotDeleteAnotherTeamsAutomation() {
        fixture.given(createdInTeam(TEAM_B), secret())
                .when(new DeleteAutomationCommand(ID, WS, null, ALICE, T1, List.of(TEAM_A)))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "outside_team_scope"));
    }

    private static java.util.Map<String, Object> withTeam(String team) {
        java.util.Map<String, Object> f = digest();
        f.put("team_id", team);
        return f;
    }
}
