package dev.autoplane.standalone.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
 * Inbound webhooks survive {@code kill -9}: signed deliveries run concurrently against the standalone
 * process, which is killed in the middle of them and restarted on the same data directory. Every
 * delivery answered {@code 202} has its run afterwards, and sending each answered delivery again (same
 * id, signed anew) fires nothing new: it answers the first answer, or, for a delivery whose answer
 * record the kill cut off, {@code duplicate}.
 */
class WebhookCrashIT {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final Pattern AUTOMATION = Pattern.compile("\"automation\":\\{\"id\":\"([0-9a-f-]{36})\"");
    static final Pattern SECRET = Pattern.compile("\"webhook_secret\":\"(whsec_[A-Za-z0-9+/=]+)\"");
    static final Pattern RUN_ID = Pattern.compile("\"run_id\":\"([0-9a-f-]{36})\"");

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyAnsweredDeliveryHasItsRunAfterKillNineAndFiresOnce(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = Map.of("AUTOPLANE_DATA_DIR", dataDir.toString(),
                "AUTOPLANE_WEBHOOKS_RATE_LIMIT_PER_SECOND", "100000", "AUTOPLANE_WEBHOOKS_RATE_LIMIT_BURST", "100000");
        Path jar = ServerProcess.jar("target/autoplane-standalone.jar");
        Map<String, String> answered = new ConcurrentHashMap<>(); // delivery id -> run id
        String token;
        String slug = "crash-hooks";
        byte[] key;
        String automationId;
        try (ServerProcess server = new ServerProcess(jar, env, dataDir.resolve("server.log")).start()) {
            server.awaitHealthy(Duration.ofSeconds(90));
            token = Files.readString(dataDir.resolve("admin-token")).trim();
            HttpResponse<String> created = post(server, token, "/api/v1/workspaces/" + WS + "/automations",
                    "{\"name\":\"crash hook\",\"kind\":\"scheduled\",\"status\":\"active\"}");
            automationId = find(AUTOMATION, created.body());
            HttpResponse<String> trigger = post(server, token, "/api/v1/workspaces/" + WS + "/automations/" + automationId
                    + "/triggers", "{\"type\":\"webhook\",\"config\":{\"endpoint\":\"" + slug + "\"}}");
            key = Base64.getDecoder().decode(find(SECRET, trigger.body()).substring("whsec_".length()));
            byte[] signingKey = key;
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger attempts = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                int thread = t;
                clients.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        String id = "crash-" + thread + "-" + i;
                        attempts.incrementAndGet();
                        try {
                            HttpResponse<String> r = deliver(server, slug, signingKey, id);
                            Matcher m = RUN_ID.matcher(r.body());
                            if (r.statusCode() == 202 && m.find()) {
                                answered.put(id, m.group(1));
                            }
                        } catch (Exception e) {
                            // the server is being killed: unanswered deliveries may be lost (the sender re-sends)
                        }
                    }
                });
            }
            server.kill9Under(clients, running, Duration.ofSeconds(4));
            System.out.printf("webhook crash test: %d deliveries attempted, %d answered 202 before kill -9%n",
                    attempts.get(), answered.size());
        }
        assertThat(answered).as("some deliveries were answered before the kill").isNotEmpty();
        Instant killed = Instant.now(); // every delivery before this instant reached the first process, every re-send after

        try (ServerProcess server = new ServerProcess(jar, env, dataDir.resolve("server-restarted.log")).start()) {
            server.awaitHealthy(Duration.ofSeconds(90));
            for (Map.Entry<String, String> e : answered.entrySet()) {
                HttpResponse<String> run = awaitRun(server, token, e.getValue());
                assertThat(run.statusCode()).as("run of answered delivery " + e.getKey()).isEqualTo(200);
                assertThat(run.body()).contains("\"trigger_type\":\"webhook\"").contains("/webhook/" + e.getKey());
            }
            // every answered delivery sent again fires nothing new. A delivery the kill cut off after its commit (its
            // answer lost) has its run too, and may be projected later than the read model's lag says (its events can
            // sit in a gap of the token, read by a later batch): so the runs are told apart by when they were made. A
            // run's id carries its delivery's receipt instant (FireIds.runId); a run a re-send made would carry one
            // after the kill.
            for (String id : answered.keySet()) {
                HttpResponse<String> again = deliver(server, slug, key, id);
                assertThat(again.statusCode()).isEqualTo(202);
                assertThat(again.headers().firstValue("Idempotent-Replayed").isPresent()
                        || again.body().contains("\"outcome\":\"duplicate\"")).as("re-sent " + id + ": " + again.body()).isTrue();
            }
            Thread.sleep(1_000);
            awaitProjected(server, token);
            Set<String> runs = runIds(server, token, automationId);
            assertThat(runs).as("every answered delivery's run").containsAll(answered.values());
            assertThat(runs).as("no run made by the re-sent deliveries (made after the kill)")
                    .noneMatch(run -> madeAt(run).isAfter(killed));
            System.out.printf("webhook crash test: after restart all %d answered deliveries have their run; re-sent, none fired%n",
                    answered.size());
        }
    }

    HttpResponse<String> deliver(ServerProcess server, String slug, byte[] key, String id) throws Exception {
        long ts = Instant.now().getEpochSecond();
        String body = "{\"event\":\"crash\",\"id\":\"" + id + "\"}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal((id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8)));
        return client.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/webhooks/workspaces/" + WS + "/" + slug))
                .header("Content-Type", "application/json").header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(ts)).header("webhook-signature", "v1," + signature)
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> awaitRun(ServerProcess server, String token, String runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> r;
        do {
            r = get(server, token, "/api/v1/workspaces/" + WS + "/runs/" + runId);
        } while (r.statusCode() == 404 && System.nanoTime() < deadline && sleep());
        return r;
    }

    /** Until every projection here has handled the whole log (GET /admin/projections: each lag 0). */
    void awaitProjected(ServerProcess server, String token) throws Exception {
        Pattern lag = Pattern.compile("\"lag\":(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String body = get(server, token, "/api/v1/admin/projections").body();
            Matcher m = lag.matcher(body);
            boolean any = false;
            boolean behind = false;
            while (m.find()) {
                any = true;
                behind |= Long.parseLong(m.group(1)) > 0;
            }
            if (any && !behind) {
                return;
            }
            assertThat(System.nanoTime()).as("projections caught up within 30 s: " + body).isLessThan(deadline);
            sleep();
        }
    }

    /** The instant a run id carries (a UUIDv7's first 48 bits, FireIds.runId: its delivery's receipt). */
    static Instant madeAt(String runId) {
        return Instant.ofEpochMilli(java.util.UUID.fromString(runId).getMostSignificantBits() >>> 16);
    }

    Set<String> runIds(ServerProcess server, String token, String automationId) throws Exception {
        Set<String> ids = new java.util.TreeSet<>();
        String page = null;
        Pattern id = Pattern.compile("\\{\"id\":\"([0-9a-f-]{36})\"");
        Pattern next = Pattern.compile("\"next_page_token\":\"([^\"]+)\"");
        do {
            HttpResponse<String> r = get(server, token, "/api/v1/workspaces/" + WS + "/runs?page_size=1000&automation_id="
                    + automationId + (page == null ? "" : "&page_token=" + page));
            Matcher m = id.matcher(r.body());
            while (m.find()) {
                ids.add(m.group(1));
            }
            Matcher n = next.matcher(r.body());
            page = n.find() ? n.group(1) : null;
        } while (page != null);
        return ids;
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(300);
        return true;
    }

    HttpResponse<String> post(ServerProcess server, String token, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(ServerProcess server, String token, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("unexpected answer: " + body.replaceAll("whsec_[A-Za-z0-9+/=]+", "whsec_…"));
        }
        return m.group(1);
    }
}
