package dev.autoplane.command.webhook;

import java.util.List;
import java.util.Map;

/**
 * Whether a delivery matches a webhook trigger: the trigger is enabled, its {@code event} (if any; {@code *}
 * matches every event) equals the delivery's event name, and every entry of its filter (a dotted
 * path into the JSON body, and the string expected there; numbers and booleans compare by their JSON
 * text) holds, and its CEL {@code filter}, if any, is true ({@link WebhookCel}).
 */
final class WebhookMatching {

    private WebhookMatching() {
    }

    static boolean matches(WebhookDirectory.Trigger t, String event, Map<String, Object> body) {
        if (!t.enabled()) {
            return false;
        }
        if (t.event() != null && !t.event().isBlank() && !"*".equals(t.event()) && !t.event().equals(event)) {
            return false;
        }
        for (Map.Entry<String, String> f : t.filter().entrySet()) {
            Object value = at(body, f.getKey());
            if (value == null || value instanceof Map || value instanceof List || !String.valueOf(value).equals(f.getValue())) {
                return false;
            }
        }
        return WebhookCel.test(t.cel(), event, body);
    }

    /** The value at a dotted path ({@code a.b.c}; a numeric segment indexes an array), or {@code null}. */
    static Object at(Map<String, Object> body, String path) {
        Object current = body;
        for (String segment : path.split("\\.", -1)) {
            if (current instanceof Map<?, ?> m) {
                current = m.get(segment);
            } else if (current instanceof List<?> l && segment.matches("\\d{1,6}")) {
                int i = Integer.parseInt(segment);
                current = i < l.size() ? l.get(i) : null;
            } else {
                return null;
            }
        }
        return current;
    }
}
