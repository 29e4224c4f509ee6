package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPausedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationApprovedEvent;
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.automation.AutomationSettings.FireLimit;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.WebhookCommands.FireWebhookTriggerCommand;
import dev.autoplane.events.automation.WebhookCommands.RotateWebhookSecretCommand;
import dev.autoplane.events.automation.WebhookCommands.WebhookFireResult;
import dev.autoplane.events.automation.WebhookCommands.WebhookSecretRotatedEvent;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.autoplane.command.automation.AutomationSchedulingTest.min;
import static dev.autoplane.command.automation.AutomationSchedulingTest.outcomes;
import static dev.autoplane.command.automation.AutomationTest.ALICE;
import static dev.autoplane.command.automation.AutomationTest.ID;
import static dev.autoplane.command.automation.AutomationTest.T0;
import static dev.autoplane.command.automation.AutomationTest.WS;
import static dev.autoplane.command.automation.AutomationTest.definition;
import static dev.autoplane.command.automation.AutomationTest.domainError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A verified webhook delivery at the automation: one occurrence of its webhook trigger, judged by the
 * normal rules (status, fire limits, overlap), recorded once per delivery.
 */
class WebhookFiringTest {

    private FixtureConfiguration<Automation> fixture;

    @BeforeEach
    void setUp() {
        fixture = Commands.fixture();
    }

    static AutomationSettings settings(FireLimit limit, String overlap) {
        AutomationSettings s = AutomationFields.DEFAULT_SETTINGS;
        TriggerSpec hook = new TriggerSpec("w-1", "webhook", Map.of("endpoint", "hooks"), "deploy", null, "MAIN", limit, null, true);
        return new AutomationSettings(null, List.of(hook), null, null, s.misfire(), overlap, List.of(), List.of(), null, null,
                false, true);
    }

    static List<Object> created(AutomationSettings settings) {
        return new ArrayList<>(List.of(new AutomationCreatedEvent(ID, WS, null, definition("Hook"), settings, "0.1", ALICE, T0)));
    }

    static List<Object> active(AutomationSettings settings) {
        List<Object> events = created(settings);
        events.add(new AutomationPublishedEvent(ID, WS, "1.0", "0.1", definition("Hook"), ALICE, T0));
        events.add(new AutomationApprovedEvent(ID, WS, "1.0", ALICE, T0));
        return events;
    }

    static FireWebhookTriggerCommand delivery(String deliveryId, String slug, int minute) {
        return new FireWebhookTriggerCommand(ID, WS, "w-1", slug, deliveryId, ID + "/w-1/webhook/" + deliveryId,
                Map.of("webhook", Map.of("delivery_id", deliveryId, "payload", Map.of("n", 1))), min(minute), min(minute));
    }

    @Test
    void anActiveAutomationFiresItsPublishedRevisionWithTheDeliveryOnTheRun() {
        fixture.given(active(settings(null, "allow")))
                .when(delivery("d-1", "hooks", 0))
                .expectEventsMatching(outcomes("fired 0 webhook"))
                .expectResultMessagePayloadMatching(new org.hamcrest.CustomTypeSafeMatcher<WebhookFireResult>("fired") {
                    @Override
                    protected boolean matchesSafely(WebhookFireResult r) {
                        return r.outcome().equals("fired") && r.run().triggerType().equals("webhook")
                                && r.run().fireId().equals(ID + "/w-1/webhook/d-1") && r.run().revision().equals("1.0")
                                && r.run().inputs().containsKey("webhook");
                    }
                });
    }

