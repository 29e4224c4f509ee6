package dev.autoplane.platform.web.request;

import org.springframework.web.server.ServerWebExchange;

/** Facts about the HTTP request that every command and event carries as metadata. */
public record RequestContext(String requestId, String correlationId, String clientAddress, String userAgent) {

    static final String ATTRIBUTE = RequestContext.class.getName();

    public static RequestContext of(ServerWebExchange exchange) {
        RequestContext ctx = exchange.getAttribute(ATTRIBUTE);
        if (ctx == null) {
            throw new IllegalStateException("RequestContextFilter did not run");
        }
        return ctx;
    }

    public static String requestId(ServerWebExchange exchange) {
        RequestContext ctx = exchange.getAttribute(ATTRIBUTE);
        return ctx == null ? null : ctx.requestId();
    }
}
