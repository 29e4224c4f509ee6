package dev.autoplane.events.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;

/**
 * Deterministic identities of occurrences and the runs they create, so a repeated delivery of the
 * same occurrence can only ever name the same fire and the same run.
 */
public final class FireIds {

    /** The source id of the singleton schedule. */
    public static final String SCHEDULE = "schedule";

    private FireIds() {
    }

    /** {@code <automation>/<source>/<instant>}: one per occurrence of a time source. */
    public static String of(String automationId, String sourceId, Instant scheduledAt) {
        return automationId + "/" + sourceId + "/" + scheduledAt;
    }

    /**
     * The run of a fire: a UUIDv7 whose timestamp is the occurrence's instant and whose other bits
     * come from a SHA-256 of the fire id, so runs sort by scheduled time and a fire maps to one run.
     */
    public static String runId(String fireId, Instant scheduledAt) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(fireId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long ms = Math.max(0, scheduledAt.toEpochMilli()) & 0xFFFF_FFFF_FFFFL;
        long msb = (ms << 16) | 0x7000L | (((h[0] & 0xFFL) << 4 | (h[1] & 0xF0L) >> 4) & 0x0FFFL);
        long lsb = 0;
        for (int i = 2; i < 10; i++) {
            lsb = (lsb << 8) | (h[i] & 0xFFL);
        }
        lsb = (lsb & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
