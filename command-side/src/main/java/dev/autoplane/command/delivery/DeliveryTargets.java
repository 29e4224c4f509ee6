package dev.autoplane.command.delivery;

import dev.autoplane.events.common.EncryptedValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code delivery_target} table: each push automation's URL and signing secrets (ciphertext only), kept by
 * {@link DeliveryTargetProjection} from the automation's delivery events.
 */
@Component
public class DeliveryTargets {

    /** Where an automation's runs go, and the secrets (encrypted) they are signed with. */
    public record Target(String automationId, String workspaceId, String url, EncryptedValue secret,
                         EncryptedValue previousSecret, Instant previousValidUntil) {
    }

    private final JdbcTemplate jdbc;

    public DeliveryTargets(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void set(String automationId, String workspaceId, String url, EncryptedValue secret) {
        jdbc.update("DELETE FROM delivery_target WHERE automation_id = ?", automationId);
        jdbc.update("INSERT INTO delivery_target (automation_id, workspace_id, url, secret_key_id, secret_ciphertext)"
                + " VALUES (?, ?, ?, ?, ?)", automationId, workspaceId, url, secret.keyId(), secret.ciphertext());
    }

    void rotated(String automationId, EncryptedValue secret, EncryptedValue previous, Instant previousValidUntil) {
        jdbc.update("UPDATE delivery_target SET secret_key_id = ?, secret_ciphertext = ?, previous_key_id = ?,"
                        + " previous_ciphertext = ?, previous_valid_until = ? WHERE automation_id = ?",
                secret.keyId(), secret.ciphertext(), previous == null ? null : previous.keyId(),
                previous == null ? null : previous.ciphertext(),
                previous == null ? null : Timestamp.from(previousValidUntil), automationId);
    }

    void remove(String automationId) {
        jdbc.update("DELETE FROM delivery_target WHERE automation_id = ?", automationId);
    }

    public Optional<Target> find(String automationId) {
        List<Target> found = jdbc.query("SELECT automation_id, workspace_id, url, secret_key_id, secret_ciphertext,"
                        + " previous_key_id, previous_ciphertext, previous_valid_until FROM delivery_target"
                        + " WHERE automation_id = ?",
                (rs, n) -> {
                    Timestamp until = rs.getTimestamp(8);
                    return new Target(rs.getString(1), rs.getString(2), rs.getString(3),
                            new EncryptedValue(rs.getString(4), rs.getString(5)),
                            rs.getString(6) == null ? null : new EncryptedValue(rs.getString(6), rs.getString(7)),
                            until == null ? null : until.toInstant());
                }, automationId);
        return found.stream().findFirst();
    }

    public void clear() {
        jdbc.update("DELETE FROM delivery_target");
    }
}
