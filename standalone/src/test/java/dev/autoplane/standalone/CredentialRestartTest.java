package dev.autoplane.standalone;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials survive a restart of the application on the same data directory: a rotated secret's
 * grace window ends exactly when it said, the signing keys (private part wrapped by the master key
 * in the database) still verify the tokens issued before, and the published key set is the same.
 * Runs late (it starts and stops its own application contexts).
 */
@Order(Integer.MAX_VALUE - 1)
class CredentialRestartTest {

    private final TestClock clock = TestClock.INSTANCE;

    @AfterEach
    void release() {
        clock.release();
    }

    @Test
    @SuppressWarnings("unchecked")
    void canUseThePreviousSecretUntilTheEndOfItsGraceAcrossARestart() throws Exception {
        Path dir = Files.createTempDirectory("autoplane-restart-test");
        String id;
        String oldSecret;
        String newSecret;
        String tokenBefore;
        Object jwksBefore;
        Instant t0;
        try (ConfigurableApplicationContext first = start(dir)) {
            WebTestClient http = client(first);
            String admin = ApiTest.issued(Files.readString(dir.resolve("admin-token")).trim());
            Map<String, Object> created = http.post().uri("/api/v1/workspaces/" + ApiTest.WS + "/automations")
                    .header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "restart", "kind", "scheduled", "scopes", List.of("automation.read")))
                    .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            id = (String) ((Map<String, Object>) created.get("automation")).get("id");
            oldSecret = ApiTest.issued((String) created.get("secret"));
            t0 = clock.freeze();
            Map<String, Object> rotated = http.post().uri("/api/v1/workspaces/" + ApiTest.WS + "/automations/" + id + "/secret/rotate")
                    .header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("grace_period_seconds", 120)).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            newSecret = ApiTest.issued((String) rotated.get("secret"));
            tokenBefore = ApiTest.issued(token(http, id, oldSecret, 200));
            jwksBefore = http.get().uri("/.well-known/jwks.json").exchange().expectBody(Map.class).returnResult().getResponseBody();
        }

        clock.set(t0.plus(Duration.ofSeconds(119)));
        try (ConfigurableApplicationContext second = start(dir)) {
            WebTestClient http = client(second);
            assertThat(http.get().uri("/.well-known/jwks.json").exchange().expectBody(Map.class).returnResult().getResponseBody())
                    .isEqualTo(jwksBefore);
            http.get().uri("/api/v1/workspaces/" + ApiTest.WS + "/automations/" + id)
                    .header("Authorization", "Bearer " + tokenBefore).exchange().expectStatus().isOk();
            ApiTest.issued(token(http, id, oldSecret, 200));
            clock.set(t0.plus(Duration.ofSeconds(120)));
            token(http, id, oldSecret, 401);
            ApiTest.issued(token(http, id, newSecret, 200));
        }
    }

    private static String token(WebTestClient http, String id, String secret, int status) {
        Map<?, ?> body = http.post().uri("/api/v1/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret)
                .exchange().expectStatus().isEqualTo(status).expectBody(Map.class).returnResult().getResponseBody();
        return (String) body.get("access_token");
    }

    private static ConfigurableApplicationContext start(Path dir) {
        return new SpringApplicationBuilder(AutoplaneApplication.class, TestClock.Configuration.class)
                .run("--autoplane.data-dir=" + dir, "--server.port=0",
                        "--spring.jmx.enabled=false");
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getProperty("local.server.port");
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }
}
