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
import static org.awaitility.Awaitility.await;

/**
 * Push delivery across a restart, and the SSRF rule with private networks not allowed (the default; the rest of
 * the suite allows them). Starts and stops its own application contexts, each on a data directory of its own.
 */
@Order(Integer.MAX_VALUE - 2)
class DeliveryRestartTest {

    private final TestClock clock = TestClock.INSTANCE;

    @AfterEach
    void release() {
        clock.release();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDeliveryOwedWhenTheServerStopsIsSentAfterItStartsAgain() throws Exception {
        Path dir = Files.createTempDirectory("autoplane-delivery-restart");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer("/r", n -> WebhookReceiver.Answer.status(n == 1 ? 503 : 200));
            Instant t0 = clock.freeze();
            String runId;
            String secret;
            try (ConfigurableApplicationContext first = start(dir, true)) {
                WebTestClient http = client(first);
                String admin = ApiTest.issued(Files.readString(dir.resolve("admin-token")).trim());
                Map<String, Object> created = body(post(http, admin, "/workspaces/" + ApiTest.WS + "/automations",
                        Map.of("name", "pushed across a restart", "kind", "scheduled", "status", "active",
                                "delivery", Map.of("url", receiver.url("/r")))).expectStatus().isCreated());
                ApiTest.issued((String) created.get("secret"));
                Map<String, Object> automation = (Map<String, Object>) created.get("automation");
                secret = ApiTest.issued((String) ((Map<String, Object>) automation.get("delivery")).get("signing_secret"));
                ApiTest.issued(secret.substring(6));
                Map<String, Object> fired = body(post(http, admin, "/workspaces/" + ApiTest.WS + "/automations/"
                        + automation.get("id") + "/trigger", Map.of()).expectStatus().isAccepted());
                runId = (String) ((Map<String, Object>) fired.get("run")).get("id");
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/r").size() == 1);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(run(http, admin, runId))
                        .containsEntry("delivery_error", "HTTP 503").containsEntry("status", "running"));
            }
            // the next try comes due while the server is down
            clock.set(t0.plusSeconds(10));
            try (ConfigurableApplicationContext second = start(dir, true)) {
                WebTestClient http = client(second);
                String admin = Files.readString(dir.resolve("admin-token")).trim();
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/r").size() == 2);
                WebhookReceiver.Delivery resent = receiver.received("/r").get(1);
                assertThat(resent.header("webhook-id")).isEqualTo(runId + "_1");
                assertThat(WebhookReceiver.verifiedBy(resent, List.of(secret))).containsExactly(secret);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(run(http, admin, runId))
                        .containsEntry("status", "delegated").containsEntry("attempt", 1));
                assertThat(receiver.received("/r")).as("sent once more, not twice").hasSize(2);
            }
        }
    }

    @Test
    void privateLoopbackLinkLocalAndMetadataAddressesAreRefusedUnlessAllowed() throws Exception {
        Path dir = Files.createTempDirectory("autoplane-delivery-ssrf");
        try (ConfigurableApplicationContext app = start(dir, false)) {
            WebTestClient http = client(app);
            String admin = ApiTest.issued(Files.readString(dir.resolve("admin-token")).trim());
            for (String url : List.of("http://127.0.0.1:8080/runs", "http://localhost/runs", "http://10.1.2.3/",
                    "http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
                    "http://[::1]/", "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://0.0.0.0/",
                    "http://224.0.0.1/")) {
                Map<String, Object> problem = ApiTest.assertProblem(post(http, admin, "/workspaces/" + ApiTest.WS
                        + "/automations", Map.of("name", "ssrf " + System.nanoTime(), "kind", "scheduled",
                        "delivery", Map.of("url", url))), 400, "delivery.url");
                assertThat(problem.toString()).as(url).contains("AUTOPLANE_DELIVERY_ALLOW_PRIVATE_NETWORKS");
            }
        }
    }

    private static Map<String, Object> run(WebTestClient http, String token, String runId) {
        return body(http.get().uri("/api/v1/workspaces/" + ApiTest.WS + "/runs/" + runId)
                .header("Authorization", "Bearer " + token).exchange().expectStatus().isOk());
    }

    private static WebTestClient.ResponseSpec post(WebTestClient http, String token, String path, Object body) {
        return http.post().uri("/api/v1" + path).header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(WebTestClient.ResponseSpec response) {
        return response.expectBody(Map.class).returnResult().getResponseBody();
    }

    private static ConfigurableApplicationContext start(Path dir, boolean allowPrivate) {
        return new SpringApplicationBuilder(AutoplaneApplication.class, TestClock.Configuration.class)
                .run("--autoplane.data-dir=" + dir, "--server.port=0", "--spring.jmx.enabled=false",
                        "--autoplane.delivery.allow-private-networks=" + allowPrivate,
                        "--autoplane.delivery.timeout=PT2S", "--autoplane.delivery.poll-interval=PT0.2S");
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getProperty("local.server.port");
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }
}
