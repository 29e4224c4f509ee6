package dev.autoplane.standalone.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, section 5: {@code kill -9} while 8 executors lease and complete runs over HTTP. Runs are fired
 * by manual triggers (retry: fixed, 3 retries, 1 s), the executors complete them, and one more executor
 * leases a few runs and never reports (a crashed worker: its runs can only end by lease expiry and retry).
 * The server is killed with SIGKILL mid-flight and restarted on the same data directory with a 3 s lease;
 * the executors keep going until every fired run has ended. Then: every completion acknowledged with 200 is
 * {@code completed}; no run was completed twice (one acknowledged completion per run, one completed attempt,
 * one {@code RunCompletedEvent} in the event store); every fired run ended — the abandoned ones by lease
 * expiry and a later attempt. Bounded waits only; no timing is asserted.
 */
class ExecutorCrashIT {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final ObjectMapper JSON = new ObjectMapper();
    static final int AUTOMATIONS = 4;
    static final int RUNS = 120;

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyAcknowledgedCompletionSurvivesKillNineAndEveryOtherRunEnds(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = Map.of("AUTOPLANE_DATA_DIR", dataDir.toString(), "AUTOPLANE_RUNS_LEASE_DURATION", "PT3S");
        Path jar = ServerProcess.jar("target/autoplane-standalone.jar");
        Set<String> fired = ConcurrentHashMap.newKeySet();
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();     // run id -> completions answered 200
        Set<String> abandoned = ConcurrentHashMap.newKeySet();             // leased by the crashed worker, never reported
        AtomicReference<String> url = new AtomicReference<>();
        String token;
        ExecutorService executors = Executors.newFixedThreadPool(8);
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        try {
            try (ServerProcess server = new ServerProcess(jar, env, dataDir.resolve("server.log")).start()) {
                server.awaitHealthy(Duration.ofSeconds(90));
                url.set(server.url());
                token = Files.readString(dataDir.resolve("admin-token")).trim();
                List<String> automations = new ArrayList<>();
                for (int i = 0; i < AUTOMATIONS; i++) {
                    HttpResponse<String> created = send(url.get(), token, "POST", "/automations", "{\"name\":\"crash executors " + i
                            + "\",\"kind\":\"scheduled\",\"status\":\"active\",\"retry\":{\"strategy\":\"fixed\",\"max_retries\":3,"
                            + "\"base_delay\":\"1s\"}}");
                    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                    automations.add(JSON.readTree(created.body()).path("automation").path("id").asText());
                }
                for (int i = 0; i < RUNS; i++) {
                    HttpResponse<String> run = send(url.get(), token, "POST", "/automations/" + automations.get(i % AUTOMATIONS)
                            + "/trigger", "{}");
                    assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
                    fired.add(JSON.readTree(run.body()).path("run").path("id").asText());
                }
                // the crashed worker: leases a few runs and never reports on them
                HttpResponse<String> stolen = send(url.get(), token, "POST", "/runs/lease", "{\"max_runs\":3,\"wait_seconds\":5}");
                assertThat(stolen.statusCode()).as(stolen.body()).isEqualTo(200);
                JSON.readTree(stolen.body()).path("runs").forEach(r -> abandoned.add(r.path("id").asText()));
                assertThat(abandoned).hasSize(3);

                for (int e = 0; e < 8; e++) {
                    executors.submit(() -> executor(url, token, running, acknowledged));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (acknowledged.size() < RUNS / 3 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(acknowledged.size()).as("completions before the kill").isGreaterThanOrEqualTo(RUNS / 3);
                server.kill9(); // mid-flight: the executors hold leases and have reports on the wire
            }
            int beforeKill = acknowledged.size();
            try (ServerProcess server = new ServerProcess(jar, env, dataDir.resolve("server-restarted.log")).start()) {
                server.awaitHealthy(Duration.ofSeconds(90));
                url.set(server.url()); // a new port: the executors follow it
                Map<String, JsonNode> runs = Map.of();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (System.nanoTime() < deadline) {
                    runs = listRuns(server.url(), token);
                    if (runs.keySet().containsAll(fired) && runs.values().stream().allMatch(ExecutorCrashIT::ended)) {
                        break;
                    }
                    Thread.sleep(250);
                }
                running.set(false);
                executors.shutdown();
                assertThat(executors.awaitTermination(40, TimeUnit.SECONDS)).isTrue();
                System.out.printf("executor crash test: %d runs fired, %d completions acknowledged before kill -9, %d in all%n",
                        fired.size(), beforeKill, acknowledged.size());

                assertThat(runs.keySet()).as("every fired run is listed (and no other)").isEqualTo(fired);
                for (String id : fired) {
                    JsonNode run = runs.get(id);
                    String status = run.path("status").asText();
                    assertThat(status).as("run %s ended: %s", id, run).isIn("completed", "failed");
                    long completedAttempts = 0;
                    for (JsonNode a : run.path("attempts")) {
                        if ("completed".equals(a.path("outcome").asText())) {
                            completedAttempts++;
                        }
                    }
                    assertThat(completedAttempts).as("run %s: at most one completed attempt: %s", id, run).isLessThanOrEqualTo(1);
                    if (acknowledged.containsKey(id)) {
                        assertThat(status).as("run %s was acknowledged as completed: %s", id, run).isEqualTo("completed");
                        assertThat(acknowledged.get(id)).as("run %s acknowledged once", id).isEqualTo(1);
                    }
                    if (status.equals("completed")) {
                        assertThat(completedAttempts).as("run %s: its completed attempt: %s", id, run).isEqualTo(1);
                    } else {
                        assertThat(run.path("attempt").asInt()).as("run %s failed with attempts spent: %s", id, run)
                                .isEqualTo(run.path("max_attempts").asInt());
                    }
                }
                for (String id : abandoned) {
                    JsonNode run = runs.get(id);
                    assertThat(run.path("attempts").path(0).path("outcome").asText()).as("abandoned run %s: %s", id, run)
                            .isEqualTo("lease_expired");
                    assertThat(run.path("attempt").asInt()).as("abandoned run %s ran again: %s", id, run).isGreaterThan(1);
                }
            }
        } finally {
            running.set(false);
            executors.shutdownNow();
        }
        // the event store, read after the server stopped: one RunCompletedEvent at most per run
        Map<String, Integer> completedEvents = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("autoplane"), "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT aggregate_identifier, COUNT(*) FROM domain_event_entry"
                     + " WHERE payload_type LIKE '%RunCompletedEvent' GROUP BY aggregate_identifier")) {
            while (rs.next()) {
                completedEvents.put(rs.getString(1), rs.getInt(2));
            }
        }
        assertThat(completedEvents).as("RunCompletedEvents per run").allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        assertThat(completedEvents.keySet()).as("completed runs in the event store").containsAll(acknowledged.keySet());
    }

