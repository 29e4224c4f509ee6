package dev.autoplane.platform.secret;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keyed hashes (HMAC-SHA256) of bearer secrets: what we store instead of the secrets. The key is
 * {@code autoplane.secrets.hash-key} (base64, at least 32 bytes) or, if unset, generated once into
 * {@code <data dir>/hash.key} (mode 0600). Every process that authenticates must share it.
 */
@Component
public class SecretHasher {

    private static final Logger log = LoggerFactory.getLogger(SecretHasher.class);

    private final byte[] key;
    /**
     * One initialised MAC per thread: every authenticated request hashes its bearer token, and looking the
     * algorithm up in the providers and initialising it with the key cost more than the hash itself.
     */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    @org.springframework.beans.factory.annotation.Autowired
    public SecretHasher(@Value("${autoplane.secrets.hash-key:}") String configuredKey,
                        @Value("${autoplane.data-dir}") String dataDir) {
        this.key = configuredKey.isBlank() ? loadOrCreate(Path.of(dataDir).resolve("hash.key"))
                : Base64.getDecoder().decode(configuredKey.trim());
        if (key.length < 32) {
            throw new IllegalStateException("autoplane.secrets.hash-key must be at least 32 bytes (base64)");
        }
    }

    public SecretHasher(byte[] key) {
        this.key = key.clone();
    }

    /** Hex HMAC-SHA256 of the token. */
    public String hash(String token) {
        // doFinal resets the MAC to its key, ready for the thread's next token
        return HexFormat.of().formatHex(macs.get().doFinal(token.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of the token's hash with a stored one (fixed-length digests). */
    public boolean matches(String token, String storedHash) {
        return storedHash != null && MessageDigest.isEqual(
                hash(token).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file).trim());
            }
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            PrivateFiles.write(file, Base64.getEncoder().encodeToString(fresh) + "\n");
            log.info("Generated the secret hashing key at {}", file);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
