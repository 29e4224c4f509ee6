package dev.autoplane.command.webhook;

import dev.autoplane.command.config.CommandTransactionWrites;
import dev.autoplane.command.crypto.FieldCipher;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.secret.SecretHasher;
import dev.autoplane.platform.web.auth.Operators;
import org.axonframework.messaging.MetaData;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The edge of a webhook trigger's creation and change ({@code POST}/{@code PATCH .../triggers}): gives
 * the trigger its endpoint (the slug chosen in {@code config.endpoint}, else a generated one) and, for
 * the first trigger on a slug, makes the endpoint's signing secret, sealed under the endpoint's own key
 * and stored with the command ({@link WebhookEndpointWrites}); the answer shows that secret once.
 * Afterwards a trigger shows only {@code webhook_secret_present} and {@code webhook_secret_hash}.
 */
@Component
public class WebhookTriggers {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] SLUG = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** What the edge prepared: the trigger as it will be sent, what goes with the command, the secret to show (once). */
    public record Prepared(Map<String, Object> trigger, MetaData metaData, String slug, String secret) {

        static Prepared none(Map<String, Object> trigger) {
            return new Prepared(trigger, MetaData.emptyInstance(), null, null);
        }
    }

    private final WebhookDirectory directory;
    private final FieldCipher cipher;
    private final SecretHasher hasher;
    private final JdbcTemplate jdbc;
    private final String publicUrl;
    private final Operators operators;

    WebhookTriggers(WebhookDirectory directory, FieldCipher cipher, SecretHasher hasher, JdbcTemplate jdbc,
                    @Value("${autoplane.webhooks.public-url:}") String publicUrl, Operators operators) {
        this.operators = operators;
        this.directory = directory;
        this.cipher = cipher;
        this.hasher = hasher;
        this.jdbc = jdbc;
        this.publicUrl = publicUrl;
    }

    /**
     * For {@code POST .../triggers}: a webhook trigger gets its endpoint (and the endpoint its secret,
     * if new); any other trigger passes unchanged.
     */
    public Prepared prepareAdd(String workspaceId, Map<String, Object> fields, ServerWebExchange exchange) {
        if (!"webhook".equals(fields.get("type"))) {
            return Prepared.none(fields);
        }
        return prepare(workspaceId, fields, null, exchange);
    }

    /**
     * For {@code PATCH .../triggers/{tid}}: a change that makes the trigger a webhook trigger or gives it
     * a new config keeps (or gets) an endpoint; the current slug is kept when the new config names none.
     */
    public Prepared prepareChange(String workspaceId, String automationId, String triggerId, Map<String, Object> changes,
                                  ServerWebExchange exchange) {
        String currentKey = currentKey(automationId, triggerId).orElse(null);
        if (currentKey != null && currentKey.startsWith(WebhookDirectory.GLOBAL + "/")) {
            operators.require(exchange, "change a global webhook trigger");
        }
        String current = currentKey == null ? null : currentKey.substring(currentKey.indexOf('/') + 1);
        boolean webhook = "webhook".equals(changes.get("type")) || (current != null && !changes.containsKey("type"));
        if (!webhook || (!changes.containsKey("config") && !changes.containsKey("type"))) {
            return Prepared.none(changes);
        }
        return prepare(workspaceId, changes, current, exchange);
    }

    @SuppressWarnings("unchecked")
    private Prepared prepare(String workspaceId, Map<String, Object> fields, String currentSlug, ServerWebExchange exchange) {
        Map<String, Object> trigger = new LinkedHashMap<>(fields);
        Object given = trigger.get("config");
        if (given != null && !(given instanceof Map)) {
            return Prepared.none(fields); // the aggregate's rules say what is wrong
        }
        Map<String, Object> config = new LinkedHashMap<>(given == null ? Map.of() : (Map<String, Object>) given);
        if (config.get("endpoint") == null) {
            config.put("endpoint", currentSlug != null ? currentSlug : newSlug());
        }
        if (config.get("filter") instanceof Map<?, ?> filter) {
            config.put("filter", nested((Map<String, Object>) filter));
        }
        trigger.put("config", config);
        if (!(config.get("endpoint") instanceof String slug) || !slug.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            return Prepared.none(trigger); // rejected by the aggregate's rules
        }
        boolean global = WebhookDirectory.GLOBAL.equals(config.get("scope"));
        if (global) { // the global endpoints are the operators' (docs/webhooks.md "Global endpoints")
            operators.require(exchange, "manage global webhook triggers");
        }
        String key = WebhookDirectory.key(workspaceId, config);
        if (directory.read(key).isPresent()) {
            return new Prepared(trigger, MetaData.emptyInstance(), slug, null);
        }
        String secret = WebhookSigning.newSecret();
        String webhookId = Ids.newId();
        FieldCipher.Sealed sealed = cipher.seal(webhookId, WebhookDirectory.SECRET_FIELD, secret);
        MetaData metaData = WebhookEndpointWrites.create(key, global ? WebhookDirectory.GLOBAL : workspaceId, slug, webhookId,
                sealed.value().keyId() + ":" + sealed.value().ciphertext(), hasher.hash(secret), sealed.newKey());
        return new Prepared(trigger, metaData, slug, secret);
    }

    /** The automation's body as it will be sent, what goes with its command, and the secrets of the endpoints it made (slug → secret). */
    public record PreparedBody(Map<String, Object> fields, MetaData metaData, Map<String, String> secrets) {
    }

    /**
     * For the automation's own body ({@code POST}/{@code PATCH .../automations} with {@code triggers}): each
     * webhook trigger gets its endpoint as on {@code POST .../triggers} (a trigger of the automation keeps
     * its slug when the new config names none), and each endpoint made here its secret, answered once.
     */
    @SuppressWarnings("unchecked")
    public PreparedBody prepareBody(String workspaceId, String automationId, Map<String, Object> fields,
                                    ServerWebExchange exchange) {
        if (!(fields.get("triggers") instanceof List<?> triggers)) {
            return new PreparedBody(fields, MetaData.emptyInstance(), Map.of());
        }
        Map<String, Object> out = new LinkedHashMap<>(fields);
        List<Object> prepared = new java.util.ArrayList<>(triggers.size());
        MetaData metaData = MetaData.emptyInstance();
        Map<String, String> secrets = new LinkedHashMap<>();
        for (Object t : triggers) {
            if (!(t instanceof Map<?, ?> m) || !"webhook".equals(m.get("type"))) {
                prepared.add(t);
                continue;
            }
            String current = automationId != null && m.get("id") instanceof String tid
                    ? currentKey(automationId, tid).map(k -> k.substring(k.indexOf('/') + 1)).orElse(null) : null;
            Map<String, Object> trigger = (Map<String, Object>) m;
            Object config = trigger.get("config");
            if (config instanceof Map<?, ?> c && c.get("endpoint") instanceof String slug && secrets.containsKey(slug)) {
                prepared.add(prepare(workspaceId, trigger, current, exchange).trigger()); // made by an earlier trigger here
                continue;
            }
            Prepared p = prepare(workspaceId, trigger, current, exchange);
            if (p.secret() != null) {
                secrets.put(p.slug(), p.secret());
                metaData = metaData.mergedWith(p.metaData());
            }
            prepared.add(p.trigger());
        }
        out.put("triggers", prepared);
        return new PreparedBody(out, metaData, secrets);
    }

    /**
     * For the automation's own body ({@code POST}/{@code PATCH .../automations} with {@code triggers}): a
     * webhook trigger on a global endpoint there is the operators' as anywhere ({@code 403} for others).
     */
    @SuppressWarnings("unchecked")
    public void requireOperatorForGlobal(Map<String, Object> fields, ServerWebExchange exchange) {
        if (!(fields.get("triggers") instanceof List<?> triggers)) {
            return;
        }
        for (Object t : triggers) {
            if (t instanceof Map<?, ?> m && "webhook".equals(m.get("type")) && m.get("config") instanceof Map<?, ?> c
                    && WebhookDirectory.GLOBAL.equals(c.get("scope"))) {
                operators.require(exchange, "manage global webhook triggers");
                return;
            }
        }
    }

    /** A new secret for the endpoint of this trigger; empty when the trigger is on no endpoint. */
    public Optional<Rotation> rotate(String workspaceId, String automationId, String triggerId, java.time.Instant previousExpiresAt,
                                     ServerWebExchange exchange) {
        Optional<String> key = currentKey(automationId, triggerId)
                .filter(k -> k.startsWith(workspaceId + "/") || k.startsWith(WebhookDirectory.GLOBAL + "/"));
        if (key.isPresent() && key.get().startsWith(WebhookDirectory.GLOBAL + "/")) {
            operators.require(exchange, "rotate the secret of a global webhook endpoint");
        }
        return key.flatMap(directory::read)
                .map(e -> {
                    String secret = WebhookSigning.newSecret();
                    FieldCipher.Sealed sealed = cipher.seal(e.webhookId(), WebhookDirectory.SECRET_FIELD, secret);
                    String hash = hasher.hash(secret);
                    return new Rotation(e.slug(), secret, hash, CommandTransactionWrites.newSubjectKey(sealed).mergedWith(
                            WebhookEndpointWrites.rotate(e.key(), e.webhookId(),
                                    sealed.value().keyId() + ":" + sealed.value().ciphertext(), hash, previousExpiresAt)));
                });
    }

    /** A rotation prepared at the edge. */
    public record Rotation(String slug, String secret, String secretHash, MetaData metaData) {
    }

    /** The trigger as answered: its fields and, for a webhook trigger, its endpoint (and the secret, if just made). */
    public Map<String, Object> answer(String ws, TriggerSpec t, String secretShownOnce, ServerWebExchange exchange) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("type", t.type());
        m.put("config", t.config() == null ? Map.of() : t.config());
        m.put("event", t.event());
        m.put("filter", t.filter());
        m.put("phase_type", t.phaseType());
        m.put("fire_limit", t.fireLimit());
        m.put("retry", t.retry());
        m.put("enabled", t.enabled());
        String key = "webhook".equals(t.type()) ? WebhookDirectory.key(ws, t.config()) : null;
        if (key != null) {
            directory.read(key).ifPresent(e -> {
                m.put("endpoint_slug", e.slug());
                m.put("scope", key.startsWith(WebhookDirectory.GLOBAL + "/") ? "global" : "workspace");
                m.put("webhook_id", e.webhookId());
                m.put("endpoint_url", baseUrl(exchange) + "/api/webhooks/" + (key.startsWith(WebhookDirectory.GLOBAL + "/")
                        ? "global/" : "workspaces/" + ws + "/") + e.slug());
                m.put("webhook_secret_present", true);
                m.put("webhook_secret_hash", e.secretHash());
                if (secretShownOnce != null) {
                    m.put("webhook_secret", secretShownOnce);
                }
            });
        }
        return m;
    }

    private String baseUrl(ServerWebExchange exchange) {
        if (!publicUrl.isBlank()) {
            return publicUrl.replaceAll("/+$", "");
        }
        var uri = exchange.getRequest().getURI();
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private Optional<String> currentKey(String automationId, String triggerId) {
        List<String> keys = jdbc.queryForList("SELECT endpoint_key FROM webhook_trigger WHERE automation_id = ? AND trigger_id = ?",
                String.class, automationId, triggerId);
        return keys.stream().findFirst();
    }

    /** The seed's dotted filter paths as nested objects ({@code {"env.name": "prod"}} is {@code {"env": {"name": "prod"}}}). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> nested(Map<String, Object> filter) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : filter.entrySet()) {
            String[] path = String.valueOf(e.getKey()).split("\\.", -1);
            Map<String, Object> at = out;
            for (int i = 0; i < path.length - 1; i++) {
                Object next = at.get(path[i]);
                if (!(next instanceof Map)) {
                    next = new LinkedHashMap<String, Object>();
                    at.put(path[i], next);
                }
                at = (Map<String, Object>) next;
            }
            Object value = e.getValue() instanceof Map<?, ?> m ? nested((Map<String, Object>) m) : e.getValue();
            at.put(path[path.length - 1], value);
        }
        return out;
    }

    private static String newSlug() {
        StringBuilder b = new StringBuilder("wh-");
        for (int i = 0; i < 12; i++) {
            b.append(SLUG[RANDOM.nextInt(SLUG.length)]);
        }
        return b.toString();
    }
}
