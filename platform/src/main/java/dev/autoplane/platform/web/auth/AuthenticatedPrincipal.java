package dev.autoplane.platform.web.auth;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.identity.Permission;
import org.springframework.web.server.ServerWebExchange;

import java.util.List;
import java.util.Set;

/**
 * The caller of a request, as established by {@link BearerAuthenticationFilter}. For a service
 * account (a request with an automation's access token) {@code serviceAccount} says what it may
 * do, as re-read on this request; {@code agentName} is the visible agent it acts as, if any.
 */
public record AuthenticatedPrincipal(Actor actor, String tokenId, ServiceAccount serviceAccount, String agentName) {

    static final String ATTRIBUTE = AuthenticatedPrincipal.class.getName();

    /**
     * What a service account may do: exactly these permissions (the automation's scopes within the
     * token's scope, and within its agent's role), in this one workspace, on these teams (empty:
     * every team of the workspace).
     */
    public record ServiceAccount(String workspaceId, Set<Permission> permissions, List<String> teamScope) {
    }

    public AuthenticatedPrincipal(Actor actor, String tokenId) {
        this(actor, tokenId, null, null);
    }

    public static AuthenticatedPrincipal of(ServerWebExchange exchange) {
        AuthenticatedPrincipal principal = exchange.getAttribute(ATTRIBUTE);
        if (principal == null) {
            throw new IllegalStateException("no authenticated principal on " + exchange.getRequest().getPath());
        }
        return principal;
    }
}
