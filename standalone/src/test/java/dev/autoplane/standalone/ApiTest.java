package dev.autoplane.standalone;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of the HTTP tests: the whole standalone application on its real embedded storage (an H2
 * file database in a temporary data directory), driven over real HTTP. All subclasses share one
 * application context (same properties), so the server starts once per test run.
 */
@SpringBootTest(classes = AutoplaneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ApiTest {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final Path DATA_DIR = dataDir();
    private static final AtomicInteger NAMES = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    WebTestClient http;
    String adminToken;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("autoplane.data-dir", DATA_DIR::toString);
    }

    private static Path dataDir() {
        try {
            Path dir = Files.createTempDirectory("autoplane-api-test");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void connect() throws IOException {
        http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
        adminToken = Files.readString(DATA_DIR.resolve("admin-token")).trim();
    }

    /** A name no other test uses. */
    static String uniqueName(String prefix) {
        return prefix + " " + NAMES.incrementAndGet() + " " + System.nanoTime();
    }

    WebTestClient.RequestHeadersSpec<?> get(String token, String path) {
        return http.get().uri("/api/v1" + path).header("Authorization", "Bearer " + token);
    }

    WebTestClient.ResponseSpec post(String token, String path, Object body) {
        var spec = http.post().uri("/api/v1" + path).header("Authorization", "Bearer " + token);
        return body == null ? spec.exchange() : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    WebTestClient.ResponseSpec patch(String token, String path, Object body) {
        return http.patch().uri("/api/v1" + path).header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> createAutomation(Map<String, Object> body) {
        Map<String, Object> answer = post(adminToken, "/workspaces/" + WS + "/automations", body)
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (Map<String, Object>) answer.get("automation");
    }

    Map<String, Object> createDraft(String name) {
        return createAutomation(Map.of("name", name, "kind", "scheduled"));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> body(WebTestClient.ResponseSpec response) {
        return response.expectBody(Map.class).returnResult().getResponseBody();
    }

    /** Asserts an RFC 9457 problem with that status and, if given, these fields in {@code errors}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> assertProblem(WebTestClient.ResponseSpec response, int status, String... fields) {
        Map<String, Object> problem = response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).returnResult().getResponseBody();
        org.assertj.core.api.Assertions.assertThat(problem).containsKeys("type", "title", "status", "detail");
        org.assertj.core.api.Assertions.assertThat(problem.get("status")).isEqualTo(status);
        if (fields.length > 0) {
            List<Map<String, Object>> errors = (List<Map<String, Object>>) problem.get("errors");
            org.assertj.core.api.Assertions.assertThat(errors).as("field errors of %s", problem).isNotNull();
            org.assertj.core.api.Assertions.assertThat(errors.stream().map(e -> e.get("field")).toList())
                    .as("fields in %s", problem).contains((Object[]) fields);
        }
        return problem;
    }

    /** Creates a member with that role and answers a token for them. */
    @SuppressWarnings("unchecked")
    String member(String userId, String role) {
        http.put().uri("/api/v1/workspaces/" + WS + "/members/" + userId).header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("role", role)).exchange()
                .expectStatus().isOk();
        Map<String, Object> token = body(post(adminToken, "/tokens", Map.of("name", "test", "user_id", userId))
                .expectStatus().isCreated());
        return (String) token.get("token");
    }

    long countAutomations() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM automation_view", Long.class);
    }
}
