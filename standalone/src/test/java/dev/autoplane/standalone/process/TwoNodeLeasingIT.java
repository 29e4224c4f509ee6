package dev.autoplane.standalone.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.autoplane.standalone.process.FireLedger.WS;
import static dev.autoplane.standalone.process.FireLedger.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one PostgreSQL, eight executors leasing from both at once: every run is leased to exactly
 * one executor, and each is completed once (reports sent to either node).
 */
class TwoNodeLeasingIT {

    static final int RUNS = 40;
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachRunIsLeasedToOneExecutorAcrossTwoNodes(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Map<String, String> common = ServerProcess.postgresMode(postgres);
            Path jar = ServerProcess.jar("target/autoplane-standalone.jar");
            Path dataA = Files.createDirectories(dir.resolve("a"));
            Path dataB = Files.createDirectories(dir.resolve("b"));
            HttpClient client = HttpClient.newHttpClient();
            try (ServerProcess a = new ServerProcess(jar, ServerProcess.with(common, "AUTOPLANE_DATA_DIR", dataA.toString()), dir.resolve("a.log")).start()) {
                a.awaitHealthy(Duration.ofSeconds(120));
                try (ServerProcess b = new ServerProcess(jar, ServerProcess.with(common, "AUTOPLANE_DATA_DIR", dataB.toString()), dir.resolve("b.log")).start()) {
                    b.awaitHealthy(Duration.ofSeconds(120));
                    String token = Files.readString(dataA.resolve("admin-token")).trim();
                    List<String> nodes = List.of(a.url(), b.url());
                    HttpResponse<String> created = send(client, "POST", a.url() + "/api/v1/workspaces/" + WS + "/automations",
                            token, "{\"name\":\"leased " + System.nanoTime() + "\",\"kind\":\"scheduled\",\"status\":\"active\"}");
                    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                    String id = JSON.readTree(created.body()).path("automation").path("id").asText();

                    Set<String> fired = ConcurrentHashMap.newKeySet();
                    for (int i = 0; i < RUNS; i++) {
                        // fired on one node: a manual fire decides on the node's cached automation
                        HttpResponse<String> run = send(client, "POST", a.url() + "/api/v1/workspaces/" + WS
                                + "/automations/" + id + "/trigger", token, "{}");
                        assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
                        fired.add(JSON.readTree(run.body()).path("run").path("id").asText());
                    }

                    List<String> leased = new CopyOnWriteArrayList<>();
                    List<String> completed = new CopyOnWriteArrayList<>();
                    ExecutorService executors = Executors.newFixedThreadPool(8);
                    List<Future<?>> work = new ArrayList<>();
                    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                    for (int e = 0; e < 8; e++) {
                        String node = nodes.get(e % 2);
                        String other = nodes.get((e + 1) % 2);
                        work.add(executors.submit(() -> {
                            while (completed.size() < RUNS && System.nanoTime() < deadline) {
                                HttpResponse<String> answer = send(client, "POST", node + "/api/v1/workspaces/" + WS
                                        + "/runs/lease", token, "{\"automation_id\":\"" + id + "\",\"max_runs\":3,\"wait_seconds\":1}");
                                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                                for (JsonNode run : JSON.readTree(answer.body()).path("runs")) {
                                    String runId = run.path("id").asText();
                                    leased.add(runId);
                                    HttpResponse<String> done = send(client, "POST", other + "/api/v1/workspaces/" + WS
                                            + "/runs/" + runId + "/complete", token,
                                            "{\"lease_id\":\"" + run.path("lease_id").asText() + "\"}");
                                    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
                                    completed.add(runId);
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : work) {
                        f.get();
                    }
                    executors.shutdownNow();
                    assertThat(leased).as("each run leased once").doesNotHaveDuplicates();
                    assertThat(Set.copyOf(leased)).isEqualTo(fired);
                    assertThat(Set.copyOf(completed)).isEqualTo(fired);
                }
            }
        }
    }

}
