package dev.autoplane.command.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.autoplane.events.common.EncryptedValue;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.secret.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encrypts recoverable secrets (OAuth tokens, webhook signing secrets) with AES-256-GCM under a
 * key of their own subject (an automation), binding subject and field as associated data, so a
 * ciphertext moved to another subject or field does not decrypt. Subject keys are stored wrapped
 * by the master key ({@code autoplane.secrets.master-key}, or {@code <data dir>/master.key});
 * destroying a subject's key (crypto-shredding) makes every copy of its ciphertexts in the event
 * log unreadable. The only class that touches ciphers.
 */
@Component
public class FieldCipher {

    private static final Logger log = LoggerFactory.getLogger(FieldCipher.class);
    private static final byte[] WRAP_CONTEXT = "autoplane subject key".getBytes(StandardCharsets.UTF_8);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Aead master;
    private final Map<String, Aead> keys = new ConcurrentHashMap<>();

    public FieldCipher(JdbcTemplate jdbc, Clock clock,
                       @Value("${autoplane.secrets.master-key:}") String configuredMasterKey,
                       @Value("${autoplane.data-dir}") String dataDir) throws GeneralSecurityException {
        AeadConfig.register();
        this.jdbc = jdbc;
        this.clock = clock;
        this.master = masterAead(configuredMasterKey, Path.of(dataDir).resolve("master.key"));
    }

