package dev.autoplane.platform.web.request;

import dev.autoplane.events.common.DomainException;
import dev.autoplane.platform.text.TextRules;
import dev.autoplane.platform.Ids;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * Gives every request an id (a client's {@code X-Request-Id} if it is sane), a correlation id and
 * the client's address and user agent, and echoes the request id in the response.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestContextFilter implements WebFilter {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String CORRELATION_ID_HEADER = "X-Correlation-Id";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String requestId = safe(request.getHeaders().getFirst(REQUEST_ID_HEADER));
        if (requestId == null) {
            requestId = Ids.newId();
        }
        String correlationId = safe(request.getHeaders().getFirst(CORRELATION_ID_HEADER));
        InetSocketAddress remote = request.getRemoteAddress();
        String client = remote == null ? null
                : remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        String agent = request.getHeaders().getFirst("User-Agent");
        if (agent != null && agent.length() > 256) {
            agent = agent.substring(0, 256);
        }
        if (agent != null && TextRules.HEADER_REASON.max(256).violation(agent) != null) {
            agent = TextRules.printable(agent); // recorded in every event: never a control character or lone surrogate
        }
        exchange.getAttributes().put(RequestContext.ATTRIBUTE,
                new RequestContext(requestId, correlationId == null ? requestId : correlationId, client, agent));
        exchange.getResponse().getHeaders().set(REQUEST_ID_HEADER, requestId);
        String reason = request.getHeaders().getFirst("X-Reason");
        if (reason != null) {
            // checked before anything runs, so a bad reason cannot leave a write half done
            String problem = TextRules.HEADER_REASON.violation(reason);
            if (problem != null) {
                return Mono.error(DomainException.invalid("X-Reason", problem));
            }
        }
        return chain.filter(exchange);
    }

    private static String safe(String value) {
        return value != null && SAFE_ID.matcher(value).matches() ? value : null;
    }
}
