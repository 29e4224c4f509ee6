package dev.autoplane.standalone.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing acknowledged is lost: creates run concurrently against the standalone process, which is
 * killed with SIGKILL in the middle of them, then restarted on the same data directory. Every
 * create that was answered 201 must be readable, listed, and have its history; every read model row
 * must agree with the event store (its version is the last sequence number of its history).
 */
class CrashRecoveryIT {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final Pattern ID = Pattern.compile("\"automation\":\\{\"id\":\"([0-9a-f-]{36})\"");
    static final Pattern SEQUENCE = Pattern.compile("\"sequence_number\":(\\d+)");

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyAcknowledgedCreateSurvivesKillNine(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = Map.of("AUTOPLANE_DATA_DIR", dataDir.toString());
        Path jar = ServerProcess.jar("target/autoplane-standalone.jar");
        Map<String, String> acknowledged = new ConcurrentHashMap<>();   // id -> name
        String token;
        try (ServerProcess server = new ServerProcess(jar, env, dataDir.resolve("server.log")).start()) {
            server.awaitHealthy(Duration.ofSeconds(90));
            token = Files.readString(dataDir.resolve("admin-token")).trim();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger attempts = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                int thread = t;
                clients.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        String name = "crash " + thread + "-" + i;
                        attempts.incrementAndGet();
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url()
                                            + "/api/v1/workspaces/" + WS + "/automations"))
                                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(10))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"kind\":\"scheduled\"}"))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            Matcher m = ID.matcher(r.body());
                            if (r.statusCode() == 201 && m.find()) {
                                acknowledged.put(m.group(1), name);
                            }
                        } catch (Exception e) {
                            // the server is being killed: unanswered requests are allowed to be lost
                        }
                    }
                });
            }
            server.kill9Under(clients, running, Duration.ofSeconds(4));
            System.out.printf("crash test: %d creates attempted, %d acknowledged before kill -9%n",
                    attempts.get(), acknowledged.size());
        }
        assertThat(acknowledged).as("some creates were acknowledged before the kill").isNotEmpty();

        try (ServerProcess server = new ServerProcess(jar, env, dataDir.resolve("server-restarted.log")).start()) {
            server.awaitHealthy(Duration.ofSeconds(90));
            // the restarted projections catch up from their tokens: wait until every acknowledged id is listed
            Map<String, Integer> listed = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                listed = server.automationVersions(token, WS);
            } while (!listed.keySet().containsAll(acknowledged.keySet()) && System.nanoTime() < deadline && sleep());
            assertThat(listed.keySet()).as("listed after restart").containsAll(acknowledged.keySet());

            Set<String> names = new HashSet<>();
            for (Map.Entry<String, Integer> row : listed.entrySet()) {
                HttpResponse<String> history = server.get(token, "/api/v1/workspaces/" + WS + "/automations/" + row.getKey() + "/history");
                assertThat(history.statusCode()).isEqualTo(200);
                assertThat(history.body()).contains("\"event_type\":\"AutomationCreatedEvent\"");
                List<Integer> sequences = new ArrayList<>();
                Matcher s = SEQUENCE.matcher(history.body());
                while (s.find()) {
                    sequences.add(Integer.parseInt(s.group(1)));
                }
                for (int i = 0; i < sequences.size(); i++) {
                    assertThat(sequences.get(i)).as("gap-free sequence of " + row.getKey()).isEqualTo(i);
                }
                assertThat(row.getValue()).as("read model version of " + row.getKey() + " = last event")
                        .isEqualTo(sequences.get(sequences.size() - 1));
                HttpResponse<String> one = server.get(token, "/api/v1/workspaces/" + WS + "/automations/" + row.getKey());
                assertThat(one.statusCode()).isEqualTo(200);
                Matcher n = Pattern.compile("\"name\":\"([^\"]+)\"").matcher(one.body());
                assertThat(n.find()).isTrue();
                assertThat(names.add(n.group(1))).as("name " + n.group(1) + " created once").isTrue();
            }
            System.out.printf("crash test: after restart %d automations listed, all %d acknowledged ones among them%n",
                    listed.size(), acknowledged.size());
        }
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(300);
        return true;
    }

}
