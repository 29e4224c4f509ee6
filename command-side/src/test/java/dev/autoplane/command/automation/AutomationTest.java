package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationCommands.CreateAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.UpdateAutomationCommand;
import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationEvents.AutomationApprovedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDefinitionRevisedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeletedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationOAuthTokenSetEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPausedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationRejectedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationResumedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSecretIssuedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSettingsChangedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSubmittedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationUndeletedEvent;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.common.EncryptedValue;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The automation's rules, one behaviour per test (given events, when a command, then events or an error). */
class AutomationTest {

    static final String ID = "01900000-0000-7000-8000-0000000000a1";
    static final String WS = "01900000-0000-7000-8000-000000000001";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-03-01T11:00:00Z");
    static final Actor ALICE = Actor.user("alice");
    static final Actor BOB = Actor.user("bob");
    static final Actor AGENT = Actor.serviceAccount("01900000-0000-7000-8000-0000000000ff");

    private FixtureConfiguration<Automation> fixture;
    private InMemoryNames names;

    @BeforeEach
    void setUp() {
        names = new InMemoryNames();
        fixture = Commands.fixture(new RunRepositories(), names);
    }

    static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, Object> digest() {
        return fields("name", "  Weekly digest  ", "kind", "scheduled", "config", Map.of("cron", "0 9 * * MON"));
    }

    static CreateAutomationCommand create(Map<String, Object> fields, Actor actor, boolean mayApprove) {
        return Commands.createAutomation(ID, WS, fields, null, "secret-1", "hash-1", actor, mayApprove, T0);
    }

    static AutomationDefinition definition(String name) {
        return new AutomationDefinition(name, null, "scheduled", Map.of("cron", "0 9 * * MON"), null, null, null, null,
                List.of(), null, "default", null, Map.of());
    }

    static AutomationCreatedEvent created() {
        return new AutomationCreatedEvent(ID, WS, null, definition("Weekly digest"), AutomationFields.DEFAULT_SETTINGS,
                "0.1", ALICE, T0);
    }

    static AutomationSecretIssuedEvent secret() {
        return new AutomationSecretIssuedEvent(ID, WS, "secret-1", "hash-1", ALICE, T0);
    }

    static AutomationSubmittedEvent submittedBy(Actor actor, String revision) {
        return new AutomationSubmittedEvent(ID, WS, revision, actor, T0);
    }

    static UpdateAutomationCommand update(Map<String, Object> changes, Actor actor, boolean mayApprove) {
        return Commands.updateAutomation(ID, WS, null, changes, null, false, actor, mayApprove, T1);
    }

