package dev.autoplane.command.connection;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.common.EncryptedValue;
import dev.autoplane.events.connection.ConnectionCommands.CreateConnectionCommand;
import dev.autoplane.events.connection.ConnectionCommands.DeleteConnectionCommand;
import dev.autoplane.events.connection.ConnectionCommands.DescribeConnectionCommand;
import dev.autoplane.events.connection.ConnectionCommands.UpdateConnectionCommand;
import dev.autoplane.events.connection.ConnectionEvents.ConnectionChangedEvent;
import dev.autoplane.events.connection.ConnectionEvents.ConnectionCreatedEvent;
import dev.autoplane.events.connection.ConnectionEvents.ConnectionDeletedEvent;
import dev.autoplane.events.connection.ConnectionView;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

/** A connection's rules: versions, the write-only credential (ciphertext only), workspace and deletion. */
class ConnectionTest {

    static final String ID = "01900000-0000-7000-8000-0000000000c1";
    static final String WS = "01900000-0000-7000-8000-000000000001";
    static final String OTHER_WS = "01900000-0000-7000-8000-000000000002";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-03-01T11:00:00Z");
    static final Actor ALICE = Actor.user("alice");
    static final Actor BOB = Actor.user("bob");
    static final EncryptedValue SEALED = new EncryptedValue("key-1", "Y2lwaGVydGV4dA==");
    static final EncryptedValue RESEALED = new EncryptedValue("key-1", "b3RoZXI=");

    private FixtureConfiguration<Connection> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Connection.class);
    }

    static ConnectionCreatedEvent created() {
        return new ConnectionCreatedEvent(ID, WS, "Team Slack", "slack", 1, Map.of("channel", "general"), SEALED, ALICE, T0);
    }

    @Test
    void aNewConnectionIsVersionOneWithItsCredentialAsCiphertextOnly() {
        fixture.givenNoPriorActivity()
                .when(new CreateConnectionCommand(ID, WS, "  Team Slack  ", "slack", Map.of("channel", "general"), SEALED,
                        ALICE, T0))
                .expectEvents(new ConnectionCreatedEvent(ID, WS, "Team Slack", "slack", 1, Map.of("channel", "general"),
                        SEALED, ALICE, T0))
                .expectResultMessagePayload(new ConnectionView(ID, WS, "Team Slack", "slack", 1, Map.of("channel", "general"),
                        true, "alice", T0, "alice", T0));
    }

    @Test
    void nameAndProviderAreRequired() {
        fixture.givenNoPriorActivity()
                .when(new CreateConnectionCommand(ID, WS, " ", "Not A Provider", null, null, ALICE, T0))
                .expectException(DomainException.class)
                .expectNoEvents();
    }

    @Test
    void aChangeOfConfigOrCredentialIsTheNextVersion() {
        fixture.given(created())
                .when(new UpdateConnectionCommand(ID, WS, null, null, Map.of("channel", "ops"), null, false, BOB, T1))
                .expectEvents(new ConnectionChangedEvent(ID, WS, "Team Slack", 2, Map.of("channel", "ops"), null, false, BOB, T1));
        fixture.given(created())
                .when(new UpdateConnectionCommand(ID, WS, null, null, null, RESEALED, false, BOB, T1))
                .expectEvents(new ConnectionChangedEvent(ID, WS, "Team Slack", 2, Map.of("channel", "general"), RESEALED,
                        false, BOB, T1));
    }

    @Test
    void aRenameKeepsTheVersionAndNoChangeRecordsNothing() {
        fixture.given(created())
                .when(new UpdateConnectionCommand(ID, WS, null, "Ops Slack", null, null, false, BOB, T1))
                .expectEvents(new ConnectionChangedEvent(ID, WS, "Ops Slack", 1, Map.of("channel", "general"), null, false,
                        BOB, T1));
        fixture.given(created())
                .when(new UpdateConnectionCommand(ID, WS, null, "Team Slack", Map.of("channel", "general"), null, false, BOB, T1))
                .expectNoEvents();
    }

    @Test
    void clearingTheCredentialIsAVersionAndAnswersNoCredential() {
        fixture.given(created())
                .when(new UpdateConnectionCommand(ID, WS, null, null, null, null, true, BOB, T1))
                .expectEvents(new ConnectionChangedEvent(ID, WS, "Team Slack", 2, Map.of("channel", "general"), null, true,
                        BOB, T1))
                .expectResultMessagePayload(new ConnectionView(ID, WS, "Team Slack", "slack", 2,
                        Map.of("channel", "general"), false, "alice", T0, "bob", T1));
    }

    @Test
    void anotherWorkspaceAndADeletedConnectionAreNotFound() {
        fixture.given(created())
                .when(new DescribeConnectionCommand(ID, OTHER_WS))
                .expectException(DomainException.class)
                .expectNoEvents();
        fixture.given(created(), new ConnectionDeletedEvent(ID, WS, ALICE, T1))
                .when(new UpdateConnectionCommand(ID, WS, null, "again", null, null, false, BOB, T1))
                .expectException(DomainException.class)
                .expectNoEvents();
    }

    @Test
    void deletedOnce() {
        fixture.given(created())
                .when(new DeleteConnectionCommand(ID, WS, BOB, T1))
                .expectEvents(new ConnectionDeletedEvent(ID, WS, BOB, T1));
        fixture.given(created(), new ConnectionDeletedEvent(ID, WS, ALICE, T1))
                .when(new DeleteConnectionCommand(ID, WS, BOB, T1))
                .expectException(DomainException.class);
    }
}
