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
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} in the middle of group commits: many concurrent clients (so commands share
 * batches all the time) create automations, each with an {@code Idempotency-Key}, and update a
 * few existing ones, until the process is killed. After a restart on the same data directory:
 * <ul>
 * <li>everything acknowledged is there: every create answered {@code 201}, listed, with a gap-free
 * history that the read model agrees with; every update answered {@code 200} is in its
 * automation's history;</li>
 * <li>nothing is applied twice: every create attempted, answered or not, is sent again with its key
 * and body, and answers the id it was acknowledged with (or, unanswered, one id); in the end each
 * key made exactly one automation and each name exists once; no automation has more updates than
 * were sent to it;</li>
 * <li>nothing unacknowledged is half-applied: the repeat of an unanswered create either finds what
 * its first attempt committed whole or creates it now; never a name held without its automation
 * ({@code name_taken}) or a key marked without its automation.</li>
 * </ul>
 */
class GroupCommitCrashIT {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final Pattern ID = Pattern.compile("\"automation\":\\{\"id\":\"([0-9a-f-]{36})\"");
    static final Pattern SEQUENCE = Pattern.compile("\"sequence_number\":(\\d+)");
    static final Pattern NEXT = Pattern.compile("\"next_page_token\":\"([^\"]+)\"");
    static final int CREATORS = 24;
    static final int UPDATERS = 8;

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void killNineMidBatchLosesNothingAcknowledgedAndAppliesNothingTwice(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = Map.of("AUTOPLANE_DATA_DIR", dataDir.toString());
        Path jar = ServerProcess.jar("target/autoplane-standalone.jar");
        Map<String, String> attempted = new ConcurrentHashMap<>();     // key -> name
        Map<String, String> acknowledged = new ConcurrentHashMap<>();  // key -> id
        List<String> targets = new ArrayList<>();
        Map<String, AtomicInteger> updatesSent = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> updatesAcknowledged = new ConcurrentHashMap<>();
        String token;
        try (ServerProcess server = new ServerProcess(jar, env, dataDir.resolve("server.log")).start()) {
            server.awaitHealthy(Duration.ofSeconds(90));
            token = Files.readString(dataDir.resolve("admin-token")).trim();
            for (int i = 0; i < UPDATERS; i++) {
                HttpResponse<String> r = create(server.url(), token, "target-" + i, "update target " + i);
                assertThat(r.statusCode()).isEqualTo(201);
                Matcher m = ID.matcher(r.body());
                assertThat(m.find()).isTrue();
                targets.add(m.group(1));
                updatesSent.put(m.group(1), new AtomicInteger());
                updatesAcknowledged.put(m.group(1), new AtomicInteger());
            }
            AtomicBoolean running = new AtomicBoolean(true);
            String url = server.url();
            String bearer = token;
            ExecutorService clients = Executors.newFixedThreadPool(CREATORS + UPDATERS);
            for (int t = 0; t < CREATORS; t++) {
                int thread = t;
                clients.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        String key = "gc-" + thread + "-" + i;
                        String name = "group crash " + thread + "-" + i;
                        attempted.put(key, name);
                        try {
                            HttpResponse<String> r = create(url, bearer, key, name);
                            Matcher m = ID.matcher(r.body());
                            if (r.statusCode() == 201 && m.find()) {
                                acknowledged.put(key, m.group(1));
                            }
                        } catch (Exception e) {
                            // the server is being killed: unanswered requests may or may not have been applied
                        }
                    }
                });
            }
            for (int t = 0; t < UPDATERS; t++) {
                String id = targets.get(t);
                clients.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        updatesSent.get(id).incrementAndGet();
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/workspaces/"
                                            + WS + "/automations/" + id))
                                    .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(10))
                                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"description\":\"update " + i + "\"}"))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                updatesAcknowledged.get(id).incrementAndGet();
                            }
                        } catch (Exception e) {
                            // as above
                        }
                    }
                });
            }
            server.kill9Under(clients, running, Duration.ofSeconds(5));
            System.out.printf("group commit crash test: %d creates attempted, %d acknowledged; %d updates sent, %d acknowledged%n",
                    attempted.size(), acknowledged.size(),
                    updatesSent.values().stream().mapToInt(AtomicInteger::get).sum(),
                    updatesAcknowledged.values().stream().mapToInt(AtomicInteger::get).sum());
        }
        assertThat(acknowledged).as("some creates were acknowledged before the kill").isNotEmpty();
        assertThat(Files.readString(dataDir.resolve("server.log"))).as("commands shared commits before the kill")
                .contains("group commit: the first shared commit");

        try (ServerProcess server = new ServerProcess(jar, env, dataDir.resolve("server-restarted.log")).start()) {
            server.awaitHealthy(Duration.ofSeconds(90));
            Set<String> acknowledgedIds = new HashSet<>(acknowledged.values());
            Map<String, Integer> listed;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                listed = server.automationVersions(token, WS);
            } while (!listed.keySet().containsAll(acknowledgedIds) && System.nanoTime() < deadline && sleep());
            assertThat(listed.keySet()).as("every acknowledged create is listed after the restart").containsAll(acknowledgedIds);

            // every update acknowledged is in its automation's history, and none is there twice
            int perCreate = sequences(server, token, acknowledged.values().iterator().next()).size();
            for (String id : targets) {
                List<Integer> sequences = sequences(server, token, id);
                int updates = sequences.size() - perCreate;
                assertThat(updates).as("updates of %s stored", id)
                        .isGreaterThanOrEqualTo(updatesAcknowledged.get(id).get())
                        .isLessThanOrEqualTo(updatesSent.get(id).get());
            }

            // every attempted create again, with its key and body: one automation per key, the acknowledged id for an acknowledged key
            ExecutorService repeats = Executors.newFixedThreadPool(16);
            Map<String, Future<HttpResponse<String>>> answers = new HashMap<>();
            for (Map.Entry<String, String> a : attempted.entrySet()) {
                answers.put(a.getKey(), repeats.submit(() -> create(server.url(), token, a.getKey(), a.getValue())));
            }
            Map<String, String> idOfKey = new HashMap<>();
            for (Map.Entry<String, Future<HttpResponse<String>>> answer : answers.entrySet()) {
                HttpResponse<String> r = answer.getValue().get();
                assertThat(r.statusCode()).as("repeat of %s: %s", answer.getKey(), r.body()).isIn(200, 201);
                Matcher m = ID.matcher(r.body());
                assertThat(m.find()).as("repeat of %s: %s", answer.getKey(), r.body()).isTrue();
                idOfKey.put(answer.getKey(), m.group(1));
                if (acknowledged.containsKey(answer.getKey())) {
                    assertThat(m.group(1)).as("the acknowledged id of " + answer.getKey()).isEqualTo(acknowledged.get(answer.getKey()));
                }
            }
            repeats.shutdown();
            assertThat(new HashSet<>(idOfKey.values())).as("one automation per key").hasSize(attempted.size());

            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                listed = server.automationVersions(token, WS);
            } while (listed.size() < attempted.size() + UPDATERS && System.nanoTime() < deadline && sleep());
            assertThat(listed).as("exactly the automations of the keys, and the update targets").hasSize(attempted.size() + UPDATERS);
            assertThat(listed.keySet()).containsAll(idOfKey.values());

            Set<String> names = new HashSet<>();
            for (Map.Entry<String, Integer> row : listed.entrySet()) {
                List<Integer> sequences = sequences(server, token, row.getKey());
                for (int i = 0; i < sequences.size(); i++) {
                    assertThat(sequences.get(i)).as("gap-free sequence of " + row.getKey()).isEqualTo(i);
                }
                int last = sequences.get(sequences.size() - 1);
                int version = row.getValue() == last ? last : awaitVersion(server, token, row.getKey(), last);
                assertThat(version).as("read model version of %s = last event; the servers' errors and warnings:%n%s",
                        row.getKey(), problems(dataDir)).isEqualTo(last);
                HttpResponse<String> one = server.get(token, "/api/v1/workspaces/" + WS + "/automations/" + row.getKey());
                assertThat(one.statusCode()).isEqualTo(200);
                Matcher n = Pattern.compile("\"name\":\"([^\"]+)\"").matcher(one.body());
                assertThat(n.find()).isTrue();
                assertThat(names.add(n.group(1))).as("name " + n.group(1) + " created once").isTrue();
            }
            System.out.printf("group commit crash test: after restart and repeats %d automations, one per key%n", listed.size());
        }
    }

    private HttpResponse<String> create(String url, String token, String key, String name) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/workspaces/" + WS + "/automations"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"kind\":\"scheduled\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Integer> sequences(ServerProcess server, String token, String id) throws Exception {
        List<Integer> sequences = new ArrayList<>();
        String page = null;
        do {
            HttpResponse<String> history = server.get(token, "/api/v1/workspaces/" + WS + "/automations/" + id
                    + "/history?page_size=1000" + (page == null ? "" : "&page_token=" + page));
            assertThat(history.statusCode()).isEqualTo(200);
            if (page == null) {
                assertThat(history.body()).contains("\"event_type\":\"AutomationCreatedEvent\"");
            }
            Matcher s = SEQUENCE.matcher(history.body());
            while (s.find()) {
                sequences.add(Integer.parseInt(s.group(1)));
            }
            Matcher next = NEXT.matcher(history.body());
            page = next.find() ? next.group(1) : null;
        } while (page != null);
        return sequences;
    }

    /**
     * The version the read model shows for one automation once it reaches {@code last} or 15 s have passed: a
     * projection batch that failed is tried again (and must then catch up); one that went past an event never does.
     */
    private static int awaitVersion(ServerProcess server, String token, String id, int last) throws Exception {
        Pattern versionPattern = Pattern.compile("\"version\":(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int version;
        do {
            Matcher v = versionPattern.matcher(server.get(token, "/api/v1/workspaces/" + WS + "/automations/" + id).body());
            version = v.find() ? Integer.parseInt(v.group(1)) : -1;
        } while (version != last && System.nanoTime() < deadline && sleep());
        return version;
    }

    /** The ERROR and WARN lines of both server logs, for a failure's message. */
    private static String problems(Path dataDir) throws java.io.IOException {
        StringBuilder out = new StringBuilder();
        for (String log : List.of("server.log", "server-restarted.log")) {
            try (java.util.stream.Stream<String> lines = Files.lines(dataDir.resolve(log))) {
                lines.filter(l -> l.contains(" ERROR ") || l.contains(" WARN ")).limit(40)
                        .forEach(l -> out.append(log).append(": ").append(l).append('\n'));
            }
        }
        return out.toString();
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(300);
        return true;
    }

}
