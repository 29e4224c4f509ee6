package dev.autoplane.command.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.command.crypto.FieldCipher;
import dev.autoplane.events.common.EncryptedValue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The webhook endpoints with their signing keys and the triggers on each: what the delivery path
 * needs. Where this node writes every change itself (the embedded mode, {@code autoplane.webhooks.memory},
 * on where {@code autoplane.access.cache} is), every endpoint is held in memory, loaded when the application is ready and
 * reloaded by key after each transaction that changed it commits ({@link #reload}): an unknown
 * endpoint or a forged delivery then costs no query at all. Elsewhere (several nodes on one
 * database) each delivery reads its endpoint's rows.
 */
@Component
public class WebhookDirectory {

    static final String SECRET_FIELD = "webhook_secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A webhook trigger on an endpoint. {@code filter}: dotted body paths to the strings expected there. */
    record Trigger(String automationId, String triggerId, String workspaceId, String event, Map<String, String> filter,
                   String cel, boolean enabled) {
    }

    /** An endpoint: its keys (the previous one until it expires) and its triggers. */
    record Endpoint(String key, String workspaceId, String slug, String webhookId, String secretHash,
                    WebhookSigning.Keys current, WebhookSigning.Keys previous, Instant previousExpiresAt,
                    List<Trigger> triggers) {

        List<WebhookSigning.Keys> keysAt(Instant now) {
            List<WebhookSigning.Keys> keys = new ArrayList<>(2);
            if (current != null) {
                keys.add(current);
            }
            if (previous != null && previousExpiresAt != null && now.isBefore(previousExpiresAt)) {
                keys.add(previous);
            }
            return keys;
        }
    }

    private final JdbcTemplate jdbc;
    private final FieldCipher cipher;
    private final boolean memory;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    WebhookDirectory(JdbcTemplate jdbc, FieldCipher cipher,
                     @Value("${autoplane.webhooks.memory:${autoplane.access.cache:false}}") boolean memory) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.memory = memory;
    }

    /** In the embedded mode, loads every endpoint once the application is ready: even the first forged delivery reads nothing. */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void preload() {
        if (memory) {
            loadAll();
        }
    }

    /** Whether endpoints are answered from memory (no query on the delivery path until a delivery verifies). */
    boolean inMemory() {
        return memory;
    }

    static final String GLOBAL = "global";

    static String key(String workspaceId, String slug) {
        return workspaceId + "/" + slug;
    }

    /** The endpoint a webhook trigger's config puts it on: {@code global/<slug>} or {@code <workspace>/<slug>}. */
    static String key(String workspaceId, Map<String, Object> config) {
        Object slug = config == null ? null : config.get("endpoint");
        if (!(slug instanceof String s)) {
            return null;
        }
        return GLOBAL.equals(config.get("scope")) ? key(GLOBAL, s) : key(workspaceId, s);
    }

    /** The endpoint, if it exists (from memory in the embedded mode). */
    Optional<Endpoint> find(String key) {
        if (!memory) {
            return read(key);
        }
        if (!loaded) {
            loadAll();
        }
        return Optional.ofNullable(endpoints.get(key));
    }

    /** The endpoint as stored now (always a query: for the writes at the edge). */
    Optional<Endpoint> read(String key) {
        List<Endpoint> rows = jdbc.query("SELECT endpoint_key, workspace_id, slug, webhook_id, secret, secret_hash,"
                        + " previous_secret, previous_expires_at FROM webhook_endpoint WHERE endpoint_key = ?",
                (rs, i) -> {
                    String webhookId = rs.getString(4);
                    Timestamp expires = rs.getTimestamp(8);
                    return new Endpoint(rs.getString(1), rs.getString(2), rs.getString(3), webhookId, rs.getString(6),
                            keys(webhookId, rs.getString(5)), keys(webhookId, rs.getString(7)),
                            expires == null ? null : expires.toInstant(), List.of());
                }, key);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Endpoint e = rows.get(0);
        return Optional.of(new Endpoint(e.key(), e.workspaceId(), e.slug(), e.webhookId(), e.secretHash(), e.current(),
                e.previous(), e.previousExpiresAt(), triggers(key)));
    }

    /** Re-reads one endpoint after a transaction that changed it (or its triggers) committed. */
    synchronized void reload(String key) {
        if (!memory || !loaded) {
            return; // not loaded yet: the first use reads everything committed by then
        }
        read(key).ifPresentOrElse(e -> endpoints.put(key, e), () -> endpoints.remove(key));
    }

    private synchronized void loadAll() {
        if (loaded) {
            return;
        }
        List<String> keys = jdbc.queryForList("SELECT endpoint_key FROM webhook_endpoint", String.class);
        for (String key : keys) {
            read(key).ifPresent(e -> endpoints.put(key, e));
        }
        loaded = true;
    }

    private List<Trigger> triggers(String key) {
        return jdbc.query("SELECT automation_id, trigger_id, workspace_id, event, match_filter, cel_filter, enabled"
                        + " FROM webhook_trigger WHERE endpoint_key = ? AND deleted = FALSE ORDER BY automation_id, trigger_id",
                (rs, i) -> new Trigger(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        filter(rs.getString(5)), rs.getString(6), rs.getBoolean(7)), key);
    }

    private WebhookSigning.Keys keys(String webhookId, String stored) {
        if (stored == null) {
            return null;
        }
        int split = stored.indexOf(':');
        return cipher.decrypt(webhookId, SECRET_FIELD, new EncryptedValue(stored.substring(0, split), stored.substring(split + 1)))
                .map(WebhookSigning.Keys::of).orElse(null);
    }

    private static Map<String, String> filter(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, String> flat = new java.util.LinkedHashMap<>();
            flatten("", JSON.readValue(json, new TypeReference<Map<String, Object>>() { }), flat);
            return flat;
        } catch (Exception e) {
            return Map.of("\u0000", "\u0000"); // unreadable: matches nothing
        }
    }

    /** A nested filter as dotted paths to the strings expected there. */
    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> filter, Map<String, String> out) {
        filter.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                flatten(prefix + k + ".", (Map<String, Object>) m, out);
            } else {
                out.put(prefix + k, String.valueOf(v));
            }
        });
    }

    static String filterJson(Object filter) {
        try {
            return filter == null ? null : JSON.writeValueAsString(filter);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
