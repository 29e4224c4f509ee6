package dev.autoplane.standalone;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.JwkSet;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client-credentials exchange (RFC 6749 §4.4) over real HTTP: form, JSON and Basic client
 * authentication, the answer and its headers, the JWT it issues (verified here against the public
 * JWKS), the scope parameter, and every RFC 6749 §5.2 error.
 */
class OAuthTokenTest extends ApiTest {

    @Test
    @SuppressWarnings("unchecked")
    void canExchangeASecretForASignedAccessToken() {
        Map<String, String> m = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read", "automation.write"),
                "team_scope", List.of()));
        var response = exchangeToken(m.get("id"), m.get("secret"), null).expectStatus().isOk()
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectHeader().valueEquals("Pragma", "no-cache")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        Map<String, Object> body = body(response);
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "scope");
        assertThat(body).containsEntry("token_type", "Bearer").containsEntry("expires_in", 600)
                .containsEntry("scope", "automation.read automation.write");
        String token = issued((String) body.get("access_token"));

        // verify with the published key set, as any resource server would
        String jwks = http.get().uri("/.well-known/jwks.json").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JwkSet set = Jwks.setParser().build().parse(jwks);
        assertThat(jwks).doesNotContain("\"d\"");
        var parsed = Jwts.parser().keyLocator(h -> (PublicKey) set.getKeys().stream()
                        .filter(k -> k.getId().equals(((io.jsonwebtoken.JwsHeader) h).getKeyId())).findFirst().orElseThrow().toKey())
                .build().parseSignedClaims(token);
        assertThat(parsed.getHeader().getAlgorithm()).isEqualTo("ES256");
        assertThat(parsed.getHeader().getType()).isEqualTo("at+jwt");
        assertThat(parsed.getHeader().getKeyId()).isNotBlank();
        Claims claims = parsed.getPayload();
        assertThat(claims.getIssuer()).isEqualTo("autoplane");
        assertThat(claims.getAudience()).containsExactly("autoplane-api");
        assertThat(claims.getSubject()).isEqualTo(m.get("id"));
        assertThat(claims.getId()).isNotBlank();
        assertThat(claims.get("workspace_id")).isEqualTo(WS);
        assertThat(claims.get("scope")).isEqualTo("automation.read automation.write");
        assertThat(claims.getExpiration().getTime() - claims.getIssuedAt().getTime()).isEqualTo(600_000);

        // the token works as a bearer token
        get(token, "/workspaces/" + WS + "/automations/" + m.get("id")).exchange().expectStatus().isOk();
    }

    @Test
    void canAuthenticateWithBasicOrJsonAndNarrowTheScope() {
        Map<String, String> m = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read", "automation.write")));
        String basic = Base64.getEncoder().encodeToString((m.get("id") + ":" + m.get("secret")).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> viaBasic = body(http.post().uri("/api/v1/oauth/token").header("Authorization", "Basic " + basic)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("grant_type=client_credentials&scope=automation.read")
                .exchange().expectStatus().isOk());
        issued((String) viaBasic.get("access_token"));
        assertThat(viaBasic).containsEntry("scope", "automation.read");
        String narrowed = (String) viaBasic.get("access_token");
        // the narrowed token reads but cannot write
        get(narrowed, "/workspaces/" + WS + "/automations/" + m.get("id")).exchange().expectStatus().isOk();
        assertProblem(patch(narrowed, "/workspaces/" + WS + "/automations/" + m.get("id"), Map.of("description", "x")), 403);

        Map<String, Object> viaJson = body(http.post().uri("/api/v1/oauth/token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("grant_type", "client_credentials", "client_id", m.get("id"), "client_secret", m.get("secret"),
                        "scope", "files.write")).exchange().expectStatus().isOk());
        issued((String) viaJson.get("access_token"));
        assertThat(viaJson).containsEntry("scope", "automation.write");
    }

    @Test
    void answersRfc6749ErrorsForEveryBadRequest() {
        Map<String, String> m = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read")));
        String id = m.get("id");
        String secret = m.get("secret");
        oauthError(form("client_id=" + id + "&client_secret=" + secret), 400, "invalid_request");
        oauthError(form("grant_type=password&client_id=" + id + "&client_secret=" + secret), 400, "unsupported_grant_type");
        oauthError(form("grant_type=client_credentials&grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret),
                400, "invalid_request");
        oauthError(form("grant_type=client_credentials"), 401, "invalid_client");
        oauthError(form("grant_type=client_credentials&client_id=" + id + "&client_secret=ap_sk_nonsense"), 401, "invalid_client");
        String wrong = issued(dev.autoplane.platform.secret.SecretTokens.generate("ap_sk_"));
        oauthError(form("grant_type=client_credentials&client_id=" + id + "&client_secret=" + wrong), 401, "invalid_client");
        oauthError(form("grant_type=client_credentials&client_id=not-an-id&client_secret=" + secret), 401, "invalid_client");
        oauthError(form("grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret + "&scope=automation.write"),
                400, "invalid_scope");
        oauthError(form("grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret + "&scope=nope"),
                400, "invalid_scope");
        oauthError(http.post().uri("/api/v1/oauth/token").contentType(MediaType.TEXT_PLAIN).bodyValue("hello").exchange(),
                400, "invalid_request");
        oauthError(http.post().uri("/api/v1/oauth/token").contentType(MediaType.APPLICATION_JSON).bodyValue("{not json").exchange(),
                400, "invalid_request");
        oauthError(http.post().uri("/api/v1/oauth/token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"grant_type\": 7}").exchange(), 400, "invalid_request");
        oauthError(http.post().uri("/api/v1/oauth/token").exchange(), 400, "invalid_request");

        String badBasic = Base64.getEncoder().encodeToString((id + ":" + wrong).getBytes(StandardCharsets.UTF_8));
        var basic = http.post().uri("/api/v1/oauth/token").header("Authorization", "Basic " + badBasic)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("grant_type=client_credentials").exchange();
        basic.expectHeader().exists("WWW-Authenticate");
        oauthError(basic, 401, "invalid_client");
    }

    private WebTestClient.ResponseSpec form(String body) {
        return http.post().uri("/api/v1/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue(body).exchange();
    }

    private void oauthError(WebTestClient.ResponseSpec response, int status, String error) {
        Map<String, Object> body = response.expectStatus().isEqualTo(status)
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(body).containsEntry("error", error).containsKey("error_description");
    }
}
