package dev.autoplane.events.connection;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.EncryptedValue;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.time.Instant;
import java.util.Map;

/**
 * Commands of a workspace connection (seed 002 "connections"): what an automation connects to, with its
 * credential. The credential travels only as ciphertext sealed at the edge under the connection's own key.
 */
public final class ConnectionCommands {

    private ConnectionCommands() {
    }

    public record CreateConnectionCommand(@TargetAggregateIdentifier String connectionId, String workspaceId,
                                          String name, String provider, Map<String, Object> config,
                                          EncryptedValue credential, Actor actor, Instant at) {
    }

    /**
     * A partial change: {@code null} leaves {@code name}, {@code config} and {@code credential} as they are;
     * {@code clearCredential} removes the credential. A change of {@code config} or of the credential makes a
     * new connection version (what {@code upgradeConnections} moves an automation to).
     */
    public record UpdateConnectionCommand(@TargetAggregateIdentifier String connectionId, String workspaceId,
                                          @TargetAggregateVersion Long expectedVersion, String name,
                                          Map<String, Object> config, EncryptedValue credential,
                                          boolean clearCredential, Actor actor, Instant at) {
    }

    public record DeleteConnectionCommand(@TargetAggregateIdentifier String connectionId, String workspaceId,
                                          Actor actor, Instant at) {
    }

    /** Records nothing: answers the connection as it is (404 when it is deleted or of another workspace). */
    public record DescribeConnectionCommand(@TargetAggregateIdentifier String connectionId, String workspaceId) {
    }
}
