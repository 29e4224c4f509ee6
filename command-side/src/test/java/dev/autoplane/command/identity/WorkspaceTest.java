package dev.autoplane.command.identity;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.identity.IdentityCommands.CreateTeamCommand;
import dev.autoplane.events.identity.IdentityCommands.CreateWorkspaceCommand;
import dev.autoplane.events.identity.IdentityCommands.IssuePersonalAccessTokenCommand;
import dev.autoplane.events.identity.IdentityCommands.PutWorkspaceMemberCommand;
import dev.autoplane.events.identity.IdentityCommands.RemoveWorkspaceMemberCommand;
import dev.autoplane.events.identity.IdentityCommands.RevokePersonalAccessTokenCommand;
import dev.autoplane.events.identity.IdentityEvents.PersonalAccessTokenIssuedEvent;
import dev.autoplane.events.identity.IdentityEvents.PersonalAccessTokenRevokedEvent;
import dev.autoplane.events.identity.IdentityEvents.TeamCreatedEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceCreatedEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceMemberPutEvent;
import dev.autoplane.events.identity.IdentityEvents.WorkspaceMemberRemovedEvent;
import dev.autoplane.events.identity.Role;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

/** Workspaces keep their members' roles and at least one admin; tokens are issued once and revoked once. */
class WorkspaceTest {

    static final String WS = "01900000-0000-7000-8000-000000000001";
    static final String TEAM = "01900000-0000-7000-8000-0000000000t1";
    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    static final Actor ALICE = Actor.user("alice");

    private FixtureConfiguration<Workspace> workspaces;
    private FixtureConfiguration<PersonalAccessToken> tokens;

    @BeforeEach
    void setUp() {
        workspaces = new AggregateTestFixture<>(Workspace.class);
        tokens = new AggregateTestFixture<>(PersonalAccessToken.class);
    }

    WorkspaceCreatedEvent created() {
        return new WorkspaceCreatedEvent(WS, "team space", null, ALICE, T);
    }

    WorkspaceMemberPutEvent member(String user, Role role) {
        return new WorkspaceMemberPutEvent(WS, user, role, List.of(), ALICE, T);
    }

    @Test
    void canCreateAWorkspaceWhoseCreatorIsAdmin() {
        workspaces.givenNoPriorActivity()
                .when(new CreateWorkspaceCommand(WS, "team space", null, ALICE, T))
                .expectEvents(created(), member("alice", Role.ADMIN));
    }

    @Test
    void canBootstrapAsTheSystemWithMemberAdmin() {
        workspaces.givenNoPriorActivity()
                .when(new CreateWorkspaceCommand(WS, "default", null, Actor.SYSTEM, T))
                .expectEvents(new WorkspaceCreatedEvent(WS, "default", null, Actor.SYSTEM, T),
                        new WorkspaceMemberPutEvent(WS, "admin", Role.ADMIN, List.of(), Actor.SYSTEM, T));
    }

    @Test
    void canAddAMemberWithTeams() {
        workspaces.given(created(), member("alice", Role.ADMIN), new TeamCreatedEvent(WS, TEAM, "ops", ALICE, T))
                .when(new PutWorkspaceMemberCommand(WS, "bob", Role.EDITOR, List.of(TEAM), ALICE, T))
                .expectEvents(new WorkspaceMemberPutEvent(WS, "bob", Role.EDITOR, List.of(TEAM), ALICE, T));
    }

    @Test
    void cannotPutAMemberInAnUnknownTeam() {
        workspaces.given(created(), member("alice", Role.ADMIN))
                .when(new PutWorkspaceMemberCommand(WS, "bob", Role.EDITOR, List.of(TEAM), ALICE, T))
                .expectException(DomainException.class);
    }

    @Test
    void canPutAnUnchangedMemberWithoutRecordingAnything() {
        workspaces.given(created(), member("alice", Role.ADMIN), member("bob", Role.VIEWER))
                .when(new PutWorkspaceMemberCommand(WS, "bob", Role.VIEWER, List.of(), ALICE, T))
                .expectNoEvents();
    }

    @Test
    void cannotDemoteOrRemoveTheLastAdmin() {
        workspaces.given(created(), member("alice", Role.ADMIN))
                .when(new PutWorkspaceMemberCommand(WS, "alice", Role.VIEWER, List.of(), ALICE, T))
                .expectException(DomainException.class);
        setUp();
        workspaces.given(created(), member("alice", Role.ADMIN))
                .when(new RemoveWorkspaceMemberCommand(WS, "alice", ALICE, T))
                .expectException(DomainException.class);
    }

    @Test
    void canRemoveAMember() {
        workspaces.given(created(), member("alice", Role.ADMIN), member("bob", Role.VIEWER))
                .when(new RemoveWorkspaceMemberCommand(WS, "bob", ALICE, T))
                .expectEvents(new WorkspaceMemberRemovedEvent(WS, "bob", ALICE, T));
    }

    @Test
    void canCreateATeam() {
        workspaces.given(created(), member("alice", Role.ADMIN))
                .when(new CreateTeamCommand(WS, TEAM, "ops", ALICE, T))
                .expectEvents(new TeamCreatedEvent(WS, TEAM, "ops", ALICE, T));
    }

    @Test
    void canIssueATokenAndRevokeItOnce() {
        PersonalAccessTokenIssuedEvent issued = new PersonalAccessTokenIssuedEvent("tok-1", "alice", "laptop", "hash", null, ALICE, T);
        tokens.givenNoPriorActivity()
                .when(new IssuePersonalAccessTokenCommand("tok-1", "alice", "laptop", "hash", null, ALICE, T))
                .expectEvents(issued);
        setUp();
        tokens.given(issued)
                .when(new RevokePersonalAccessTokenCommand("tok-1", ALICE, T))
                .expectEvents(new PersonalAccessTokenRevokedEvent("tok-1", "alice", ALICE, T));
        setUp();
        tokens.given(issued, new PersonalAccessTokenRevokedEvent("tok-1", "alice", ALICE, T))
                .when(new RevokePersonalAccessTokenCommand("tok-1", ALICE, T))
                .expectNoEvents();
    }
}
