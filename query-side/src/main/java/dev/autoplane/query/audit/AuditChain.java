package dev.autoplane.query.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One link of a workspace's hash chain (docs/audit.md "Tamper evidence"): SHA-256 over the previous link's
 * hash and the event exactly as the event store holds it (its global index, id, aggregate id and type,
 * sequence number, payload type and revision, timestamp text, payload bytes and metadata bytes), each field
 * length-prefixed so no two different events share canonical bytes.
 */
public final class AuditChain {

    /** The hash before a workspace's first event. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /** An event row of the event store, as stored. */
    public record StoredEvent(long globalIndex, String eventId, String aggregateId, long sequenceNumber, String type,
                              String payloadType, String payloadRevision, String timestamp, byte[] payload,
                              byte[] metadata) {
    }

    public static String link(String previousHash, StoredEvent e) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        digest.update(HexFormat.of().parseHex(previousHash));
        digest.update(ByteBuffer.allocate(16).putLong(e.globalIndex()).putLong(e.sequenceNumber()).array());
        for (String text : new String[]{e.eventId(), e.aggregateId(), e.type(), e.payloadType(), e.payloadRevision(),
                e.timestamp()}) {
            bytes(digest, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
        }
        bytes(digest, e.payload());
        bytes(digest, e.metadata());
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void bytes(MessageDigest digest, byte[] value) {
        digest.update(ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
        if (value != null) {
            digest.update(value);
        }
    }
}
