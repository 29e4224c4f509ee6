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
@org.springframework.context.annotation.Import(TestClock.Configuration.class)
abstract class ApiTest {

    /** Every secret any test was given (tokens, automation secrets, access tokens): {@code SecretsNeverStoredTest} looks for them last. */
    static final java.util.Set<String> ISSUED = java.util.concurrent.ConcurrentHashMap.newKeySet();


    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final Path DATA_DIR = dataDir();

    private static final AtomicInteger NAMES = new AtomicInteger();
    /**
     * One connection per request: under heavy CPU load, a request sent on a connection reused from
     * Reactor Netty's shared client pool was occasionally never answered (the server saw nothing,
     * every thread idle, until the 30 s response timeout), the same with curl never reproduced.
     */
    static final org.springframework.http.client.reactive.ReactorClientHttpConnector CLIENT =
            new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                    reactor.netty.http.client.HttpClient.create(reactor.netty.resources.ConnectionProvider.newConnection()));

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    WebTestClient http;
    String adminToken;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("autoplane.data-dir", DATA_DIR::toString);
        registry.add("autoplane.oidc.issuer-uri", () -> TestOidcIssuer.ISSUER);
        registry.add("autoplane.oidc.jwks-uri", TestOidcIssuer::jwksUri);
        registry.add("autoplane.oidc.audience", () -> TestOidcIssuer.AUDIENCE);
        // webhook endpoints: 40 deliveries at once, then 1/s (InboundWebhookTest reaches the limit)
        registry.add("autoplane.webhooks.rate-limit.per-second", () -> "1");
        registry.add("autoplane.webhooks.rate-limit.burst", () -> "40");
        // push delivery to the tests' local receivers (PushDeliveryTest), with timeouts short enough to test
        registry.add("autoplane.delivery.allow-private-networks", () -> "true");
        registry.add("autoplane.delivery.connect-timeout", () -> "PT2S");
        registry.add("autoplane.delivery.timeout", () -> "PT2S");
        registry.add("autoplane.delivery.poll-interval", () -> "PT0.2S");
    }

    /** Remembers a secret the suite was given, for the final scan; answers it. */
    static String issued(String secret) {
        if (secret != null) {
            ISSUED.add(secret);
        }
        return secret;
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
        // the suite's shared workspace grows to hundreds of automations: a page of 1,000 outgrows the 256 KiB default
        http = WebTestClient.bindToServer(CLIENT).baseUrl("http://localhost:" + port)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .responseTimeout(Duration.ofSeconds(30)).build();
        adminToken = issued(Files.readString(DATA_DIR.resolve("admin-token")).trim());
    }

    @org.junit.jupiter.api.AfterEach
    void releaseClock() {
        TestClock.INSTANCE.release();
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
        issued((String) answer.get("secret"));
        return (Map<String, Object>) answer.get("automation");
    }

    /** An automation with these credential settings; answers {id, secret}. */
    @SuppressWarnings("unchecked")
    Map<String, String> createMachine(String token, String ws, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", uniqueName("machine"), "kind", "scheduled"));
        body.putAll(extra);
        Map<String, Object> answer = body(post(token, "/workspaces/" + ws + "/automations", body).expectStatus().isCreated());
        String id = (String) ((Map<String, Object>) answer.get("automation")).get("id");
        return Map.of("id", id, "secret", issued((String) answer.get("secret")));
    }

    /** The client-credentials exchange as a form post. */
    WebTestClient.ResponseSpec exchangeToken(String clientId, String secret, String scope) {
        String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret
                + (scope == null ? "" : "&scope=" + java.net.URLEncoder.encode(scope, java.nio.charset.StandardCharsets.UTF_8));
        return http.post().uri("/api/v1/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue(form).exchange();
    }

    /** An access token for the automation (asserting the exchange succeeds). */
    String accessToken(String clientId, String secret) {
        return issued((String) body(exchangeToken(clientId, secret, null).expectStatus().isOk()).get("access_token"));
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
        return issued((String) token.get("token"));
    }

    long countAutomations() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM automation_view", Long.class);
    }
}
