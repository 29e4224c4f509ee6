package dev.autoplane.platform.token;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.security.PublicKey;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public half of the signing key set, read from the shared {@code signing_key} table, so every
 * node (command or query side) verifies what any node signed. Reloaded every 10 seconds, and at
 * once (at most once a second) when a token names a key id not seen yet. Only published keys verify.
 */
@Component
public class SigningKeyRing {

    static final Duration REFRESH = Duration.ofSeconds(10);
    static final Duration MIN_RELOAD = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One published key. */
    public record PublishedKey(String kid, String algorithm, PublicKey key, Map<String, Object> jwk,
                               Instant signsFrom, Instant publishedUntil) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private volatile Map<String, PublishedKey> keys = Map.of();
    private volatile long loadedAtNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

    public SigningKeyRing(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The key that verifies tokens with this {@code kid}, if it is published now. */
    public Optional<PublishedKey> key(String kid) {
        if (System.nanoTime() - loadedAtNanos > REFRESH.toNanos()) {
            reload();
        }
        PublishedKey key = keys.get(kid);
        if (key == null && System.nanoTime() - loadedAtNanos > MIN_RELOAD.toNanos()) {
            reload();
            key = keys.get(kid);
        }
        return Optional.ofNullable(key).filter(this::published);
    }

    /** The JWK set document of {@code /.well-known/jwks.json} (from the key set at most 10 seconds old). */
    public Map<String, Object> jwks() {
        if (System.nanoTime() - loadedAtNanos > REFRESH.toNanos()) {
            reload();
        }
        List<Map<String, Object>> list = new ArrayList<>();
        keys.values().stream().filter(this::published).forEach(k -> list.add(k.jwk()));
        return Map.of("keys", list);
    }

    /** Reads the table again (a node that just wrote to it calls this). */
    public synchronized void reload() {
        Map<String, PublishedKey> fresh = new LinkedHashMap<>();
        jdbc.query("SELECT kid, algorithm, public_jwk, signs_from, published_until FROM signing_key ORDER BY signs_from",
                rs -> {
                    String kid = rs.getString("kid");
                    String json = rs.getString("public_jwk");
                    Jwk<?> jwk = Jwks.parser().build().parse(json);
                    if (jwk instanceof PublicJwk<?> pub) {
                        fresh.put(kid, new PublishedKey(kid, rs.getString("algorithm"), pub.toKey(), parseMap(json),
                                instant(rs.getTimestamp("signs_from")), instant(rs.getTimestamp("published_until"))));
                    }
                });
        keys = Map.copyOf(fresh);
        loadedAtNanos = System.nanoTime();
    }

    private boolean published(PublishedKey key) {
        return key.publishedUntil() == null || clock.instant().isBefore(key.publishedUntil());
    }

    private static Map<String, Object> parseMap(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (Exception e) {
            throw new IllegalStateException("unreadable public JWK in signing_key", e);
        }
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
