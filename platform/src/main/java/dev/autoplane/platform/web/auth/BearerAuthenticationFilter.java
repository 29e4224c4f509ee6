package dev.autoplane.platform.web.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.access.AccessDirectory;
import dev.autoplane.platform.token.AccessTokenVerifier;
import dev.autoplane.platform.token.OidcPeopleTokens;
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

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Requires {@code Authorization: Bearer <token>} on every {@code /api/v1} path except the public
 * ones. Three kinds of bearer token:
 * <ul>
 * <li>personal access tokens ({@code ap_pat_…}): checked for shape and checksum before any lookup,
 * then looked up by keyed hash; revoked and expired tokens fail on the next request;</li>
 * <li>access tokens this server signed for an automation (JWT, {@link AccessTokenVerifier}): the
 * request is a service-account request, with exactly the automation's current scopes (within the
 * token's), in its workspace and team scope; a suspended, deleted or purged automation's tokens fail
 * on the next request. {@code X-Agent-Name} names the visible agent it acts as;</li>
 * <li>people's JWTs from a configured OpenID Connect issuer ({@link OidcPeopleTokens}).</li>
 * </ul>
 * A person's rights are not in any token: {@link WorkspaceAccess} reads them on every request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class BearerAuthenticationFilter implements WebFilter {

    private static final String API = "/api/v1/";
    /** The seed doors outside {@code /api/v1} (docs/seeds.md): seed 003's {@code /api/automation/...}, seed 004's {@code /v1/...}. */
    private static final List<String> SEED_APIS = List.of("/api/automation/", "/v1/");

    public static final String AGENT_HEADER = "X-Agent-Name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccessDirectory directory;
    private final SecretHasher hasher;
    private final Clock clock;
    private final AccessTokenVerifier accessTokens;
    private final OidcPeopleTokens oidc;

    public BearerAuthenticationFilter(AccessDirectory directory, SecretHasher hasher, Clock clock,
                                      AccessTokenVerifier accessTokens, OidcPeopleTokens oidc) {
        this.directory = directory;
        this.hasher = hasher;
        this.clock = clock;
        this.accessTokens = accessTokens;
        this.oidc = oidc;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!(path.startsWith(API) || SEED_APIS.stream().anyMatch(path::startsWith)) || isPublic(path)) {
            return chain.filter(exchange);
        }
        List<String> headers = exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.AUTHORIZATION);
        if (headers.size() > 1) {
            // which one would win differs between proxies and servers: refuse rather than guess
            return Mono.error(new ApiProblem(400, "ambiguous_credentials", "Bad request",
                    "send exactly one Authorization header", null, null));
        }
        String header = headers.isEmpty() ? null : headers.get(0);
        if (header == null || header.isBlank()) {
            return Mono.error(ApiProblem.unauthorized("this endpoint needs Authorization: Bearer <token>"));
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Mono.error(ApiProblem.unauthorized("only Bearer tokens are accepted"));
        }
        String token = header.substring(7).trim();
        String agentName = exchange.getRequest().getHeaders().getFirst(AGENT_HEADER);
        java.util.concurrent.Callable<AuthenticatedPrincipal> authentication;
        if (token.startsWith(SecretTokens.PERSONAL_ACCESS_TOKEN)) {
            if (!SecretTokens.isWellFormed(SecretTokens.PERSONAL_ACCESS_TOKEN, token)) {
                return Mono.error(ApiProblem.unauthorized("the token is malformed"));
            }
            authentication = () -> person(authenticate(token), agentName);
        } else if (token.length() <= AccessTokenVerifier.MAX_LENGTH && token.chars().filter(c -> c == '.').count() == 2) {
            Optional<String> issuer = claimedIssuer(token);
            if (issuer.isEmpty()) {
                return Mono.error(ApiProblem.unauthorized("the token is malformed"));
            }
            authentication = oidc.handles(issuer.get()) ? () -> person(oidcPerson(token), agentName)
                    : () -> serviceAccount(token, agentName);
        } else {
            return Mono.error(ApiProblem.unauthorized(token.length() > AccessTokenVerifier.MAX_LENGTH
                    ? "the token is too long" : "the token is malformed"));
        }
        return Mono.fromCallable(authentication)
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

    private static AuthenticatedPrincipal person(AuthenticatedPrincipal principal, String agentName) {
        if (agentName != null) {
            throw ApiProblem.forbidden(AGENT_HEADER + " is for requests made with an automation's access token");
        }
        return principal;
    }

    private AuthenticatedPrincipal oidcPerson(String token) {
        try {
            return new AuthenticatedPrincipal(Actor.user(oidc.verify(token)), null);
        } catch (AccessTokenVerifier.InvalidTokenException e) {
            throw ApiProblem.unauthorized(e.getMessage());
        }
    }

    /** An automation's access token: verified (or cached), then checked against the automation as it is now. */
    private AuthenticatedPrincipal serviceAccount(String token, String agentName) {
        AccessTokenVerifier.AccessToken at;
        try {
            at = accessTokens.verify(token);
        } catch (AccessTokenVerifier.InvalidTokenException e) {
            throw ApiProblem.unauthorized(e.getMessage());
        }
        AccessDirectory.AutomationCredential automation = directory.automation(at.automationId())
                .filter(a -> a.workspaceId().equals(at.workspaceId()) && !a.deleted())
                .orElseThrow(() -> ApiProblem.unauthorized("the token's automation no longer exists"));
        if (automation.suspended()) {
            throw ApiProblem.unauthorized("the token's automation is suspended");
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String scope : automation.scopes()) {
            Permission.fromWire(scope).filter(p -> at.scopes().contains(p.wire())).ifPresent(permissions::add);
        }
        List<String> teams = automation.teamScope();
        if (agentName != null) {
            AccessDirectory.AgentRecord agent = agentName.isBlank() || agentName.length() > 200 ? null
                    : directory.agentByName(automation.workspaceId(), agentName).orElse(null);
            if (agent == null) {
                throw ApiProblem.forbidden("no agent of this name in the workspace");
            }
            if (agent.suspended()) {
                throw ApiProblem.forbidden("agent " + agent.name() + " is suspended");
            }
            if (!agent.installationId().equals(automation.automationId())) {
                throw ApiProblem.forbidden("agent " + agent.name() + " does not act under this automation's credential");
            }
            if (agent.role() != null) {
                permissions.retainAll(agent.role().permissions());
            }
            if (!agent.teamScope().isEmpty()) {
                List<String> narrowed = new ArrayList<>(agent.teamScope());
                if (!teams.isEmpty()) {
                    narrowed.retainAll(teams);
                }
                if (narrowed.isEmpty()) {
                    throw ApiProblem.forbidden("agent " + agent.name() + " has no team in this automation's team scope");
                }
                teams = List.copyOf(narrowed);
            }
            agentName = agent.name();
        }
        return new AuthenticatedPrincipal(Actor.serviceAccount(automation.automationId()), at.tokenId(),
                new AuthenticatedPrincipal.ServiceAccount(automation.workspaceId(), Set.copyOf(permissions), teams),
                agentName);
    }

    /** The {@code iss} a JWT claims (unverified: it only chooses which verifier checks it). */
    static Optional<String> claimedIssuer(String token) {
        try {
            int first = token.indexOf('.');
            int second = token.indexOf('.', first + 1);
            byte[] payload = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
            JsonNode node = JSON.readTree(new String(payload, StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            JsonNode iss = node.get("iss");
            return Optional.of(iss != null && iss.isTextual() ? iss.asText() : "");
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    static boolean isPublic(String path) {
        return path.equals("/api/v1/oauth/token");
    }
}
