package dev.autoplane.events.common;

/**
 * A value encrypted with the per-subject key {@code keyId} (AES-GCM, subject and field bound as
 * associated data). Carries ciphertext only: destroying the key shreds every copy in the log.
 */
public record EncryptedValue(String keyId, String ciphertext) {
}
