package dev.autoplane.platform.web.auth;

import dev.autoplane.events.common.Actor;
import org.springframework.web.server.ServerWebExchange;

/** The caller of a request, as established by {@link BearerAuthenticationFilter}. */
public record AuthenticatedPrincipal(Actor actor, String tokenId) {

    static final String ATTRIBUTE = AuthenticatedPrincipal.class.getName();

    public static AuthenticatedPrincipal of(ServerWebExchange exchange) {
        AuthenticatedPrincipal principal = exchange.getAttribute(ATTRIBUTE);
        if (principal == null) {
            throw new IllegalStateException("no authenticated principal on " + exchange.getRequest().getPath());
        }
        return principal;
    }
}
