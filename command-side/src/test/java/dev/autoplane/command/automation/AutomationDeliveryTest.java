package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationCommands.DeliveryChange;
import dev.autoplane.events.automation.AutomationCommands.RotateDeliverySecretCommand;
import dev.autoplane.events.automation.AutomationCommands.UpdateAutomationCommand;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeliveryClearedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeliverySecretRotatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeliverySetEvent;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.common.EncryptedValue;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.autoplane.command.automation.AutomationTest.ALICE;
import static dev.autoplane.command.automation.AutomationTest.ID;
import static dev.autoplane.command.automation.AutomationTest.T1;
import static dev.autoplane.command.automation.AutomationTest.WS;
import static dev.autoplane.command.automation.AutomationTest.created;
import static dev.autoplane.command.automation.AutomationTest.domainError;
import static dev.autoplane.command.automation.AutomationTest.secret;

/** The {@code delivery} setting of an automation: set, cleared, its secret rotated (only ciphertexts recorded). */
class AutomationDeliveryTest {

    static final String URL = "https://executor.example.com/runs";
    static final EncryptedValue S1 = new EncryptedValue("key-1", "ct-1");
    static final EncryptedValue S2 = new EncryptedValue("key-1", "ct-2");

    private FixtureConfiguration<Automation> fixture;

    @BeforeEach
    void setUp() {
        fixture = Commands.fixture();
    }

    static UpdateAutomationCommand patch(DeliveryChange delivery, Actor actor) {
        return new UpdateAutomationCommand(ID, WS, null, Map.of(), null, false, delivery, actor, false, T1, List.of());
    }

    static AutomationDeliverySetEvent set() {
        return new AutomationDeliverySetEvent(ID, WS, URL, S1, ALICE, T1);
    }

    @Test
    void aPatchSetsTheDeliveryWithItsSealedSecret() {
        fixture.given(created(), secret()).when(patch(new DeliveryChange(URL, S1), ALICE)).expectEvents(set());
    }

    @Test
    void aPatchWithNullSwitchesItOffOnceAndAgainChangesNothing() {
        fixture.given(created(), secret(), set()).when(patch(new DeliveryChange(null, null), ALICE))
                .expectEvents(new AutomationDeliveryClearedEvent(ID, WS, ALICE, T1));
        fixture.given(created(), secret()).when(patch(new DeliveryChange(null, null), ALICE)).expectNoEvents();
    }

    @Test
    void aServiceAccountMayNotSetDelivery() {
        fixture.given(created(), secret()).when(patch(new DeliveryChange(URL, S1), Actor.serviceAccount(ID)))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "service_account_delivery"));
    }

    @Test
    void rotationKeepsThePreviousSecretForTheGrace() {
        fixture.given(created(), secret(), set())
                .when(new RotateDeliverySecretCommand(ID, WS, null, S2, 300, ALICE, List.of(), T1))
                .expectEvents(new AutomationDeliverySecretRotatedEvent(ID, WS, S2, S1, T1.plusSeconds(300), ALICE, T1));
        fixture.given(created(), secret(), set())
                .when(new RotateDeliverySecretCommand(ID, WS, null, S2, 0, ALICE, List.of(), T1))
                .expectEvents(new AutomationDeliverySecretRotatedEvent(ID, WS, S2, null, T1, ALICE, T1));
    }

    @Test
    void rotationNeedsADelivery() {
        fixture.given(created(), secret())
                .when(new RotateDeliverySecretCommand(ID, WS, null, S2, 0, ALICE, List.of(), T1))
                .expectException(domainError(DomainException.Kind.CONFLICT, "no_delivery"));
        fixture.given(created(), secret(), set(), new AutomationDeliveryClearedEvent(ID, WS, ALICE, T1))
                .when(new RotateDeliverySecretCommand(ID, WS, null, S2, 0, ALICE, List.of(), T1))
                .expectException(domainError(DomainException.Kind.CONFLICT, "no_delivery"));
    }
}