    /** Encrypts {@code plaintext} as {@code field} of {@code subjectId}, creating the subject's key on first use. */
    public EncryptedValue encrypt(String subjectId, String field, String plaintext) {
        String keyId = currentKeyId(subjectId).orElseGet(() -> createKey(subjectId));
        try {
            byte[] ct = aead(keyId).orElseThrow().encrypt(plaintext.getBytes(StandardCharsets.UTF_8), ad(subjectId, field));
            return new EncryptedValue(keyId, Base64.getEncoder().encodeToString(ct));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * A value encrypted at the edge for a command to carry, and, if its subject had no key yet, the
     * new key in a form for {@link #storeNewKey} (wrapped by the master key). The command stores that
     * key in its own transaction (see {@code CommandTransactionWrites}), so a command that fails, or
     * names an automation that does not exist, leaves no key behind.
     */
    public record Sealed(EncryptedValue value, String newKey) {
    }

    /** Encrypts like {@link #encrypt} but writes nothing: a new subject key is returned, not stored. */
    public Sealed seal(String subjectId, String field, String plaintext) {
        return sealAll(subjectId, Map.of(field, plaintext)).get(field);
    }

    /**
     * Seals several fields of one subject at once: when the subject has no key yet, all of them under the
     * one new key (each {@link Sealed} names the same {@code newKey}, to be stored once).
     */
    public Map<String, Sealed> sealAll(String subjectId, Map<String, String> plaintexts) {
        Map<String, Sealed> sealed = new java.util.LinkedHashMap<>();
        Optional<String> current = currentKeyId(subjectId);
        if (current.isPresent()) {
            plaintexts.forEach((field, plaintext) -> sealed.put(field, new Sealed(encrypt(subjectId, field, plaintext), null)));
            return sealed;
        }
        try {
            KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            String keyId = Ids.newId();
            String wrapped = Base64.getEncoder().encodeToString(
                    TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, master, WRAP_CONTEXT));
            Aead aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
            for (Map.Entry<String, String> e : plaintexts.entrySet()) {
                byte[] ct = aead.encrypt(e.getValue().getBytes(StandardCharsets.UTF_8), ad(subjectId, e.getKey()));
                sealed.put(e.getKey(), new Sealed(new EncryptedValue(keyId, Base64.getEncoder().encodeToString(ct)),
                        keyId + ":" + subjectId + ":" + wrapped));
            }
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Stores a key {@link #seal} made, in the caller's transaction (the command's that carries the value). */
    public void storeNewKey(String newKey) {
        String[] parts = newKey.split(":", 3);
        jdbc.update("INSERT INTO subject_key (key_id, subject_id, wrapped_key, created_at) VALUES (?, ?, ?, ?)",
                parts[0], parts[1], parts[2], Timestamp.from(clock.instant()));
    }

    /** The plaintext, or empty when the subject's key was destroyed (or the value belongs elsewhere). */
    public Optional<String> decrypt(String subjectId, String field, EncryptedValue value) {
        Optional<Aead> aead = aead(value.keyId());
        if (aead.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] pt = aead.get().decrypt(Base64.getDecoder().decode(value.ciphertext()), ad(subjectId, field));
            return Optional.of(new String(pt, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Encrypts server-held key material (a signing key) under the master key, bound to {@code context}. */
    public String sealWithMasterKey(byte[] plaintext, String context) {
        try {
            return Base64.getEncoder().encodeToString(master.encrypt(plaintext, context.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** The plaintext of {@link #sealWithMasterKey}; fails if the master key or the context differ. */
    public byte[] openWithMasterKey(String sealed, String context) {
        try {
            return master.decrypt(Base64.getDecoder().decode(sealed), context.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot unwrap key material for " + context + " (wrong master key?)", e);
        }
    }

    /** Crypto-shredding: destroys every key of the subject. */
    public void shred(String subjectId) {
        List<String> ids = jdbc.queryForList("SELECT key_id FROM subject_key WHERE subject_id = ?", String.class, subjectId);
        jdbc.update("UPDATE subject_key SET wrapped_key = NULL, destroyed_at = ? WHERE subject_id = ?",
                Timestamp.from(clock.instant()), subjectId);
        ids.forEach(keys::remove);
    }

    private Optional<String> currentKeyId(String subjectId) {
        return jdbc.queryForList("SELECT key_id FROM subject_key WHERE subject_id = ? AND wrapped_key IS NOT NULL"
                + " ORDER BY created_at DESC", String.class, subjectId).stream().findFirst();
    }

    private String createKey(String subjectId) {
        try {
            KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            String keyId = Ids.newId();
            byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, master, WRAP_CONTEXT);
            jdbc.update("INSERT INTO subject_key (key_id, subject_id, wrapped_key, created_at) VALUES (?, ?, ?, ?)",
                    keyId, subjectId, Base64.getEncoder().encodeToString(wrapped), Timestamp.from(clock.instant()));
            keys.put(keyId, handle.getPrimitive(RegistryConfiguration.get(), Aead.class));
            return keyId;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a subject key", e);
        }
    }

    private Optional<Aead> aead(String keyId) {
        Aead cached = keys.get(keyId);
        if (cached != null) {
            return Optional.of(cached);
        }
        List<String> wrapped = jdbc.queryForList(
                "SELECT wrapped_key FROM subject_key WHERE key_id = ? AND wrapped_key IS NOT NULL", String.class, keyId);
        if (wrapped.isEmpty()) {
            return Optional.empty();
        }
        try {
            KeysetHandle handle = TinkProtoKeysetFormat.parseEncryptedKeyset(
                    Base64.getDecoder().decode(wrapped.get(0)), master, WRAP_CONTEXT);
            Aead aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
            keys.put(keyId, aead);
            return Optional.of(aead);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot unwrap subject key " + keyId + " (wrong master key?)", e);
        }
    }

    private static byte[] ad(String subjectId, String field) {
        return (subjectId + "\u0000" + field).getBytes(StandardCharsets.UTF_8);
    }

    private static Aead masterAead(String configured, Path file) throws GeneralSecurityException {
        try {
            String json;
            if (!configured.isBlank()) {
                json = new String(Base64.getDecoder().decode(configured.trim()), StandardCharsets.UTF_8);
            } else if (Files.exists(file)) {
                json = Files.readString(file);
            } else {
                KeysetHandle fresh = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
                json = TinkJsonProtoKeysetFormat.serializeKeyset(fresh, InsecureSecretKeyAccess.get());
                PrivateFiles.write(file, json);
                log.info("Generated the master encryption key at {}", file);
            }
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get())
                    .getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
