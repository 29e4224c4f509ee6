package dev.autoplane.standalone;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resuming a run stream with {@code Last-Event-ID} after the server restarted: the changes made before the
 * restart after that id come once, in order, read from the event log (the new process never saw them live),
 * and then the live ones. Runs late (it starts and stops its own application contexts).
 */
@Order(Integer.MAX_VALUE - 1)
class RunStreamRestartTest {

    private static final String RUNS = "/api/v1/workspaces/" + ApiTest.WS + "/runs";

    @Test
    @SuppressWarnings("unchecked")
    void aStreamResumedAfterARestartGetsEveryLaterChangeOnceInOrder() throws Exception {
        Path dir = Files.createTempDirectory("autoplane-sse-restart-test");
        String automation;
        String runId;
        String firstId;
        try (ConfigurableApplicationContext first = start(dir)) {
            WebTestClient http = client(first);
            String admin = admin(dir);
            Map<String, Object> created = http.post().uri("/api/v1/workspaces/" + ApiTest.WS + "/automations")
                    .header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "sse restart", "kind", "scheduled", "status", "active"))
                    .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            ApiTest.issued((String) created.get("secret"));
            automation = (String) ((Map<String, Object>) created.get("automation")).get("id");
            // fire, then read the change it made from the log (resume from before everything)
            Map<String, Object> answer = post(http, admin, "/api/v1/workspaces/" + ApiTest.WS + "/automations/"
                    + automation + "/trigger", Map.of());
            runId = (String) ((Map<String, Object>) answer.get("run")).get("id");
            ServerSentEvent<String> first1 = events(http, admin, automation, "0").take(1).blockFirst(Duration.ofSeconds(30));
            assertThat(first1.data()).contains("\"status\":\"scheduled\"").contains(runId);
            firstId = first1.id();
            post(http, admin, RUNS + "/lease", Map.of("automation_id", automation));
            post(http, admin, RUNS + "/" + runId + "/complete", Map.of());
        }
        try (ConfigurableApplicationContext second = start(dir)) {
            WebTestClient http = client(second);
            String admin = admin(dir);
            StepVerifier.create(events(http, admin, automation, firstId).take(3))
                    .assertNext(e -> assertThat(e.data()).contains("\"status\":\"running\"").contains(runId))
                    .assertNext(e -> assertThat(e.data()).contains("\"status\":\"completed\"").contains(runId))
                    .then(() -> post(http, admin, "/api/v1/workspaces/" + ApiTest.WS + "/automations/" + automation
                            + "/trigger", Map.of()))
                    .assertNext(e -> assertThat(e.data()).contains("\"status\":\"scheduled\"").doesNotContain(runId))
                    .expectComplete()
                    .verify(Duration.ofSeconds(60));
        }
    }

    private static Flux<ServerSentEvent<String>> events(WebTestClient http, String token, String automation,
                                                        String lastEventId) {
        var spec = http.get().uri(RUNS + "/stream?automation_id=" + automation).header("Authorization", "Bearer " + token)
                .accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            spec = spec.header("Last-Event-ID", lastEventId);
        }
        return spec.exchange().expectStatus().isOk().returnResult(RunStreamTest.SSE).getResponseBody()
                .filter(e -> e.event() != null);
    }

    private static Map<String, Object> post(WebTestClient http, String token, String path, Object body) {
        return http.post().uri(path).header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().is2xxSuccessful().expectBody(Map.class).returnResult()
                .getResponseBody();
    }

    private static String admin(Path dir) throws Exception {
        return ApiTest.issued(Files.readString(dir.resolve("admin-token")).trim());
    }

    private static ConfigurableApplicationContext start(Path dir) {
        return new SpringApplicationBuilder(AutoplaneApplication.class, TestClock.Configuration.class)
                .run("--autoplane.data-dir=" + dir, "--server.port=0", "--spring.jmx.enabled=false");
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getProperty("local.server.port");
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60))
                .build();
    }
}
