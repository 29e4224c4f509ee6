package dev.autoplane.command.webhook;

import dev.autoplane.events.common.DomainException;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The endpoint rows that belong to a command, written in its unit of work and database transaction
 * once its handler accepted it (like {@code CommandTransactionWrites}): the endpoint (and its sealed
 * secret) the first webhook trigger on a slug creates, and a rotated secret. A command that fails
 * writes nothing, so a secret shown in an answer is the one stored. They travel as command metadata
 * (never copied onto events); the in-memory directory reloads the endpoint after the commit.
 */
@Component
public class WebhookEndpointWrites {

    static final String CREATE = "autoplane.webhook.create";
    static final String ROTATE = "autoplane.webhook.rotate";
    static final String DELIVERY = "autoplane.webhook.delivery";

    private final JdbcTemplate jdbc;
    private final WebhookDirectory directory;
    private final Clock clock;
    private final String insert;
    private final WebhookDeliveries deliveries;
    private final dev.autoplane.command.crypto.FieldCipher cipher;

    WebhookEndpointWrites(JdbcTemplate jdbc, WebhookDirectory directory, Clock clock, WebhookDeliveries deliveries,
                          dev.autoplane.command.crypto.FieldCipher cipher) {
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.directory = directory;
        this.clock = clock;
        this.deliveries = deliveries;
        this.insert = SqlDialect.of(jdbc).insertIfAbsent("webhook_endpoint", List.of("endpoint_key"),
                "endpoint_key", "workspace_id", "slug", "webhook_id", "secret", "secret_hash", "created_at");
    }

    /**
     * Metadata that creates the endpoint {@code key} with this sealed secret (stored as {@code keyId:ciphertext})
     * and, if the seal made one, the endpoint's new subject key; one entry per endpoint, so a command may create several.
     */
    static MetaData create(String key, String workspaceId, String slug, String webhookId, String sealed, String hash,
                           String newSubjectKey) {
        return MetaData.with(CREATE + "." + key, String.join("\n", key, workspaceId, slug, webhookId, sealed, hash,
                newSubjectKey == null ? "" : newSubjectKey));
    }

    /** Metadata that rotates the endpoint's secret; the previous one verifies until {@code previousExpiresAt}. */
    static MetaData rotate(String key, String webhookId, String sealed, String hash, Instant previousExpiresAt) {
        return MetaData.with(ROTATE, String.join("\n", key, webhookId, sealed, hash, previousExpiresAt.toString()));
    }

    /** Metadata that stores the delivery's answer (its one fire's) with that fire: the record of the delivery id. */
    static MetaData delivery(String endpointKey, String deliveryId) {
        return MetaData.with(DELIVERY, endpointKey + "\n" + deliveryId);
    }

    @Autowired
    void register(CommandBus commandBus) {
        commandBus.registerHandlerInterceptor(this::handle);
    }

    private Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        MetaData metaData = unitOfWork.getMessage().getMetaData();
        Timestamp now = Timestamp.from(clock.instant());
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (Map.Entry<String, Object> entry : metaData.entrySet()) {
            if (!entry.getKey().startsWith(CREATE + ".") || !(entry.getValue() instanceof String spec)) {
                continue;
            }
            String[] p = spec.split("\n", -1);
            keys.add(p[0]);
            if (!p[6].isEmpty()) {
                cipher.storeNewKey(p[6]);
            }
            jdbc.update(insert, p[0], p[1], p[2], p[3], p[4], p[5], now);
            String stored = jdbc.queryForObject("SELECT webhook_id FROM webhook_endpoint WHERE endpoint_key = ?",
                    String.class, p[0]);
            if (!p[3].equals(stored)) { // another request created the endpoint first: its secret is the one
                throw DomainException.conflict("webhook_endpoint_created_concurrently", "endpoint " + p[2]
                        + " was created by another request at the same moment; send this one again", Map.of());
            }
        }
        if (metaData.get(ROTATE) instanceof String spec) {
            String[] p = spec.split("\n", -1);
            keys.add(p[0]);
            int updated = jdbc.update("UPDATE webhook_endpoint SET previous_secret = secret, previous_expires_at = ?,"
                            + " secret = ?, secret_hash = ?, rotated_at = ? WHERE endpoint_key = ? AND webhook_id = ?",
                    Timestamp.from(Instant.parse(p[4])), p[2], p[3], now, p[0], p[1]);
            if (updated == 0) {
                throw DomainException.notFound("webhook_endpoint_not_found", "the trigger's endpoint is gone");
            }
        }
        if (metaData.get(DELIVERY) instanceof String spec
                && result instanceof dev.autoplane.events.automation.WebhookCommands.WebhookFireResult fired
                && !"not_matched".equals(fired.outcome())) {
            String[] p = spec.split("\n", 2);
            deliveries.record(p[0], p[1], WebhookAnswers.json(java.util.List.of(fired), p[1]), clock.instant());
        }
        if (!keys.isEmpty()) {
            unitOfWork.root().afterCommit(u -> keys.forEach(directory::reload));
        }
        return result;
    }
}