    @Test
    void theSameDeliveryFiresOnce() {
        List<Object> given = active(settings(null, "allow"));
        fixture.given(given).when(delivery("d-1", "hooks", 0));
        fixture = Commands.fixture();
        fixture.given(given).andGivenCommands(delivery("d-1", "hooks", 0))
                .when(delivery("d-1", "hooks", 1))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcome("duplicate"));
    }

    @Test
    void aPausedOrInactiveAutomationRecordsWhyAndRunsNothing() {
        List<Object> paused = active(settings(null, "allow"));
        paused.add(new AutomationPausedEvent(ID, WS, ALICE, T0));
        fixture.given(paused).when(delivery("d-1", "hooks", 0))
                .expectEventsMatching(outcomes("skipped_paused 0"))
                .expectResultMessagePayloadMatching(outcome("skipped_paused"));
        fixture = Commands.fixture();
        fixture.given(created(settings(null, "allow"))).when(delivery("d-1", "hooks", 0))
                .expectEventsMatching(outcomes("skipped_inactive 0"))
                .expectResultMessagePayloadMatching(outcome("skipped_inactive"));
        // a deactivated published revision: logged, not executed
        fixture = Commands.fixture();
        List<Object> deactivated = active(settings(null, "allow"));
        deactivated.add(new dev.autoplane.events.automation.RevisionEvents.AutomationActivationChangedEvent(ID, WS,
                "DEACTIVATED", ALICE, T0));
        fixture.given(deactivated).when(delivery("d-1", "hooks", 0))
                .expectEventsMatching(outcomes("skipped_deactivated 0"))
                .expectResultMessagePayloadMatching(outcome("skipped_deactivated"));
        // and the skip is remembered: the same delivery again records nothing more
        fixture = Commands.fixture();
        fixture.given(created(settings(null, "allow"))).andGivenCommands(delivery("d-1", "hooks", 0))
                .when(delivery("d-1", "hooks", 0)).expectNoEvents();
    }

    @Test
    void theTriggersFireLimitAndTheOverlapPolicyApply() {
        fixture.given(active(settings(new FireLimit(1, "1h"), "allow"))).andGivenCommands(delivery("d-1", "hooks", 0))
                .when(delivery("d-2", "hooks", 5))
                .expectEventsMatching(outcomes("throttled 5"))
                .expectResultMessagePayloadMatching(outcome("throttled"));
        fixture = Commands.fixture();
        fixture.given(active(settings(null, "skip"))).andGivenCommands(delivery("d-1", "hooks", 0))
                .when(delivery("d-2", "hooks", 5))
                .expectEventsMatching(outcomes("skipped_overlap 5"));
        fixture = Commands.fixture(); // buffer_one does not hold a delivery for later
        fixture.given(active(settings(null, "buffer_one"))).andGivenCommands(delivery("d-1", "hooks", 0))
                .when(delivery("d-2", "hooks", 5))
                .expectEventsMatching(outcomes("skipped_overlap 5"));
    }

    @Test
    void aDeliveryForAnotherEndpointOrADisabledTriggerFiresNothing() {
        fixture.given(active(settings(null, "allow"))).when(delivery("d-1", "elsewhere", 0))
                .expectNoEvents().expectResultMessagePayloadMatching(outcome("not_matched"));
    }

    @Test
    void aRotationIsRecordedWithTheHashOnly() {
        var cmd = new RotateWebhookSecretCommand(ID, WS, "w-1", "hooks", "hash-2", min(60), ALICE, min(0), List.of());
        fixture.given(active(settings(null, "allow"))).when(cmd)
                .expectEvents(new WebhookSecretRotatedEvent(ID, WS, "w-1", "hooks", "hash-2", min(60), ALICE, min(0)));
        fixture = Commands.fixture();
        fixture.given(active(settings(null, "allow")))
                .when(new RotateWebhookSecretCommand(ID, WS, "w-1", "other", "hash-2", min(60), ALICE, min(0), List.of()))
                .expectException(domainError(DomainException.Kind.CONFLICT, "not_a_webhook_trigger"));
    }

    static org.hamcrest.Matcher<WebhookFireResult> outcome(String expected) {
        return new org.hamcrest.CustomTypeSafeMatcher<>("outcome " + expected) {
            @Override
            protected boolean matchesSafely(WebhookFireResult r) {
                assertThat(r.outcome()).isEqualTo(expected);
                return true;
            }
        };
    }
}
