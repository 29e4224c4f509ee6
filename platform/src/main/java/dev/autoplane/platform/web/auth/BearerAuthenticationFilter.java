package dev.autoplane.platform.web.auth;

import dev.autoplane.events.common.Actor;
import dev.autoplane.platform.access.AccessDirectory;
import dev.autoplane.platform.secret.SecretHasher;
import dev.autoplane.platform.secret.SecretTokens;
import dev.autoplane.platform.web.problem.ApiProblem;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;

/**
 * Requires {@code Authorization: Bearer <token>} on every {@code /api/v1} path except the public
 * ones. Personal access tokens ({@code ap_pat_…}) are checked for shape and checksum before any
 * lookup, then looked up by keyed hash; revoked and expired tokens fail on the next request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class BearerAuthenticationFilter implements WebFilter {

    private static final String API = "/api/v1/";

    private final AccessDirectory directory;
    private final SecretHasher hasher;
    private final Clock clock;

    public BearerAuthenticationFilter(AccessDirectory directory, SecretHasher hasher, Clock clock) {
        this.directory = directory;
        this.hasher = hasher;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith(API) || isPublic(path)) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return Mono.error(ApiProblem.unauthorized("this endpoint needs Authorization: Bearer <token>"));
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Mono.error(ApiProblem.unauthorized("only Bearer tokens are accepted"));
        }
        String token = header.substring(7).trim();
        if (!SecretTokens.isWellFormed(SecretTokens.PERSONAL_ACCESS_TOKEN, token)) {
            return Mono.error(ApiProblem.unauthorized("the token is malformed"));
        }
        return Mono.fromCallable(() -> authenticate(token))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(principal -> {
                    exchange.getAttributes().put(AuthenticatedPrincipal.ATTRIBUTE, principal);
                    return chain.filter(exchange);
                });
    }

    private AuthenticatedPrincipal authenticate(String token) {
        String hash = hasher.hash(token);
        AccessDirectory.TokenRecord record = directory.tokenByHash(hash)
                .filter(r -> hasher.matches(token, r.tokenHash()))
                .orElseThrow(() -> ApiProblem.unauthorized("the token is unknown"));
        if (record.revoked()) {
            throw ApiProblem.unauthorized("the token was revoked");
        }
        if (record.expiresAt() != null && !clock.instant().isBefore(record.expiresAt())) {
            throw ApiProblem.unauthorized("the token expired");
        }
        return new AuthenticatedPrincipal(Actor.user(record.userId()), record.tokenId());
    }

    static boolean isPublic(String path) {
        return path.equals("/api/v1/oauth/token");
    }
}
