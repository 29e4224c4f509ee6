package dev.autoplane.command.webhook;

import org.springframework.http.HttpHeaders;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Signing secrets of webhook endpoints and the verification of a delivery's signature, in both
 * header families:
 * <ul>
 *   <li>Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature:
 *   v1,<base64 HMAC-SHA256 of "id.timestamp.body">} (several space-separated signatures allowed), keyed
 *   by the base64-decoded part of the secret after {@code whsec_};</li>
 *   <li>the seed's: {@code X-AGH-Webhook-Timestamp} and {@code X-AGH-Webhook-Signature: sha256=<hex
 *   HMAC-SHA256 of "timestamp.body">}, keyed by the whole secret string as UTF-8 (as GitHub's
 *   {@code X-Hub-Signature-256}), with an optional {@code X-AGH-Webhook-Id}.</li>
 * </ul>
 * Over the raw bytes, before anything is parsed; every candidate signature is compared with every
 * key in use (constant-time comparisons, no early exit), and an unknown endpoint costs the same one
 * HMAC with a throw-away key, so the time taken tells nothing of which check failed.
 */
final class WebhookSigning {

    static final String PREFIX = "whsec_";
    static final long TOLERANCE_SECONDS = 300;
    static final int MAX_SIGNATURES = 8;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] DUMMY = new byte[32];
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    private WebhookSigning() {
    }

    /** {@code whsec_} and the base64 of 32 random bytes, as Standard Webhooks. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The keys of one secret: the Standard Webhooks key (decoded) and the seed family's (the string). */
    record Keys(byte[] standard, byte[] agh) {

        static Keys of(String secret) {
            return new Keys(Base64.getDecoder().decode(secret.substring(PREFIX.length())),
                    secret.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A delivery's signature headers as sent (either family), before any check. */
    record Signed(boolean standard, String id, String timestamp, List<String> signatures) {

        static Signed of(HttpHeaders h) {
            String std = h.getFirst("webhook-signature");
            if (std != null) {
                List<String> sigs = new ArrayList<>();
                for (String part : std.trim().split(" +")) {
                    if (sigs.size() < MAX_SIGNATURES && part.startsWith("v1,")) {
                        sigs.add(part.substring(3));
                    }
                }
                return new Signed(true, h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"), sigs);
            }
            String agh = h.getFirst("X-AGH-Webhook-Signature");
            List<String> sigs = agh != null && agh.startsWith("sha256=") ? List.of(agh.substring(7).trim()) : List.of();
            return new Signed(false, h.getFirst("X-AGH-Webhook-Id"), h.getFirst("X-AGH-Webhook-Timestamp"), sigs);
        }

        /** The delivery id for deduplication: the id header, else the signature header (as sent). */
        String deliveryId() {
            if (id != null && !id.isBlank()) {
                return id.trim();
            }
            return signatures.isEmpty() ? null : "sig:" + signatures.get(0);
        }
    }

    /**
     * Whether the delivery is signed by one of {@code keys} (none: an unknown endpoint, which fails
     * after the same work) with a timestamp within ±5 minutes of {@code now}.
     */
    static boolean verify(Signed signed, byte[] body, List<Keys> keys, Instant now) {
        long ts;
        boolean ok = true;
        try {
            ts = Long.parseLong(signed.timestamp() == null ? "" : signed.timestamp().trim());
        } catch (NumberFormatException e) {
            ts = 0;
            ok = false;
        }
        if (Math.abs(now.getEpochSecond() - ts) > TOLERANCE_SECONDS) {
            ok = false;
        }
        if (signed.standard() && (signed.id() == null || signed.id().isBlank() || signed.id().length() > 200)) {
            ok = false;
        }
        if (signed.signatures().isEmpty()) {
            ok = false;
        }
        List<byte[]> given = new ArrayList<>();
        for (String s : signed.signatures()) {
            given.add(decode(signed.standard(), s));
        }
        byte[] prefix = ((signed.standard() ? nz(signed.id()) + "." : "") + nz(signed.timestamp()) + ".")
                .getBytes(StandardCharsets.UTF_8);
        boolean matched = false;
        List<Keys> candidates = keys.isEmpty() ? List.of(new Keys(DUMMY, DUMMY)) : keys;
        for (Keys k : candidates) {
            byte[] expected = hmac(signed.standard() ? k.standard() : k.agh(), prefix, body);
            for (byte[] g : given) {
                matched |= MessageDigest.isEqual(expected, g);
            }
        }
        return ok && matched && !keys.isEmpty();
    }

    static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
        try {
            Mac mac = MAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decode(boolean standard, String s) {
        try {
            return standard ? Base64.getDecoder().decode(s) : HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
