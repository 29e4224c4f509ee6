package dev.autoplane.standalone.server;

import dev.autoplane.platform.web.server.ServerLimitsCustomizer;
import dev.autoplane.standalone.AutoplaneApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP server's limits and timeouts against the real standalone application, with raw loopback
 * sockets: a slowloris client, a slow body, idle connections, more connections than the limit, and
 * request lines and headers over the limit (fresh and on a reused kept-alive connection).
 *
 * <p>Deliberately its own application context (not {@code ApiTest}'s shared one): it needs timeouts
 * of seconds and a connection limit of a handful, which must not apply to the other HTTP tests.
 */
@SpringBootTest(classes = AutoplaneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "autoplane.server.header-timeout=PT2S",
                "autoplane.server.body-timeout=PT2S",
                "autoplane.server.idle-timeout=PT3S",
                "autoplane.server.max-connections=6",
                "autoplane.server.health-reserve=2",
                "autoplane.scheduler.enabled=false"})
class ServerLimitsTest {

    static final Path DATA_DIR = dataDir();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    ServerLimitsCustomizer server;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("autoplane.data-dir", DATA_DIR::toString);
    }

    /** A data directory that does not exist yet: the server creates it. */
    private static Path dataDir() {
        try {
            return Files.createTempDirectory("autoplane-limits-test").resolve("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each test starts with no connection left over from another (closed ones may linger briefly). */
    @BeforeEach
    void noConnectionsOpen() throws InterruptedException {
        for (int i = 0; i < 100 && server.openConnections() > 0; i++) {
            Thread.sleep(100);
        }
        assertThat(server.openConnections()).isZero();
    }

    @Test
    void aSlowlorisClientIsAnswered408AndClosedWithinTheHeaderTimeout() throws Exception {
        String request = RawHttp.get("/actuator/health", "X-Padding: " + "p".repeat(100) + "\r\n");
        try (RawHttp client = new RawHttp(port)) {
            int sent = 0;
            long start = System.nanoTime();
            // one byte every 200 ms: the whole head would take 30 s; the timeout is 2 s
            while (sent < request.length() && !client.answerWithin(200)) {
                client.send(request.substring(sent, sent + 1));
                sent++;
            }
            assertThat(sent).as("bytes sent before the answer").isLessThan(request.length());
            assertProblem(client.read(), 408);
            assertThat(client.closedWithin(5_000)).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until answered").isLessThan(15_000);
        }
    }

    @Test
    void aSlowBodyIsAnswered408AndClosedWithinTheBodyTimeout() throws Exception {
        String body = "grant_type=client_credentials&client_id=x&client_secret=" + "s".repeat(100);
        try (RawHttp client = new RawHttp(port)) {
            client.send("POST /api/v1/oauth/token HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n");
            int sent = 0;
            while (sent < body.length() && !client.answerWithin(200)) {
                client.send(body.substring(sent, sent + 1));
                sent++;
            }
            assertThat(sent).as("body bytes sent before the answer").isLessThan(body.length());
            assertProblem(client.read(), 408);
            assertThat(client.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeoutFreshOrKeptAlive() throws Exception {
        try (RawHttp fresh = new RawHttp(port); RawHttp keptAlive = new RawHttp(port)) {
            keptAlive.send(RawHttp.get("/actuator/health"));
            assertThat(keptAlive.read().status()).isEqualTo(200);
            assertThat(fresh.closedWithin(15_000)).as("a connection that never sent a byte").isTrue();
            assertThat(keptAlive.closedWithin(15_000)).as("a kept-alive connection after its answer").isTrue();
        }
    }

    @Test
    void aboveTheConnectionLimitNewConnectionsAreRefusedWhileHealthStillAnswers() throws Exception {
        List<RawHttp> open = new ArrayList<>();
        try (RawHttp health = new RawHttp(port)) {
            health.send(RawHttp.get("/actuator/health"));
            assertThat(health.read().status()).isEqualTo(200);
            for (int i = 0; i < 5; i++) { // the limit is 6 with the health connection
                open.add(new RawHttp(port));
            }
            awaitOpenConnections(6);

            // over the limit, within the reserve of 2: anything but health is refused
            try (RawHttp over = new RawHttp(port)) {
                over.send(RawHttp.get("/api/v1/workspaces"));
                RawHttp.Response answer = over.read();
                assertProblem(answer, 503);
                assertThat(answer.headers()).containsEntry("retry-after", "1");
                assertThat(over.closedWithin(5_000)).isTrue();
            }
            awaitOpenConnections(6);
            assertServed(health);
            // …and a health probe on a new connection is answered
            try (RawHttp probe = new RawHttp(port)) {
                probe.send(RawHttp.get("/actuator/health"));
                RawHttp.Response answer = probe.read();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).contains("UP");
                assertThat(probe.closedWithin(5_000)).as("closed after its one answer").isTrue();
            }
            awaitOpenConnections(6);
            assertServed(health);

            // the reserve taken too: new connections are answered 503 at once, before they send anything
            open.add(new RawHttp(port));
            open.add(new RawHttp(port));
            awaitOpenConnections(8);
            for (int i = 0; i < 3; i++) {
                try (RawHttp refused = new RawHttp(port)) {
                    assertProblem(refused.read(), 503);
                    assertThat(refused.closedWithin(5_000)).isTrue();
                }
            }

            // the connection already open is served all along
            assertServed(health);
        } finally {
            for (RawHttp c : open) {
                c.close();
            }
        }
    }

    private static void assertServed(RawHttp health) throws IOException {
        health.send(RawHttp.get("/actuator/health"));
        RawHttp.Response answer = health.read();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("UP");
    }

    /** The kernel accepts at once, the server's event loops register (and count) each connection a moment later. */
    private void awaitOpenConnections(int expected) throws InterruptedException {
        for (int i = 0; i < 200 && server.openConnections() != expected; i++) {
            Thread.sleep(50);
        }
        assertThat(server.openConnections()).isEqualTo(expected);
    }

    @Test
    void oversizedHeadersAnswer431ProblemJsonOnAFreshConnection() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            client.send(RawHttp.get("/actuator/health", "X-Big: " + "b".repeat(20_000) + "\r\n"));
            assertProblem(client.read(), 431);
            assertThat(client.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void oversizedHeadersAnswer431ProblemJsonOnAReusedConnectionEveryTime() throws Exception {
        for (int round = 0; round < 20; round++) {
            try (RawHttp client = new RawHttp(port)) {
                client.send(RawHttp.get("/actuator/health"));
                assertThat(client.read().status()).isEqualTo(200);
                client.send(RawHttp.get("/actuator/health", "X-Big: " + "b".repeat(20_000) + "\r\n"));
                assertProblem(client.read(), 431);
                assertThat(client.closedWithin(5_000)).as("closed after round %d", round).isTrue();
            }
        }
    }

    @Test
    void anOversizedRequestLineAnswers414ProblemJson() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            client.send(RawHttp.get("/actuator/health?q=" + "q".repeat(20_000)));
            assertProblem(client.read(), 414);
            assertThat(client.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void malformedHttpAnswers400ProblemJson() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            client.send("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nBad Header Name: x\r\n\r\n");
            assertProblem(client.read(), 400);
            assertThat(client.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void aDeclaredBodyOverTheLimitAnswers413ProblemJsonBeforeItIsRead() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            client.send("POST /api/v1/oauth/token HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\n");
            assertProblem(client.read(), 413);
            assertThat(client.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void theDataDirectoryIs0700AndItsFiles0600() throws Exception {
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(DATA_DIR)))
                .isEqualTo("rwx------");
        try (var files = Files.list(DATA_DIR)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all).extracting(p -> p.getFileName().toString()).contains("autoplane.mv.db", "admin-token");
            for (Path file : all) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .as("mode of %s", file.getFileName()).isEqualTo("rw-------");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertProblem(RawHttp.Response response, int status) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.headers().get("content-type")).isEqualTo("application/problem+json");
        assertThat(response.headers().get("connection")).isEqualToIgnoringCase("close");
        Map<String, Object> problem = JSON.readValue(response.body(), Map.class);
        assertThat(problem).containsKeys("type", "title", "status", "detail");
        assertThat(problem.get("status")).isEqualTo(status);
    }
}
