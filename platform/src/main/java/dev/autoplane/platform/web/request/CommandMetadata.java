package dev.autoplane.platform.web.request;

import dev.autoplane.events.common.MetadataKeys;
import dev.autoplane.platform.web.auth.AuthenticatedPrincipal;
import org.axonframework.messaging.MetaData;
import org.springframework.web.server.ServerWebExchange;

import java.util.HashMap;
import java.util.Map;

/** The who/when/why metadata a command (and so every event it produces) carries. */
public final class CommandMetadata {

    private CommandMetadata() {
    }

    public static MetaData of(ServerWebExchange exchange, String workspaceId, String reason) {
        RequestContext ctx = RequestContext.of(exchange);
        AuthenticatedPrincipal principal = exchange.getAttribute(AuthenticatedPrincipal.class.getName());
        Map<String, Object> values = new HashMap<>();
        if (principal != null) {
            values.put(MetadataKeys.ACTOR_KIND, principal.actor().kind().wire());
            values.put(MetadataKeys.ACTOR_ID, principal.actor().id());
            putIfPresent(values, MetadataKeys.TOKEN_ID, principal.tokenId());
            putIfPresent(values, MetadataKeys.AGENT_NAME, principal.agentName());
        }
        values.put(MetadataKeys.REQUEST_ID, ctx.requestId());
        values.put(MetadataKeys.CORRELATION_ID, ctx.correlationId());
        putIfPresent(values, MetadataKeys.CLIENT_ADDRESS, ctx.clientAddress());
        putIfPresent(values, MetadataKeys.USER_AGENT, ctx.userAgent());
        putIfPresent(values, MetadataKeys.REASON, reason);
        putIfPresent(values, MetadataKeys.WORKSPACE_ID, workspaceId);
        return MetaData.from(values);
    }

    private static void putIfPresent(Map<String, Object> values, String key, String value) {
        if (value != null && !value.isBlank()) {
            values.put(key, value);
        }
    }
}
