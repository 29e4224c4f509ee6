package dev.autoplane.command.agent;

import dev.autoplane.events.agent.AgentCommands.CreateAgentCommand;
import dev.autoplane.events.agent.AgentCommands.UpdateAgentCommand;
import dev.autoplane.events.agent.AgentEvents.AgentChangedEvent;
import dev.autoplane.events.agent.AgentEvents.AgentCreatedEvent;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.identity.Role;
import org.axonframework.test.aggregate.AggregateTestFixture;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The visible agent's rules (given events, when a command, then events or an error). */
class AgentTest {

    static final String ID = "01900000-0000-7000-8000-0000000000b1";
    static final String WS = "01900000-0000-7000-8000-000000000001";
    static final String INSTALLATION = "01900000-0000-7000-8000-0000000000a1";
    static final String TEAM = "01900000-0000-7000-8000-00000000000a";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-03-01T11:00:00Z");
    static final Actor ALICE = Actor.user("alice");

    private FixtureConfiguration<Agent> fixture;
    private InMemoryNames names;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Agent.class);
        names = new InMemoryNames();
        fixture.registerInjectableResource(names);
    }

    static AgentCreatedEvent created() {
        return new AgentCreatedEvent(ID, WS, "Reviewer", INSTALLATION, List.of(TEAM), Role.EDITOR, ALICE, T0);
    }

    static UpdateAgentCommand update(String name, Role role, boolean clearRole, Boolean suspended) {
        return new UpdateAgentCommand(ID, WS, null, name, null, null, role, clearRole, suspended, ALICE, T1);
    }

    @Test
    void canCreateAnAgentWithATrimmedName() {
        fixture.givenNoPriorActivity()
                .when(new CreateAgentCommand(ID, WS, "  Reviewer ", INSTALLATION, List.of(TEAM), Role.EDITOR, ALICE, T0))
                .expectEvents(created());
        assertThat(names.owners).containsEntry(WS + "/reviewer", ID);
    }

    @Test
    void cannotCreateAnAgentWithATakenName() {
        names.claim(WS, "REVIEWER", "someone-else");
        fixture.givenNoPriorActivity()
                .when(new CreateAgentCommand(ID, WS, "Reviewer", INSTALLATION, List.of(), null, ALICE, T0))
                .expectException(domainError(DomainException.Kind.CONFLICT, "name_taken"));
    }

    @Test
    void cannotCreateAnAgentWithoutAName() {
        fixture.givenNoPriorActivity()
                .when(new CreateAgentCommand(ID, WS, "  ", INSTALLATION, List.of(), null, ALICE, T0))
                .expectException(domainError(DomainException.Kind.INVALID, "validation_failed"));
    }

    @Test
    void cannotCreateAnAgentAsAServiceAccount() {
        fixture.givenNoPriorActivity()
                .when(new CreateAgentCommand(ID, WS, "Reviewer", INSTALLATION, List.of(), null,
                        Actor.serviceAccount(INSTALLATION), T0))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "person_required"));
    }

    @Test
    void canRenameAnAgentAndFreeItsOldName() {
        names.claim(WS, "Reviewer", ID);
        fixture.given(created())
                .when(update("Approver bot", null, false, null))
                .expectEvents(new AgentChangedEvent(ID, WS, "Approver bot", INSTALLATION, List.of(TEAM), Role.EDITOR, false,
                        ALICE, T1));
        assertThat(names.owners).containsEntry(WS + "/approver bot", ID).doesNotContainKey(WS + "/reviewer");
    }

    @Test
    void canSuspendAnAgent() {
        fixture.given(created())
                .when(update(null, null, false, true))
                .expectEvents(new AgentChangedEvent(ID, WS, "Reviewer", INSTALLATION, List.of(TEAM), Role.EDITOR, true, ALICE, T1));
    }

    @Test
    void canUnsuspendAnAgent() {
        fixture.given(created(), new AgentChangedEvent(ID, WS, "Reviewer", INSTALLATION, List.of(TEAM), Role.EDITOR, true, ALICE, T1))
                .when(update(null, null, false, false))
                .expectEvents(new AgentChangedEvent(ID, WS, "Reviewer", INSTALLATION, List.of(TEAM), Role.EDITOR, false, ALICE, T1));
    }

    @Test
    void canClearTheRoleAndChangeTheTeamScope() {
        fixture.given(created())
                .when(new UpdateAgentCommand(ID, WS, null, null, null, List.of(), null, true, null, ALICE, T1))
                .expectEvents(new AgentChangedEvent(ID, WS, "Reviewer", INSTALLATION, List.of(), null, false, ALICE, T1));
    }

    @Test
    void canMoveAnAgentToAnotherInstallation() {
        String other = "01900000-0000-7000-8000-0000000000a2";
        fixture.given(created())
                .when(new UpdateAgentCommand(ID, WS, null, null, other, null, null, false, null, ALICE, T1))
                .expectEvents(new AgentChangedEvent(ID, WS, "Reviewer", other, List.of(TEAM), Role.EDITOR, false, ALICE, T1));
    }

    @Test
    void cannotRenameAnAgentToATakenName() {
        names.claim(WS, "Reviewer", ID);
        names.claim(WS, "Taken", "someone-else");
        fixture.given(created())
                .when(update("taken", null, false, null))
                .expectException(domainError(DomainException.Kind.CONFLICT, "name_taken"));
    }

    @Test
    void cannotChangeAnAgentOfAnotherWorkspace() {
        fixture.given(created())
                .when(new UpdateAgentCommand(ID, "01900000-0000-7000-8000-000000000002", null, "x", null, null, null, false,
                        null, ALICE, T1))
                .expectException(domainError(DomainException.Kind.NOT_FOUND, "agent_not_found"));
    }

    @Test
    void cannotChangeAnAgentAsAServiceAccount() {
        fixture.given(created())
                .when(new UpdateAgentCommand(ID, WS, null, null, null, null, null, false, true,
                        Actor.serviceAccount(INSTALLATION), T1))
                .expectException(domainError(DomainException.Kind.FORBIDDEN, "person_required"));
    }

    @Test
    void recordsNothingWhenNothingChanges() {
        fixture.given(created())
                .when(update("Reviewer", Role.EDITOR, false, false))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    static Matcher<Exception> domainError(DomainException.Kind kind, String code) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object item) {
                return item instanceof DomainException e && e.details().kind() == kind && e.details().code().equals(code);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(kind + " " + code);
            }
        };
    }

    static final class InMemoryNames implements AgentNameRegistry {
        final Map<String, String> owners = new HashMap<>();

        @Override
        public void claim(String workspaceId, String name, String agentId) {
            String key = workspaceId + "/" + AgentNameRegistry.key(name);
            String owner = owners.putIfAbsent(key, agentId);
            if (owner != null && !owner.equals(agentId)) {
                throw DomainException.conflict("name_taken", "taken", Map.of());
            }
        }

        @Override
        public void release(String workspaceId, String name, String agentId) {
            owners.remove(workspaceId + "/" + AgentNameRegistry.key(name), agentId);
        }
    }
}
