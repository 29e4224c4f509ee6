package dev.autoplane.command.webhook;

import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The deliveries answered in the last 24 hours, by endpoint and delivery id, with their answers: a
 * re-sent delivery answers the first answer and fires nothing. The fires themselves are deduplicated
 * by the automation too (a delivery's fire id is recorded with the fire, in its transaction), so a
 * delivery re-sent after a crash between its fires and this record fires nothing new either.
 */
@Component
class WebhookDeliveries {

    static final Duration RETENTION = Duration.ofHours(24);

    private final JdbcTemplate jdbc;
    private final String insert;

    WebhookDeliveries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.insert = SqlDialect.of(jdbc).insertIfAbsent("webhook_delivery", List.of("endpoint_key", "delivery_id"),
                "endpoint_key", "delivery_id", "answer", "created_at");
    }

    Optional<String> answered(String endpointKey, String deliveryId, Instant now) {
        return jdbc.queryForList("SELECT answer FROM webhook_delivery WHERE endpoint_key = ? AND delivery_id = ? AND created_at > ?",
                String.class, endpointKey, deliveryId, Timestamp.from(now.minus(RETENTION))).stream().findFirst();
    }

    void record(String endpointKey, String deliveryId, String answer, Instant now) {
        jdbc.update("DELETE FROM webhook_delivery WHERE endpoint_key = ? AND delivery_id = ? AND created_at <= ?",
                endpointKey, deliveryId, Timestamp.from(now.minus(RETENTION)));
        jdbc.update(insert, endpointKey, deliveryId, answer, Timestamp.from(now));
    }

    /** Forgets deliveries older than the retention (called now and then by the delivery path). */
    void expire(Instant now) {
        jdbc.update("DELETE FROM webhook_delivery WHERE created_at <= ?", Timestamp.from(now.minus(RETENTION)));
    }
}