    /** Matches a DomainException of that kind and code (and, for validation, naming these fields). */
    static Matcher<Exception> domainError(DomainException.Kind kind, String code, String... fields) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object item) {
                if (!(item instanceof DomainException e) || e.details().kind() != kind || !e.details().code().equals(code)) {
                    return false;
                }
                Set<String> actual = new java.util.HashSet<>();
                e.details().violations().forEach(v -> actual.add(v.field()));
                return actual.containsAll(List.of(fields));
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(kind + " " + code + " on " + List.of(fields));
            }
        };
    }

    // --- creation

    @Test
    void canCreateADraftWithTrimmedNameAndItsSecretHash() {
        fixture.givenNoPriorActivity()
                .when(create(digest(), ALICE, false))
                .expectSuccessfulHandlerExecution()
                .expectEvents(created(), secret());
    }

    @Test
    void canCreateWithAnEncryptedOauthToken() {
        EncryptedValue sealed = new EncryptedValue("key-1", "Y2lwaGVydGV4dA==");
        fixture.givenNoPriorActivity()
                .when(Commands.createAutomation(ID, WS, digest(), sealed, "secret-1", "hash-1", ALICE, false, T0))
                .expectEvents(created(), secret(), new AutomationOAuthTokenSetEvent(ID, WS, sealed, ALICE, T0));
    }

    @Test
    void canCreateActiveAsAnApproverWhichPublishesTheDraft() {
        Map<String, Object> f = digest();
        f.put("status", "active");
        fixture.givenNoPriorActivity()
                .when(create(f, ALICE, true))
                .expectEvents(created(), secret(),
                        new AutomationPublishedEvent(ID, WS, "1.0", "0.1", definition("Weekly digest"), ALICE, T0),
                        new AutomationApprovedEvent(ID, WS, "1.0", ALICE, T0));
    }

    @Test
    void cannotCreateActiveWithoutTheApprovePermission() {
        Map<String, Object> f = digest();
        f.put("status", "active");
        fixture.givenNoPriorActivity()
                .when(create(f, ALICE, false))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "approval_required"));
    }

    @Test
    void canBeProposedByAServiceAccountOnlyAsPendingApprovalWithItsDescriptionAsProposalNote() {
        Map<String, Object> f = digest();
        f.put("status", "active");
        f.put("description", "send the digest every Monday");
        AutomationDefinition def = new AutomationDefinition("Weekly digest", "send the digest every Monday", "scheduled",
                Map.of("cron", "0 9 * * MON", "proposal_note", "send the digest every Monday"), null, null, null, null,
                List.of(), null, "default", null, Map.of());
        fixture.givenNoPriorActivity()
                .when(create(f, AGENT, true))
                .expectEvents(new AutomationCreatedEvent(ID, WS, null, def, AutomationFields.DEFAULT_SETTINGS, "0.1", AGENT, T0),
                        new AutomationSecretIssuedEvent(ID, WS, "secret-1", "hash-1", AGENT, T0),
                        submittedBy(AGENT, "0.1"));
    }

    @Test
    void cannotSetAnOauthTokenAsAServiceAccount() {
        fixture.givenNoPriorActivity()
                .when(Commands.createAutomation(ID, WS, digest(), new EncryptedValue("k", "c"), "s", "h", AGENT, false, T0))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "service_account_oauth_token"));
    }

    @Test
    void cannotTakeANameAnotherAutomationHolds() {
        names.claim(WS, "weekly DIGEST", "someone-else");
        fixture.givenNoPriorActivity()
                .when(create(digest(), ALICE, false))
                .expectException(domainError(DomainException.Kind.CONFLICT, "name_taken"));
    }

    // --- validation

    @Test
    void cannotCreateWithoutNameOrKind() {
        fixture.givenNoPriorActivity()
                .when(create(fields(), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "name", "kind"));
    }

    @Test
    void cannotCreateWithABlankOrTooLongOrControlCharacterName() {
        for (Object name : List.of("   ", "x".repeat(201), "tab\there", 123)) {
            setUp();
            fixture.givenNoPriorActivity()
                    .when(create(fields("name", name, "kind", "scheduled"), ALICE, false))
                    .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "name"));
        }
    }

    @Test
    void cannotCreateWithAnUnknownKindOrField() {
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "cron_job", "colour", "red"), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "kind", "colour"));
    }

    @Test
    void cannotCreateWithConfigKeysOutsideTheKindsSchema() {
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "config", Map.of("chanel", "general")), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "config.chanel"));
    }

    @Test
    void cannotCreateAKindWithoutItsRequiredConfig() {
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "reverse_tunnel", "config", Map.of("target_port", 70000)), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed",
                        "config.target_host", "config.target_port"));
    }

    @Test
    void cannotCreateAnAgentPromptWithoutPromptOrCodeWithoutCode() {
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "agent_prompt"), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "prompt"));
        setUp();
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "code"), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "code"));
    }

    @Test
    void cannotSmuggleMongoOperatorsOrDottedKeysInConfig() {
        Map<String, Object> payload = Map.of("$ne", "x", "a.b", 1);
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "config", Map.of("payload", payload)), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed",
                        "config.payload.$ne", "config.payload.a.b"));
    }

    @Test
    void cannotNestConfigDeeperThanEightLevels() {
        Object nested = "leaf";
        for (int i = 0; i < 12; i++) {
            nested = Map.of("n", nested);
        }
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "config", Map.of("payload", nested)), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed"));
    }

    @Test
    void cannotUseNulCharactersOrLoneSurrogates() {
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "description", "bad\u0000byte",
                        "prompt", "half \ud800"), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "description", "prompt"));
    }

    @Test
    void cannotGiveBothRepositoryIdsAndARepositorySet() {
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "repository_ids", List.of("r1"),
                        "repository_set_id", "set-1"), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "repository_set_id"));
    }

    @Test
    void cannotSetAutoStopOutsideItsRange() {
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "workspace_auto_stop_minutes", 2,
                        "workspace_lifecycle_policy", "delete_after_inactivity"), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "workspace_auto_stop_minutes"));
    }

    @Test
    void canKeepAutoStopWithAnotherPolicy() { // seed 004's example: policy default with 721 minutes (no effect)
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "workspace_auto_stop_minutes", 721,
                        "workspace_lifecycle_policy", "default"), ALICE, false))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void canSetAutoStopWithDeleteAfterInactivity() {
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "workspace_auto_stop_minutes", 1440,
                        "workspace_lifecycle_policy", "delete_after_inactivity"), ALICE, false))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void cannotHaveTwoCronTriggers() {
        Map<String, Object> cron = Map.of("type", "cron", "config", Map.of("schedule", "0 9 * * *"));
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "triggers", List.of(cron, cron)), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed", "triggers[1].type"));
    }

    @Test
    void cannotUseAnInvalidCronOrAnUnknownTimeZone() {
        Map<String, Object> trigger = Map.of("type", "cron", "config", Map.of("schedule", "61 9 * * *",
                "timezone", "Mars/Olympus_Mons"));
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "triggers", List.of(trigger)), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed",
                        "triggers[0].config.schedule", "triggers[0].config.timezone"));
    }

    @Test
    void canUseCronMacrosAndIanaZones() {
        Map<String, Object> trigger = Map.of("type", "cron", "config", Map.of("schedule", "@hourly",
                "timezone", "Europe/Berlin"));
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "triggers", List.of(trigger)), ALICE, false))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void cannotUseZeroOrMalformedDurations() {
        Map<String, Object> interval = Map.of("type", "interval", "config", Map.of("every", "PT0S"));
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "triggers", List.of(interval),
                        "fire_limit", Map.of("max", 5, "window", "forever"),
                        "retry", Map.of("strategy", "fixed", "max_retries", 3)), ALICE, false))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed",
                        "triggers[0].config.every", "fire_limit.window", "retry.base_delay"));
    }

    @Test
    void canNormaliseSeedScopeNames() {
        fixture.givenNoPriorActivity()
                .when(create(fields("name", "a", "kind", "scheduled", "scopes", List.of("files.read", "automation.read")),
                        ALICE, false))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(new BaseMatcher<Object>() {
                            @Override
                            public boolean matches(Object item) {
                                return item instanceof AutomationCreatedEvent e
                                        && e.settings().scopes().equals(List.of("automation.read"));
                            }

                            @Override
                            public void describeTo(Description d) {
                                d.appendText("scopes [automation.read]");
                            }
                        }),
                        org.axonframework.test.matchers.Matchers.messageWithPayload(org.hamcrest.Matchers.anything())));
    }

    // --- definition changes and revisions

    @Test
    void canReviseTheDefinitionIntoTheNextDraftRevision() {
        fixture.given(created(), secret())
                .when(update(fields("description", "new words"), ALICE, false))
                .expectEvents(new AutomationDefinitionRevisedEvent(ID, WS, "0.2",
                        AutomationFields.with(definition("Weekly digest"), "description", "new words"), ALICE, T1));
    }

    @Test
    void canChangeSettingsWithoutANewRevision() {
        fixture.given(created(), secret())
                .when(update(fields("overlap_policy", "skip"), ALICE, false))
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                org.hamcrest.Matchers.instanceOf(AutomationSettingsChangedEvent.class))));
    }

    @Test
    void canPatchWithoutChangesAndRecordNothing() {
        fixture.given(created(), secret())
                .when(update(fields("name", "Weekly digest"), ALICE, false))
                .expectNoEvents();
    }

    @Test
    void canPublishTheDraftAsOnePointZeroAndContinueWithOnePointOne() {
        AutomationDefinition def = definition("Weekly digest");
        fixture.given(created(), secret(), new AutomationPublishedEvent(ID, WS, "1.0", "0.1", def, ALICE, T0))
                .when(update(fields("description", "x"), ALICE, false))
                .expectEvents(new AutomationDefinitionRevisedEvent(ID, WS, "1.1",
                        AutomationFields.with(def, "description", "x"), ALICE, T1));
    }

    @Test
    void canPublish() {
        fixture.given(created(), secret())
                .when(Commands.publishAutomation(ID, WS, null, ALICE, T1))
                .expectEvents(new AutomationPublishedEvent(ID, WS, "1.0", "0.1", definition("Weekly digest"), ALICE, T1));
    }

    @Test
    void cannotPublishWhenNothingChangedSinceTheLastPublication() {
        fixture.given(created(), secret(), new AutomationPublishedEvent(ID, WS, "1.0", "0.1", definition("Weekly digest"), ALICE, T0))
                .when(Commands.publishAutomation(ID, WS, null, ALICE, T1))
                .expectException(domainError(DomainException.Kind.CONFLICT, "nothing_to_publish"));
    }

    @Test
    void cannotPublishWhilePendingApproval() {
        fixture.given(created(), secret(), submittedBy(ALICE, "0.1"))
                .when(Commands.publishAutomation(ID, WS, null, BOB, T1))
                .expectException(domainError(DomainException.Kind.CONFLICT, "pending_approval"));
    }

    @Test
    void cannotRenameToANameTaken() {
        names.claim(WS, "Other", "someone-else");
        fixture.given(created(), secret())
                .when(update(fields("name", "other"), ALICE, false))
                .expectException(domainError(DomainException.Kind.CONFLICT, "name_taken"));
    }

    // --- status machine

    @Test
    void canSubmitADraft() {
        fixture.given(created(), secret())
                .when(Commands.submitAutomation(ID, WS, null, ALICE, T1))
                .expectEvents(new AutomationSubmittedEvent(ID, WS, "0.1", ALICE, T1));
    }

    @Test
    void canBeApprovedByAnotherApproverWhichPublishes() {
        fixture.given(created(), secret(), submittedBy(ALICE, "0.1"))
                .when(Commands.approveAutomation(ID, WS, null, "0.1", BOB, true, T1))
                .expectEvents(new AutomationPublishedEvent(ID, WS, "1.0", "0.1", definition("Weekly digest"), BOB, T1),
                        new AutomationApprovedEvent(ID, WS, "1.0", BOB, T1));
    }

    @Test
    void cannotBeApprovedByTheProposalsAuthor() {
        fixture.given(created(), secret(), submittedBy(ALICE, "0.1"))
                .when(Commands.approveAutomation(ID, WS, null, null, ALICE, true, T1))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "self_approval"));
    }

    @Test
    void cannotBeApprovedByAServiceAccount() {
        fixture.given(created(), secret(), submittedBy(ALICE, "0.1"))
                .when(Commands.approveAutomation(ID, WS, null, null, AGENT, true, T1))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "approval_required"));
    }

    @Test
    void cannotApproveARevisionThatIsNoLongerProposed() {
        fixture.given(created(), secret(), submittedBy(ALICE, "0.1"))
                .when(Commands.approveAutomation(ID, WS, null, "0.7", BOB, true, T1))
                .expectException(domainError(DomainException.Kind.CONFLICT, "revision_mismatch"));
    }

    @Test
    void cannotApproveADraftThatWasNotSubmitted() {
        fixture.given(created(), secret())
                .when(Commands.approveAutomation(ID, WS, null, null, BOB, true, T1))
                .expectException(domainError(DomainException.Kind.CONFLICT, "not_pending_approval"));
    }

    @Test
    void canBeRejectedWithAReasonAndReturnedToDraft() {
        fixture.given(created(), secret(), submittedBy(ALICE, "0.1"))
                .when(Commands.rejectAutomation(ID, WS, null, "too noisy", BOB, true, T1))
                .expectEvents(new AutomationRejectedEvent(ID, WS, "0.1", "too noisy", BOB, T1));
        setUp();
        fixture.given(created(), secret(), submittedBy(ALICE, "0.1"),
                        new AutomationRejectedEvent(ID, WS, "0.1", "too noisy", BOB, T1))
                .when(update(fields("status", "draft"), ALICE, false))
                .expectEvents(new dev.autoplane.events.automation.AutomationEvents.AutomationReturnedToDraftEvent(ID, WS, ALICE, T1));
    }

    @Test
    void canPauseAndResume() {
        fixture.given(created(), secret(), new AutomationApprovedEvent(ID, WS, "1.0", ALICE, T0))
                .when(Commands.pauseAutomation(ID, WS, null, ALICE, T1))
                .expectEvents(new AutomationPausedEvent(ID, WS, ALICE, T1));
        setUp();
        fixture.given(created(), secret(), new AutomationPublishedEvent(ID, WS, "1.0", "0.1", definition("Weekly digest"), ALICE, T0),
                        new AutomationApprovedEvent(ID, WS, "1.0", ALICE, T0), new AutomationPausedEvent(ID, WS, ALICE, T0))
                .when(Commands.resumeAutomation(ID, WS, null, ALICE, false, T1))
                .expectEvents(new AutomationResumedEvent(ID, WS, ALICE, T1));
    }

    @Test
    void cannotMakeIllegalTransitions() {
        fixture.given(created(), secret())
                .when(Commands.pauseAutomation(ID, WS, null, ALICE, T1))
                .expectException(domainError(DomainException.Kind.CONFLICT, "illegal_transition"));
        setUp();
        fixture.given(created(), secret())
                .when(Commands.resumeAutomation(ID, WS, null, ALICE, true, T1))
                .expectException(domainError(DomainException.Kind.CONFLICT, "illegal_transition"));
        setUp();
        fixture.given(created(), secret(), new AutomationApprovedEvent(ID, WS, "1.0", ALICE, T0))
                .when(update(fields("status", "pending_approval"), ALICE, true))
                .expectException(domainError(DomainException.Kind.CONFLICT, "illegal_transition"));
        setUp();
        fixture.given(created(), secret())
                .when(update(fields("status", "rejected"), ALICE, true))
                .expectException(domainError(DomainException.Kind.CONFLICT, "illegal_transition"));
    }

    @Test
    void canSendAServiceAccountsChangeOfAnActiveAutomationBackToApproval() {
        fixture.given(created(), secret(), new AutomationApprovedEvent(ID, WS, "1.0", ALICE, T0))
                .when(update(fields("prompt", "do more"), AGENT, true))
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                org.hamcrest.Matchers.instanceOf(AutomationDefinitionRevisedEvent.class)),
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                org.hamcrest.Matchers.equalTo(new AutomationSubmittedEvent(ID, WS, "0.2", AGENT, T1)))));
    }

    @Test
    void canReproposeWhenAPersonEditsAPendingProposal() {
        fixture.given(created(), secret(), submittedBy(AGENT, "0.1"))
                .when(update(fields("description", "tidied"), BOB, true))
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                org.hamcrest.Matchers.instanceOf(AutomationDefinitionRevisedEvent.class)),
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                org.hamcrest.Matchers.equalTo(new AutomationSubmittedEvent(ID, WS, "0.2", BOB, T1)))));
    }

    // --- deletion

    @Test
    void canBeSoftDeletedWithAPurgeTimeThirtyDaysLaterAndRestored() {
        fixture.given(created(), secret())
                .when(Commands.deleteAutomation(ID, WS, null, ALICE, T1))
                .expectEvents(new AutomationDeletedEvent(ID, WS, T1, T1.plus(Automation.PURGE_AFTER), ALICE));
        assert !names.held(WS, "weekly digest");
        setUp();
        fixture.given(created(), secret(), new AutomationDeletedEvent(ID, WS, T0, T0.plus(Automation.PURGE_AFTER), ALICE))
                .when(Commands.undeleteAutomation(ID, WS, null, ALICE, T1))
                .expectEvents(new AutomationUndeletedEvent(ID, WS, ALICE, T1));
    }

    @Test
    void cannotChangeADeletedAutomation() {
        fixture.given(created(), secret(), new AutomationDeletedEvent(ID, WS, T0, T0.plus(Automation.PURGE_AFTER), ALICE))
                .when(update(fields("description", "x"), ALICE, false))
                .expectException(domainError(DomainException.Kind.NOT_FOUND, "automation_not_found"));
    }

    @Test
    void canBePurgedAndIsGoneAfterwards() {
        fixture.given(created(), secret())
                .when(Commands.purgeAutomation(ID, WS, null, ALICE, T1))
                .expectEvents(new AutomationDeletedEvent(ID, WS, T1, T1, ALICE), new AutomationPurgedEvent(ID, WS, ALICE, T1));
        setUp();
        fixture.given(created(), secret(), new AutomationPurgedEvent(ID, WS, ALICE, T1))
                .when(update(fields("description", "x"), ALICE, false))
                .expectException(org.axonframework.eventsourcing.AggregateDeletedException.class);
    }

    @Test
    void cannotBeReachedThroughAnotherWorkspace() {
        fixture.given(created(), secret())
                .when(Commands.updateAutomation(ID, "01900000-0000-7000-8000-000000000999", null,
                        fields("description", "x"), null, false, ALICE, false, T1))
                .expectException(domainError(DomainException.Kind.NOT_FOUND, "automation_not_found"));
    }

    /** The name registry as a map; the JDBC one is tested through the HTTP suite. */
    static final class InMemoryNames implements AutomationNameRegistry {
        private final Map<String, String> owners = new HashMap<>();

        @Override
        public void claim(String workspaceId, String name, String automationId) {
            String key = workspaceId + "/" + AutomationNameRegistry.key(name);
            String owner = owners.putIfAbsent(key, automationId);
            if (owner != null && !owner.equals(automationId)) {
                throw AutomationErrors.nameTaken(name);
            }
        }

        @Override
        public void release(String workspaceId, String name, String automationId) {
            owners.remove(workspaceId + "/" + AutomationNameRegistry.key(name), automationId);
        }

        boolean held(String workspaceId, String name) {
            return owners.containsKey(workspaceId + "/" + AutomationNameRegistry.key(name));
        }
    }
}
