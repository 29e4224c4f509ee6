package dev.autoplane.standalone.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, section 5: the run stream across the command-side/query-side split (two processes, one PostgreSQL, as
 * {@link SplitProcessesIT}). A subscriber of the query side's {@code /runs/stream} sees the changes of runs fired,
 * leased and completed through the command side; after a restart of the query side, reconnecting with
 * {@code Last-Event-ID} delivers the changes made while it was down, then the live ones — each once, in order.
 */
class SplitRunStreamIT {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final ObjectMapper JSON = new ObjectMapper();

    /** One {@code run} event of the stream. */
    record Change(long id, String runId, String status) {
    }

    /** A subscriber on its own thread: its changes, and whether the stream has opened (its first keep-alive). */
    static final class Subscriber implements AutoCloseable {
        final List<Change> changes = new CopyOnWriteArrayList<>();
        final AtomicBoolean open = new AtomicBoolean();
        final Thread thread;
        volatile Stream<String> lines;

        Subscriber(HttpClient client, String url, String token, String lastEventId) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/api/v1/workspaces/" + WS + "/runs/stream"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            thread = new Thread(() -> {
                try {
                    HttpResponse<Stream<String>> r = client.send(b.build(), HttpResponse.BodyHandlers.ofLines());
                    lines = r.body();
                    long id = -1;
                    for (var it = r.body().iterator(); it.hasNext(); ) {
                        String line = it.next();
                        if (line.startsWith(":")) {
                            open.set(true);
                        } else if (line.startsWith("id:")) {
                            id = Long.parseLong(line.substring(3).trim());
                        } else if (line.startsWith("data:")) {
                            JsonNode run = JSON.readTree(line.substring(5));
                            changes.add(new Change(id, run.path("id").asText(), run.path("status").asText()));
                        }
                    }
                } catch (Exception e) {
                    // closed by the test, or the server went away
                }
            }, "sse-subscriber");
            thread.setDaemon(true);
            thread.start();
        }

        void awaitOpen() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!open.get() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(open).as("the stream opened").isTrue();
        }

        List<Change> awaitChanges(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (changes.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return List.copyOf(changes);
        }

        @Override
        public void close() {
            Stream<String> l = lines;
            if (l != null) {
                l.close();
            }
            thread.interrupt();
        }
    }

    @Test
    void theQuerySidesStreamShowsCommandSideChangesAndResumesAfterItsRestart(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Map<String, String> common = ServerProcess.postgresMode(postgres);
            Path commandData = Files.createDirectories(dir.resolve("command"));
            Path queryData = Files.createDirectories(dir.resolve("query"));
            Path queryJar = ServerProcess.jar("../query-side/target/query-side-0.1.0-SNAPSHOT-exec.jar");
            Map<String, String> queryEnv = ServerProcess.with(common, "AUTOPLANE_DATA_DIR", queryData.toString());
            HttpClient client = HttpClient.newHttpClient();
            try (ServerProcess command = new ServerProcess(ServerProcess.jar("../command-side/target/command-side-0.1.0-SNAPSHOT-exec.jar"),
                    ServerProcess.with(common, "AUTOPLANE_DATA_DIR", commandData.toString()), dir.resolve("command.log")).start();
                 ServerProcess query = new ServerProcess(queryJar, queryEnv, dir.resolve("query.log")).start()) {
                command.awaitHealthy(Duration.ofSeconds(120));
                query.awaitHealthy(Duration.ofSeconds(120));
                String token = Files.readString(commandData.resolve("admin-token")).trim();
                HttpResponse<String> created;
                long authDeadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                do { // the access read model may be projected by either process: the token works once it has been
                    created = send(client, command.url(), token, "/automations",
                            "{\"name\":\"split stream\",\"kind\":\"scheduled\",\"status\":\"active\"}");
                } while (created.statusCode() == 401 && System.nanoTime() < authDeadline && pause());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                String automation = JSON.readTree(created.body()).path("automation").path("id").asText();

                long lastId;
                try (Subscriber live = new Subscriber(client, query.url(), token, null)) {
                    live.awaitOpen();
                    String first = lifecycle(client, command.url(), token, automation);
                    List<Change> seen = live.awaitChanges(3);
                    assertThat(seen).as("the query side's stream, changes made through the command side")
                            .extracting(Change::runId, Change::status)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple(first, "scheduled"),
                                    org.assertj.core.groups.Tuple.tuple(first, "running"),
                                    org.assertj.core.groups.Tuple.tuple(first, "completed"));
                    assertThat(seen).extracting(Change::id).isSorted().doesNotHaveDuplicates();
                    lastId = seen.get(2).id();
                }

                query.close(); // the query side goes away (closing it again at the end does nothing); the command side goes on
                String whileDown = lifecycle(client, command.url(), token, automation);

                try (ServerProcess restarted = new ServerProcess(queryJar, queryEnv, dir.resolve("query-restarted.log")).start()) {
                    restarted.awaitHealthy(Duration.ofSeconds(120));
                    try (Subscriber resumed = new Subscriber(client, restarted.url(), token, Long.toString(lastId))) {
                        resumed.awaitOpen();
                        List<Change> replayed = resumed.awaitChanges(3);
                        HttpResponse<String> live = send(client, command.url(), token, "/automations/" + automation + "/trigger", "{}");
                        assertThat(live.statusCode()).as(live.body()).isEqualTo(202);
                        String after = JSON.readTree(live.body()).path("run").path("id").asText();
                        List<Change> all = resumed.awaitChanges(4);
                        Thread.sleep(1000); // a duplicate or a stray change would arrive by now
                        all = List.copyOf(resumed.changes);
                        assertThat(replayed).hasSizeGreaterThanOrEqualTo(3);
                        assertThat(all).as("after Last-Event-ID %s: the changes made while the query side was down, then the live one",
                                        lastId)
                                .extracting(Change::runId, Change::status)
                                .containsExactly(org.assertj.core.groups.Tuple.tuple(whileDown, "scheduled"),
                                        org.assertj.core.groups.Tuple.tuple(whileDown, "running"),
                                        org.assertj.core.groups.Tuple.tuple(whileDown, "completed"),
                                        org.assertj.core.groups.Tuple.tuple(after, "scheduled"));
                        assertThat(all).extracting(Change::id).isSorted().doesNotHaveDuplicates()
                                .allSatisfy(id -> assertThat(id).isGreaterThan(lastId));
                    }
                }
            }
        }
    }

    /** Fire, lease and complete one run through the command side; answers its id. */
    private static String lifecycle(HttpClient client, String url, String token, String automation) throws Exception {
        HttpResponse<String> fired = send(client, url, token, "/automations/" + automation + "/trigger", "{}");
        assertThat(fired.statusCode()).as(fired.body()).isEqualTo(202);
        String runId = JSON.readTree(fired.body()).path("run").path("id").asText();
        HttpResponse<String> leased = send(client, url, token, "/runs/lease",
                "{\"automation_id\":\"" + automation + "\",\"max_runs\":1,\"wait_seconds\":10}");
        assertThat(leased.statusCode()).as(leased.body()).isEqualTo(200);
        JsonNode run = JSON.readTree(leased.body()).path("runs").path(0);
        assertThat(run.path("id").asText()).as(leased.body()).isEqualTo(runId);
        HttpResponse<String> done = send(client, url, token, "/runs/" + runId + "/complete",
                "{\"lease_id\":\"" + run.path("lease_id").asText() + "\"}");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        return runId;
    }

    private static HttpResponse<String> send(HttpClient client, String url, String token, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/workspaces/" + WS + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }
}
