package dev.autoplane.events.connection;

import java.time.Instant;
import java.util.Map;

/**
 * A connection as the API shows it (snake_case on the wire). The credential is write-only: only whether
 * one is set ({@code credential_present}) is ever shown.
 */
public record ConnectionView(String id, String workspaceId, String name, String provider, int version,
                             Map<String, Object> config, boolean credentialPresent, String createdBy,
                             Instant createdAt, String updatedBy, Instant updatedAt) {
}
