package dev.autoplane.command.web;

import dev.autoplane.command.crypto.FieldCipher;
import dev.autoplane.events.common.EncryptedValue;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code Idempotency-Key} for creating POSTs: the first request with a key reserves the id of the
 * resource it creates; a repeat with the same key and body within 24 hours gets the first answer
 * (stored encrypted under the resource's key, because it may hold a secret shown once) and does
 * nothing twice. A repeat with another body is refused.
 */
@Component
public class IdempotencyStore {

    static final Duration RETENTION = Duration.ofHours(24);

    /** What the store knows about a key. */
    public record Entry(String requestHash, String resourceId, Integer status, String body) {
    }

    private final JdbcTemplate jdbc;
    private final FieldCipher cipher;
    private final Clock clock;
    private final String reserve;

    public IdempotencyStore(JdbcTemplate jdbc, FieldCipher cipher, Clock clock) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
        this.reserve = SqlDialect.of(jdbc).insertIfAbsent("idempotency_key", List.of("scope", "idem_key"),
                "scope", "idem_key", "request_hash", "resource_id", "created_at");
    }

    /** Reserves the key for {@code resourceId} unless it is taken; answers whatever the key holds now. */
    public Entry reserve(String scope, String key, String requestHash, String resourceId) {
        Instant now = clock.instant();
        jdbc.update("DELETE FROM idempotency_key WHERE scope = ? AND idem_key = ? AND created_at < ?",
                scope, key, Timestamp.from(now.minus(RETENTION)));
        try {
            jdbc.update(reserve, scope, key, requestHash, resourceId, Timestamp.from(now));
        } catch (DuplicateKeyException e) {
            // H2: a concurrent request reserved the same key first; its reservation is the one that counts
        }
        return find(scope, key).orElseThrow();
    }

    public Optional<Entry> find(String scope, String key) {
        return jdbc.query("SELECT request_hash, resource_id, response_status, response_body FROM idempotency_key"
                        + " WHERE scope = ? AND idem_key = ?",
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3), rs.getString(4)),
                scope, key).stream().findFirst().map(e -> e.body() == null ? e
                : new Entry(e.requestHash(), e.resourceId(), e.status(), decrypt(e.resourceId(), e.body())));
    }

    public void complete(String scope, String key, String resourceId, int status, String body) {
        EncryptedValue sealed = cipher.encrypt(resourceId, "idempotent_response", body);
        jdbc.update("UPDATE idempotency_key SET response_status = ?, response_body = ? WHERE scope = ? AND idem_key = ?",
                status, sealed.keyId() + ":" + sealed.ciphertext(), scope, key);
    }

    /** A failed request leaves nothing behind: the key may be used again. */
    public void release(String scope, String key) {
        jdbc.update("DELETE FROM idempotency_key WHERE scope = ? AND idem_key = ? AND response_status IS NULL", scope, key);
    }

    private String decrypt(String resourceId, String stored) {
        int split = stored.indexOf(':');
        return cipher.decrypt(resourceId, "idempotent_response",
                new EncryptedValue(stored.substring(0, split), stored.substring(split + 1))).orElse(null);
    }
}
