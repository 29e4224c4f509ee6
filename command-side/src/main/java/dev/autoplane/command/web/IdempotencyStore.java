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
 * The table behind {@code Idempotency-Key} (see {@link IdempotentRequests}): the first request with
 * a key reserves the id of the resource it creates; the command it sends marks the key committed in
 * its own transaction ({@link #markCommitted}); the answer is stored afterwards, encrypted under the
 * resource's key because it may hold a secret shown once. A key whose command committed is never
 * released.
 */
@Component
public class IdempotencyStore {

    static final Duration RETENTION = Duration.ofHours(24);

    /** What the store knows about a key: the answer is known once {@code body} is. */
    public record Entry(String requestHash, String resourceId, Integer status, String body, Instant committedAt) {

        boolean answered() {
            return status != null && body != null;
        }

        boolean committed() {
            return committedAt != null || status != null;
        }
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
        return jdbc.query("SELECT request_hash, resource_id, response_status, response_body, committed_at FROM idempotency_key"
                        + " WHERE scope = ? AND idem_key = ?",
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3), rs.getString(4),
                        Optional.ofNullable(rs.getTimestamp(5)).map(Timestamp::toInstant).orElse(null)),
                scope, key).stream().findFirst().map(e -> e.body() == null ? e
                : new Entry(e.requestHash(), e.resourceId(), e.status(), decrypt(e.resourceId(), e.body()), e.committedAt()));
    }

    /**
     * The command reserved under this key commits: called in that command's transaction. If another
     * attempt with the key committed first, this one fails (and rolls back: one effect per key);
     * should the reservation be gone (expired), it is written again, so a committed command always
     * has its key.
     */
    public void markCommitted(String scope, String key, String requestHash, String resourceId) {
        Timestamp now = Timestamp.from(clock.instant());
        int updated = jdbc.update("UPDATE idempotency_key SET committed_at = ? WHERE scope = ? AND idem_key = ?"
                + " AND committed_at IS NULL AND response_status IS NULL", now, scope, key);
        if (updated == 0 && jdbc.queryForObject("SELECT COUNT(*) FROM idempotency_key WHERE scope = ? AND idem_key = ?",
                Long.class, scope, key) > 0) {
            throw new IllegalStateException("another request with this Idempotency-Key committed first");
        }
        if (updated == 0) {
            jdbc.update("INSERT INTO idempotency_key (scope, idem_key, request_hash, resource_id, created_at, committed_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", scope, key, requestHash, resourceId, now, now);
        }
    }

    /** A key reserved before commit marks existed whose resource was created: committed when it was reserved. */
    public void markCommittedAtReservation(String scope, String key) {
        jdbc.update("UPDATE idempotency_key SET committed_at = created_at WHERE scope = ? AND idem_key = ?"
                + " AND committed_at IS NULL", scope, key);
    }

    public void complete(String scope, String key, String resourceId, int status, String body) {
        EncryptedValue sealed = cipher.encrypt(resourceId, "idempotent_response", body);
        jdbc.update("UPDATE idempotency_key SET response_status = ?, response_body = ? WHERE scope = ? AND idem_key = ?",
                status, sealed.keyId() + ":" + sealed.ciphertext(), scope, key);
    }

    /** A request whose command did not commit leaves nothing behind: the key may be used again. */
    public void release(String scope, String key) {
        jdbc.update("DELETE FROM idempotency_key WHERE scope = ? AND idem_key = ? AND response_status IS NULL"
                + " AND committed_at IS NULL", scope, key);
    }

    private String decrypt(String resourceId, String stored) {
        int split = stored.indexOf(':');
        return cipher.decrypt(resourceId, "idempotent_response",
                new EncryptedValue(stored.substring(0, split), stored.substring(split + 1))).orElse(null);
    }
}
