package dev.autoplane.query.web;

import org.axonframework.eventhandling.DomainEventMessage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One stored event as the history and audit endpoints show it. */
final class HistoryEvents {

    /** Payload fields never shown, not even as hashes or ciphertext. */
    static final Set<String> REDACTED = Set.of("secretHash", "tokenHash", "oauthToken", "ciphertext");

    /**
     * Whether a payload field is never shown: the names above, and by rule any keyed hash, secret, token or
     * ciphertext (so {@code previousSecretHash} of a rotation, and whatever such field an event gains later).
     */
    static boolean redacted(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return REDACTED.contains(name) || n.endsWith("hash") || n.endsWith("secret") || n.endsWith("ciphertext");
    }

    private HistoryEvents() {
    }

    static Map<String, Object> toBody(DomainEventMessage<?> e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", e.getIdentifier());
        m.put("aggregate_id", e.getAggregateIdentifier());
        m.put("sequence_number", e.getSequenceNumber());
        m.put("event_type", eventType(e.getPayloadType()));
        m.put("timestamp", e.getTimestamp());
        m.put("metadata", new TreeMap<>(e.getMetaData()));
        m.put("payload", redact(e.getPayload()));
        return m;
    }

    static String eventType(Class<?> type) {
        return type.getSimpleName();
    }

    /** The payload as a map of its record components, secret-bearing ones redacted. */
    static Object redact(Object payload) {
        return redact(payload, v -> "[redacted]");
    }

    /**
     * The same, with each encrypted value shown as {@code encrypted} tells (the audit log says whether its key
     * still exists or was destroyed by a purge).
     */
    static Object redact(Object payload, java.util.function.Function<dev.autoplane.events.common.EncryptedValue, Object> encrypted) {
        if (payload instanceof Record record) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (var component : record.getClass().getRecordComponents()) {
                String name = component.getName();
                try {
                    Object value = component.getAccessor().invoke(record);
                    if (value instanceof dev.autoplane.events.common.EncryptedValue ev) {
                        out.put(snake(name), encrypted.apply(ev));
                    } else if (redacted(name)) {
                        out.put(snake(name), value == null ? null : "[redacted]");
                    } else {
                        out.put(snake(name), value instanceof Record r ? redact(r, encrypted) : value);
                    }
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
            return out;
        }
        return payload;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
