package dev.autoplane.command.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.command.crypto.FieldCipher;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.token.AccessTokenVerifier;
import dev.autoplane.platform.token.JwtSettings;
import dev.autoplane.platform.token.SigningKeyRing;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The private half of the signing key set (ES256). Keys live in the shared {@code signing_key}
 * table: the public key as a JWK, the private key (PKCS#8) wrapped by the master key
 * ({@link FieldCipher#sealWithMasterKey}), so every command node signs with the same keys and every
 * node verifies. The first start generates a key. {@link #rotate} adds a key that is published at
 * once and signs from {@code autoplane.jwt.publish-ahead} later; the keys it replaces stay
 * published until the last token they signed has expired (plus {@link #MARGIN}, for nodes that
 * have not yet noticed the rotation).
 */
@Component
@Order(1)
public class SigningKeys implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    /** Nodes re-read the key set at least this often, so a rotation reaches every signer within it. */
    static final Duration MARGIN = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A key that can sign. */
    public record Signer(String kid, PrivateKey key) {
    }

    /** What a rotation did. */
    public record Rotation(String kid, Instant signsFrom, List<Map<String, Object>> retiring) {
    }

    private record Row(String kid, String wrapped, Instant signsFrom) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final FieldCipher cipher;
    private final SigningKeyRing ring;
    private final JwtSettings settings;
    private final Clock clock;
    private final Map<String, PrivateKey> unwrapped = new ConcurrentHashMap<>();
    private volatile List<Row> rows;
    private volatile long rowsAtNanos;

    public SigningKeys(JdbcTemplate jdbc, org.springframework.transaction.PlatformTransactionManager transactions, FieldCipher cipher, SigningKeyRing ring,
                       JwtSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.cipher = cipher;
        this.ring = ring;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        ensureKey();
    }

    /** Generates the first key if the table has none. */
    public synchronized void ensureKey() {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM signing_key", Integer.class);
        if (count != null && count == 0) {
            Instant now = clock.instant();
            String kid = insert(now, now);
            log.info("Generated the first access-token signing key {} (private part wrapped by the master key)", kid);
            ring.reload();
        }
        rows = null;
    }

    /** The key that signs now: the newest whose {@code signs_from} has come. */
    public Signer current() {
        Instant now = clock.instant();
        Row row = rows().stream().filter(r -> !r.signsFrom().isAfter(now)).reduce((a, b) -> b).orElse(null);
        if (row == null) {
            ensureKey();
            row = rows().stream().filter(r -> !r.signsFrom().isAfter(now)).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("no signing key is active yet"));
        }
        Row chosen = row;
        return new Signer(chosen.kid(), unwrapped.computeIfAbsent(chosen.kid(), kid -> unwrap(kid, chosen.wrapped())));
    }

    /** Adds a new key (signing from now + publish-ahead) and schedules the unpublishing of the keys it replaces. */
    public synchronized Rotation rotate() {
        Instant now = clock.instant();
        Instant signsFrom = now.plus(settings.publishAhead());
        Instant retireAt = signsFrom.plus(settings.lifetime()).plus(MARGIN);
        Rotation rotation = tx.execute(status -> {
            List<Map<String, Object>> replaced = jdbc.queryForList(
                    "SELECT kid FROM signing_key WHERE published_until IS NULL", String.class).stream()
                    .map(kid -> Map.<String, Object>of("kid", kid, "published_until", retireAt)).toList();
            jdbc.update("UPDATE signing_key SET published_until = ? WHERE published_until IS NULL", Timestamp.from(retireAt));
            return new Rotation(insert(now, signsFrom), signsFrom, replaced);
        });
        rows = null;
        ring.reload();
        log.info("Rotated the access-token signing key: {} signs from {}; {} replaced key(s) published until {}",
                rotation.kid(), signsFrom, rotation.retiring().size(), retireAt);
        return rotation;
    }

    /** The key set as operators see it (no private material). */
    public List<Map<String, Object>> list() {
        return jdbc.queryForList("SELECT kid, algorithm, created_at, signs_from, published_until FROM signing_key"
                + " ORDER BY signs_from");
    }

    private String insert(Instant now, Instant signsFrom) {
        KeyPair pair = Jwts.SIG.ES256.keyPair().build();
        String kid = Ids.newId();
        PublicJwk<ECPublicKey> jwk = Jwks.builder().key((ECPublicKey) pair.getPublic()).id(kid)
                .algorithm(AccessTokenVerifier.ALGORITHM).publicKeyUse("sig").build();
        String json;
        try {
            json = JSON.writeValueAsString(jwk);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the public JWK", e);
        }
        String wrapped = cipher.sealWithMasterKey(pair.getPrivate().getEncoded(), context(kid));
        jdbc.update("INSERT INTO signing_key (kid, algorithm, public_jwk, wrapped_private, created_at, signs_from)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", kid, AccessTokenVerifier.ALGORITHM, json, wrapped,
                Timestamp.from(now), Timestamp.from(signsFrom));
        return kid;
    }

    private List<Row> rows() {
        List<Row> cached = rows;
        if (cached == null || System.nanoTime() - rowsAtNanos > Duration.ofSeconds(10).toNanos()) {
            cached = jdbc.query("SELECT kid, wrapped_private, signs_from FROM signing_key WHERE wrapped_private IS NOT NULL"
                            + " ORDER BY signs_from, kid",
                    (rs, i) -> new Row(rs.getString("kid"), rs.getString("wrapped_private"),
                            rs.getTimestamp("signs_from").toInstant()));
            rows = cached;
            rowsAtNanos = System.nanoTime();
        }
        return cached;
    }

    private PrivateKey unwrap(String kid, String wrapped) {
        try {
            byte[] pkcs8 = cipher.openWithMasterKey(wrapped, context(kid));
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read signing key " + kid, e);
        }
    }

    private static String context(String kid) {
        return "autoplane signing key " + kid;
    }
}
