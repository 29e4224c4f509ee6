package dev.autoplane.command.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.command.token.AccessTokenIssuer;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.access.AccessDirectory;
import dev.autoplane.platform.access.AccessDirectory.AutomationCredential;
import dev.autoplane.platform.secret.SecretHasher;
import dev.autoplane.platform.secret.SecretTokens;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/oauth/token}: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4). The
 * client is an automation ({@code client_id} = its id, {@code client_secret} = its {@code ap_sk_}
 * secret), authenticated in the body (form or JSON) or with HTTP Basic. The answer is a short-lived
 * ES256 JWT; errors follow RFC 6749 §5.2 (not problem+json). Public: no bearer token. Issuing a
 * token records no event (it changes no state); the secret is checked against the keyed hashes of
 * the access read model in constant time, after its shape and checksum.
 */
@RestController
@Tag(name = "OAuth", description = "Exchange an automation's secret for an access token")
class OAuthTokenController {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 16 * 1024;

    private final AccessDirectory directory;
    private final SecretHasher hasher;
    private final AccessTokenIssuer issuer;
    private final Clock clock;

    OAuthTokenController(AccessDirectory directory, SecretHasher hasher, AccessTokenIssuer issuer, Clock clock) {
        this.directory = directory;
        this.hasher = hasher;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** An RFC 6749 §5.2 error. */
    static final class OAuthError extends RuntimeException {
        final int status;
        final String error;

        OAuthError(int status, String error, String description) {
            super(description, null, false, false);
            this.status = status;
            this.error = error;
        }
    }

    /** The request parameters, for the API documentation (the endpoint reads the raw form or JSON body itself). */
    record TokenRequest(String grantType, String clientId, String clientSecret, String scope) {
    }

    /** The answer, for the API documentation. */
    record TokenResponse(String accessToken, String tokenType, long expiresIn, String scope) {
    }

    @Operation(summary = "OAuth 2.0 client-credentials token exchange (public)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @io.swagger.v3.oas.annotations.media.Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
                            schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = TokenRequest.class)),
                    @io.swagger.v3.oas.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = TokenRequest.class))}),
            responses = {
                    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "the access token",
                            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = TokenResponse.class))),
                    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400",
                            description = "invalid_request, unsupported_grant_type or invalid_scope (RFC 6749 §5.2 {error, error_description})"),
                    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "401",
                            description = "invalid_client (RFC 6749 §5.2)")},
            description = "grant_type=client_credentials, client_id=<automation id>, client_secret=<ap_sk_ secret> "
                    + "(form or JSON body, or HTTP Basic), optional scope (space-separated, within the automation's "
                    + "scopes). Answers {access_token, token_type: Bearer, expires_in, scope} with Cache-Control: "
                    + "no-store; errors are RFC 6749 §5.2 {error, error_description}.")
    @PostMapping(path = "/api/v1/oauth/token", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, Object>>> token(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY)
                .map(buffer -> {
                    try {
                        return buffer.toString(StandardCharsets.UTF_8);
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .defaultIfEmpty("")
                .onErrorMap(DataBufferLimitException.class, e -> invalidRequest("the request body is too large"))
                .map(body -> parameters(headers.getContentType(), body))
                .publishOn(Schedulers.boundedElastic())
                .map(params -> exchange(params, authorization, basic))
                .onErrorResume(OAuthError.class, e -> Mono.just(error(e, basic)));
    }

    private ResponseEntity<Map<String, Object>> exchange(Map<String, String> params, String authorization, boolean basic) {
        String grantType = params.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            throw invalidRequest("grant_type is required");
        }
        if (!grantType.equals("client_credentials")) {
            throw new OAuthError(400, "unsupported_grant_type", "only client_credentials is supported");
        }
        String clientId;
        String clientSecret;
        if (authorization != null && !basic) {
            throw invalidRequest("client authentication is HTTP Basic or client_id and client_secret in the body");
        }
        if (basic) {
            if (params.containsKey("client_secret")) {
                throw invalidRequest("use one client authentication method, not Basic and client_secret together");
            }
            String[] pair = basicCredentials(authorization);
            clientId = pair[0];
            clientSecret = pair[1];
            if (params.containsKey("client_id") && !params.get("client_id").equals(clientId)) {
                throw invalidRequest("client_id differs from the Basic credentials");
            }
        } else {
            clientId = params.get("client_id");
            clientSecret = params.get("client_secret");
            if (clientId == null || clientSecret == null) {
                throw invalidClient("client authentication is required (client_id and client_secret, or HTTP Basic)");
            }
        }
        if (!Ids.isWellFormed(clientId) || !SecretTokens.isWellFormed(SecretTokens.AUTOMATION_SECRET, clientSecret)) {
            throw invalidClient("client authentication failed");
        }
        AutomationCredential automation = directory.automation(clientId).filter(a -> !a.deleted()).orElse(null);
        Instant now = clock.instant();
        if (automation == null || !secretMatches(automation, clientSecret, now)) {
            throw invalidClient("client authentication failed");
        }
        if (automation.suspended()) {
            throw invalidClient("the automation is suspended");
        }
        List<String> granted = grantedScopes(automation, params.get("scope"));
        AccessTokenIssuer.Issued issued = issuer.issue(automation.automationId(), automation.workspaceId(), granted,
                automation.teamScope());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", issued.token());
        answer.put("token_type", "Bearer");
        answer.put("expires_in", issued.expiresIn());
        answer.put("scope", String.join(" ", granted));
        return ResponseEntity.ok().headers(noStore()).contentType(MediaType.APPLICATION_JSON).body(answer);
    }

    /** Both hashes are compared (constant time each), whichever matches; the previous only before its deadline. */
    private boolean secretMatches(AutomationCredential automation, String secret, Instant now) {
        boolean current = hasher.matches(secret, automation.secretHash());
        boolean previous = hasher.matches(secret, automation.previousSecretHash());
        boolean previousValid = automation.previousSecretValidUntil() != null
                && now.isBefore(automation.previousSecretValidUntil());
        return current | (previous & previousValid);
    }

    private static List<String> grantedScopes(AutomationCredential automation, String requested) {
        if (requested == null) {
            return automation.scopes();
        }
        List<String> granted = new ArrayList<>();
        for (String raw : requested.trim().split(" +")) {
            if (raw.isEmpty()) {
                continue;
            }
            Optional<Permission> permission = Permission.fromWire(raw);
            if (permission.isEmpty() || !automation.scopes().contains(permission.get().wire())) {
                throw new OAuthError(400, "invalid_scope", "scope " + abbreviate(raw) + " is not granted to this client; it has: "
                        + String.join(" ", automation.scopes()));
            }
            if (!granted.contains(permission.get().wire())) {
                granted.add(permission.get().wire());
            }
        }
        return granted;
    }

    static Map<String, String> parameters(MediaType contentType, String body) {
        if (body.length() > MAX_BODY) {
            throw invalidRequest("the request body is too large");
        }
        if (contentType == null) {
            throw invalidRequest("send application/x-www-form-urlencoded or application/json");
        }
        Map<String, String> params = new HashMap<>();
        if (MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(contentType)) {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name;
                String value;
                try {
                    name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw invalidRequest("the form body is malformed");
                }
                if (params.put(name, value) != null) {
                    throw invalidRequest("parameter " + abbreviate(name) + " is repeated");
                }
            }
            params.values().removeIf(String::isEmpty); // RFC 6749 §3.1: empty parameters are as if omitted
            return params;
        }
        if (MediaType.APPLICATION_JSON.isCompatibleWith(contentType)) {
            JsonNode node;
            try {
                node = JSON.readTree(body);
            } catch (Exception e) {
                throw invalidRequest("the JSON body is malformed");
            }
            if (node == null || !node.isObject()) {
                throw invalidRequest("the JSON body must be an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isNull()) {
                    continue;
                }
                if (!field.getValue().isTextual()) {
                    throw invalidRequest("parameter " + abbreviate(field.getKey()) + " must be a string");
                }
                if (!field.getValue().asText().isEmpty()) {
                    params.put(field.getKey(), field.getValue().asText());
                }
            }
            return params;
        }
        throw invalidRequest("send application/x-www-form-urlencoded or application/json");
    }

    /** RFC 6749 §2.3.1: Basic with the form-urlencoded client id and secret. */
    private static String[] basicCredentials(String authorization) {
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw invalidClient("the Basic credentials are malformed");
            }
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw invalidClient("the Basic credentials are malformed");
        }
    }

    private static ResponseEntity<Map<String, Object>> error(OAuthError e, boolean basic) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error);
        body.put("error_description", e.getMessage());
        HttpHeaders headers = noStore();
        if (e.status == 401 && basic) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"autoplane\", charset=\"UTF-8\"");
        }
        return ResponseEntity.status(HttpStatus.valueOf(e.status)).headers(headers).contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }

    private static HttpHeaders noStore() {
        HttpHeaders headers = new HttpHeaders();
        headers.setCacheControl("no-store");
        headers.setPragma("no-cache");
        return headers;
    }

    private static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    private static OAuthError invalidClient(String description) {
        return new OAuthError(401, "invalid_client", description);
    }

    private static String abbreviate(String s) {
        String safe = s.replaceAll("[^A-Za-z0-9._:-]", "?");
        return safe.length() > 64 ? safe.substring(0, 64) + "…" : safe;
    }
}
