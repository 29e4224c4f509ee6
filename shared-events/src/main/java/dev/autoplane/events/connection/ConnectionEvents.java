package dev.autoplane.events.connection;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.EncryptedValue;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/**
 * Events of a workspace connection. The credential appears only as ciphertext under the connection's own
 * key ({@code credential}, {@code null} when none was set or it did not change); deleting a connection
 * destroys that key, so every copy of its ciphertext in the log becomes unreadable.
 */
public final class ConnectionEvents {

    private ConnectionEvents() {
    }

    /** A new connection at {@code version} 1. */
    @Revision("1")
    public record ConnectionCreatedEvent(String connectionId, String workspaceId, String name, String provider,
                                         int version, Map<String, Object> config, EncryptedValue credential,
                                         Actor createdBy, Instant createdAt) {
    }

    /**
     * A change: the connection's name and config as they are now; {@code credential} is the new ciphertext
     * when it changed ({@code credentialCleared} when it was removed); {@code version} is the connection's
     * version after the change (bumped when config or credential changed).
     */
    @Revision("1")
    public record ConnectionChangedEvent(String connectionId, String workspaceId, String name, int version,
                                         Map<String, Object> config, EncryptedValue credential,
                                         boolean credentialCleared, Actor changedBy, Instant changedAt) {
    }

    @Revision("1")
    public record ConnectionDeletedEvent(String connectionId, String workspaceId, Actor deletedBy, Instant deletedAt) {
    }
}
