package dev.autoplane.query.web;

import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import java.util.Map;

/**
 * What a trigger read shows of a webhook trigger's endpoint: {@code endpoint_slug}, {@code webhook_id},
 * {@code endpoint_url}, {@code webhook_secret_present} and {@code webhook_secret_hash} (a keyed hash:
 * the secret itself is shown once, when made, and never read back). From the command side's endpoint
 * table, which every mode keeps in its SQL database.
 */
@Component
class WebhookEndpointReads {

    private final JdbcTemplate jdbc;
    private final String publicUrl;

    WebhookEndpointReads(JdbcTemplate jdbc, @Value("${autoplane.webhooks.public-url:}") String publicUrl) {
        this.jdbc = jdbc;
        this.publicUrl = publicUrl;
    }

    /** Adds the endpoint's fields to a webhook trigger's body (no change for other triggers). */
    void decorate(Map<String, Object> body, String workspaceId, TriggerSpec t, ServerWebExchange exchange) {
        if (!"webhook".equals(t.type()) || t.config() == null || !(t.config().get("endpoint") instanceof String slug)) {
            return;
        }
        boolean global = "global".equals(t.config().get("scope"));
        body.put("endpoint_slug", slug);
        body.put("scope", global ? "global" : "workspace");
        var rows = jdbc.query("SELECT webhook_id, secret_hash FROM webhook_endpoint WHERE endpoint_key = ?",
                (rs, i) -> new String[]{rs.getString(1), rs.getString(2)}, (global ? "global" : workspaceId) + "/" + slug);
        body.put("webhook_secret_present", !rows.isEmpty());
        if (!rows.isEmpty()) {
            body.put("webhook_id", rows.get(0)[0]);
            body.put("webhook_secret_hash", rows.get(0)[1]);
            body.put("endpoint_url", baseUrl(exchange) + "/api/webhooks/" + (global ? "global/" : "workspaces/" + workspaceId + "/")
                    + slug);
        }
    }

    private String baseUrl(ServerWebExchange exchange) {
        if (!publicUrl.isBlank()) {
            return publicUrl.replaceAll("/+$", "");
        }
        var uri = exchange.getRequest().getURI();
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