    /** One executor: lease up to 2 runs, complete each; errors while the server is down are simply retried. */
    private void executor(AtomicReference<String> url, String token, java.util.concurrent.atomic.AtomicBoolean running,
                          Map<String, Integer> acknowledged) {
        while (running.get()) {
            try {
                String node = url.get();
                HttpResponse<String> lease = send(node, token, "POST", "/runs/lease", "{\"max_runs\":2,\"wait_seconds\":1}");
                if (lease.statusCode() != 200) {
                    Thread.sleep(100);
                    continue;
                }
                for (JsonNode run : JSON.readTree(lease.body()).path("runs")) {
                    Thread.sleep(5); // a little work, so leases are held when the kill comes
                    String id = run.path("id").asText();
                    HttpResponse<String> done = send(node, token, "POST", "/runs/" + id + "/complete",
                            "{\"lease_id\":\"" + run.path("lease_id").asText() + "\",\"outputs\":{\"ok\":true}}");
                    if (done.statusCode() == 200) {
                        acknowledged.merge(id, 1, Integer::sum);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the server is down or restarting: an unanswered report is allowed to be lost
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static boolean ended(JsonNode run) {
        return Set.of("completed", "failed", "canceled").contains(run.path("status").asText());
    }

    private Map<String, JsonNode> listRuns(String url, String token) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        String page = null;
        do {
            HttpResponse<String> r = send(url, token, "GET", "/runs?page_size=1000" + (page == null ? "" : "&page_token=" + page), null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            body.path("runs").forEach(run -> out.put(run.path("id").asText(), run));
            page = body.hasNonNull("next_page_token") ? body.get("next_page_token").asText() : null;
        } while (page != null);
        return out;
    }

    private HttpResponse<String> send(String url, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/api/v1/workspaces/" + WS + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
