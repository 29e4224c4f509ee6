package dev.autoplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P10 (issue 10): whole-lifecycle runs/s — fire → lease → complete — over HTTP on the embedded default, and the
 * same work on db-scheduler (a no-op one-time task) in the same run, as the ratio.
 *
 * <p><b>Autoplane</b>: a fresh standalone (temporary data directory, embedded H2; {@code JAVA_OPTS} from the
 * environment go to the <i>server</i>, e.g. a JFR recording). {@code --automations} active automations (no retry:
 * one attempt per run). {@code --firers} threads fire runs with {@code POST .../automations/{id}/trigger} (round
 * robin over the automations, so no automation's lock is a hot spot), each fire taking a permit of a window of
 * {@code --window} runs fired and not yet completed: the executors never starve while the server can fire
 * faster than it completes (the report counts empty lease answers: if there are many, firing was the limit),
 * and latency is not a queue that grows without bound. {@code --executors} (16) threads long-poll
 * {@code POST .../runs/lease {max_runs, wait_seconds: 1}} and complete each leased run
 * ({@code POST .../runs/{id}/complete {lease_id}}); a completion acknowledged 200 releases a permit. Runs/s =
 * completions acknowledged per second in each round; latency = from sending the trigger to the complete's 200.
 * At the end the firers stop, the executors drain, and {@code GET .../runs} (all pages) must show every fired
 * run {@code completed} with exactly one attempt, and no other run; every complete was acknowledged once.
 *
 * <p><b>db-scheduler</b> (after Autoplane is stopped, in this JVM): a no-op one-time task on an H2 file
 * database ({@code WRITE_DELAY=0}) with 16 threads, polling every 10 ms with immediate execution on; the same
 * firers schedule one-time executions due now under the same window; a completion is counted after
 * db-scheduler removed the execution (its durable "done"). No HTTP, no authentication, no history: the least
 * a durable fire → execute → done can cost here.
 *
 * <p>Last line: {@code P10 ratio=<autoplane/db-scheduler> autoplane=<runs/s> db_scheduler=<runs/s> p99_ms=<…>}.
 */
public final class LifecycleBench {

    static final String WS = CommandThroughputBench.WS;
    static final ObjectMapper JSON = new ObjectMapper();

    /** What one system did: completions over time, fire and completion instants per run id. */
    static final class Tally {
        final AtomicLong completed = new AtomicLong();
        final AtomicLong fired = new AtomicLong();
        final AtomicLong fireErrors = new AtomicLong();
        final AtomicLong completeErrors = new AtomicLong();
        final AtomicLong emptyLeases = new AtomicLong();
        final AtomicLong leases = new AtomicLong();
        final Map<String, Long> firedAt = new ConcurrentHashMap<>();
        final Map<String, Long> completedAt = new ConcurrentHashMap<>();
        final Map<String, Integer> completions = new ConcurrentHashMap<>();
        final AtomicBoolean firing = new AtomicBoolean(true);
        final AtomicBoolean running = new AtomicBoolean(true);
        final Semaphore window;

        Tally(int window) {
            this.window = new Semaphore(window);
        }

        void done(String id) {
            long now = System.nanoTime();
            completedAt.putIfAbsent(id, now);
            if (completions.merge(id, 1, Integer::sum) == 1) {
                completed.incrementAndGet();
                window.release();
            }
        }
    }

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final String token;

    LifecycleBench(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        boolean baseline = !Arrays.asList(args).contains("--no-db-scheduler");
        int rounds = Integer.parseInt(ClosedLoop.arg(args, "--rounds", quick ? "3" : "5"));
        int seconds = Integer.parseInt(ClosedLoop.arg(args, "--seconds", quick ? "8" : "10"));
        int warmup = Integer.parseInt(ClosedLoop.arg(args, "--warmup", quick ? "10" : "20"));
        int executors = Integer.parseInt(ClosedLoop.arg(args, "--executors", "16"));
        int firers = Integer.parseInt(ClosedLoop.arg(args, "--firers", "8"));
        int automations = Integer.parseInt(ClosedLoop.arg(args, "--automations", "32"));
        int batch = Integer.parseInt(ClosedLoop.arg(args, "--max-runs", "8"));
        int window = Integer.parseInt(ClosedLoop.arg(args, "--window", "256"));
        String serverOpts = System.getenv().getOrDefault("JAVA_OPTS", "");

        System.out.printf(Locale.ROOT, "P10 whole-lifecycle runs/s — %d cores, %d executors (lease max_runs %d), %d firers over"
                        + " %d automations, window %d, warm-up %d s, %d rounds x %d s; load %s%n",
                Runtime.getRuntime().availableProcessors(), executors, batch, firers, automations, window, warmup, rounds,
                seconds, SchedulerBench.uptime());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "P10");
        json.put("started", Instant.now().toString());
        json.put("executors", executors);
        json.put("firers", firers);
        json.put("automations", automations);
        json.put("max_runs", batch);
        json.put("window", window);

        double[] autoplane;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("autoplane-p10");
        Path jar = Path.of(ClosedLoop.arg(args, "--jar", "standalone/target/autoplane-standalone.jar"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        if (!serverOpts.isBlank()) {
            command.addAll(Arrays.asList(serverOpts.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile());
        pb.environment().put("SERVER_PORT", String.valueOf(port));
        pb.environment().put("AUTOPLANE_DATA_DIR", dataDir.toString());
        pb.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        pb.environment().remove("JAVA_OPTS");
        Process server = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroyForcibly));
        boolean ok;
        try {
            String url = "http://127.0.0.1:" + port;
            LifecycleBench bench = new LifecycleBench(url, CommandThroughputBench.waitForAdminToken(url, dataDir));
            System.out.printf(Locale.ROOT, "%n== Autoplane (%s, data %s%s) ==%n", url, dataDir,
                    serverOpts.isBlank() ? "" : ", server JAVA_OPTS " + serverOpts);
            List<String> ids = bench.createAutomations(automations);
            Tally tally = new Tally(window);
            List<Thread> threads = new ArrayList<>();
            AtomicLong next = new AtomicLong();
            for (int i = 0; i < firers; i++) {
                threads.add(start("fire-" + i, () -> bench.fire(tally, ids, next)));
            }
            for (int i = 0; i < executors; i++) {
                threads.add(start("exec-" + i, () -> bench.execute(tally, batch)));
            }
            autoplane = measure("Autoplane", tally, warmup, rounds, seconds);
            ok = bench.drainAndVerify(tally, threads, json);
            json.put("autoplane", result(autoplane, tally));
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (!serverOpts.isBlank()) {
            System.out.println(" server log and any recording: " + dataDir);
        } else {
            deleteTree(dataDir);
        }

        double[] reference = null;
        if (baseline) {
            reference = dbScheduler(json, executors, firers, window, warmup, rounds, seconds);
            ok &= Boolean.TRUE.equals(json.get("db_scheduler_verified"));
        }
        Path out = Path.of("bench/results");
        Files.createDirectories(out);
        Path file = out.resolve("p10-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        System.out.println("\n wrote " + file);
        if (!ok) {
            System.out.println(" VERIFICATION FAILED (see above)");
        }
        if (reference != null) {
            System.out.printf(Locale.ROOT, "P10 ratio=%.2f autoplane=%.0f db_scheduler=%.0f p99_ms=%.1f%n",
                    autoplane[0] / reference[0], autoplane[0], reference[0], autoplane[2]);
        } else {
            System.out.printf(Locale.ROOT, "P10 autoplane=%.0f p99_ms=%.1f%n", autoplane[0], autoplane[2]);
        }
        System.exit(ok ? 0 : 1);
    }

    static Map<String, Object> result(double[] r, Tally t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs_per_s_median", r[0]);
        m.put("runs_per_s_min", r[3]);
        m.put("runs_per_s_max", r[4]);
        m.put("p50_ms", r[1]);
        m.put("p99_ms", r[2]);
        m.put("fired", t.fired.get());
        m.put("completed", t.completed.get());
        m.put("fire_errors", t.fireErrors.get());
        m.put("complete_errors", t.completeErrors.get());
        m.put("leases", t.leases.get());
        m.put("empty_leases", t.emptyLeases.get());
        return m;
    }

    static Thread start(String name, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                System.out.println(" " + name + " stopped: " + e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * Warm-up, then rounds: answers {median runs/s, p50 ms, p99 ms, min, max} (latency over the rounds' runs:
     * fired and completed within the measured rounds).
     */
    static double[] measure(String label, Tally tally, int warmup, int rounds, int seconds) throws InterruptedException {
        Thread.sleep(warmup * 1000L);
        System.out.printf(Locale.ROOT, " warm-up: %d completed in %d s%n", tally.completed.get(), warmup);
        System.out.printf(Locale.ROOT, " %5s %10s %10s %12s %8s%n", "round", "runs/s", "fired/s", "empty leases", "load");
        long measuredFrom = System.nanoTime();
        double[] rps = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long c0 = tally.completed.get();
            long f0 = tally.fired.get();
            long e0 = tally.emptyLeases.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            rps[r] = (tally.completed.get() - c0) / elapsed;
            System.out.printf(Locale.ROOT, " %5d %10.0f %10.0f %12d %8s%n", r + 1, rps[r], (tally.fired.get() - f0) / elapsed,
                    tally.emptyLeases.get() - e0, SchedulerBench.uptime());
        }
        long measuredTo = System.nanoTime();
        long[] latency = tally.firedAt.entrySet().stream()
                .filter(e -> e.getValue() >= measuredFrom && e.getValue() < measuredTo)
                .map(e -> {
                    Long done = tally.completedAt.get(e.getKey());
                    return done == null ? null : done - e.getValue();
                })
                .filter(x -> x != null).mapToLong(Long::longValue).sorted().toArray();
        double[] sorted = rps.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double p50 = ClosedLoop.pct(latency, 0.5);
        double p99 = ClosedLoop.pct(latency, 0.99);
        System.out.printf(Locale.ROOT, " %s: median %.0f runs/s (min %.0f, max %.0f); fire → completed p50 %.1f ms, p99 %.1f ms"
                + " (%d runs fired and completed in the rounds)%n", label, median, sorted[0], sorted[sorted.length - 1], p50, p99,
                latency.length);
        return new double[]{median, p50, p99, sorted[0], sorted[sorted.length - 1]};
    }

    // ------------------------------------------------------------------ Autoplane over HTTP

    List<String> createAutomations(int n) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = send("POST", "/api/v1/workspaces/" + WS + "/automations",
                    "{\"name\":\"p10 " + i + " " + System.nanoTime() + "\",\"kind\":\"scheduled\",\"status\":\"active\"}");
            if (r.statusCode() != 201) {
                throw new IllegalStateException("create: " + r.statusCode() + " " + r.body());
            }
            ids.add(JSON.readTree(r.body()).path("automation").path("id").asText());
        }
        return ids;
    }

    void fire(Tally tally, List<String> automations, AtomicLong next) throws Exception {
        while (tally.firing.get()) {
            if (!tally.window.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                continue;
            }
            String id = automations.get((int) (next.getAndIncrement() % automations.size()));
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = send("POST", "/api/v1/workspaces/" + WS + "/automations/" + id + "/trigger", "{}");
                if (r.statusCode() == 202) {
                    tally.firedAt.put(JSON.readTree(r.body()).path("run").path("id").asText(), t0);
                    tally.fired.incrementAndGet();
                    continue;
                }
                tally.fireErrors.incrementAndGet();
            } catch (IOException e) {
                tally.fireErrors.incrementAndGet();
            }
            tally.window.release();
        }
    }

    void execute(Tally tally, int batch) throws Exception {
        String lease = "{\"max_runs\":" + batch + ",\"wait_seconds\":1}";
        while (tally.running.get()) {
            HttpResponse<String> r;
            try {
                r = send("POST", "/api/v1/workspaces/" + WS + "/runs/lease", lease);
            } catch (IOException e) {
                Thread.sleep(100);
                continue;
            }
            if (r.statusCode() != 200) {
                System.out.println(" lease answered " + r.statusCode() + ": " + r.body());
                Thread.sleep(100);
                continue;
            }
            tally.leases.incrementAndGet();
            JsonNode runs = JSON.readTree(r.body()).path("runs");
            if (runs.isEmpty()) {
                tally.emptyLeases.incrementAndGet();
            }
            for (JsonNode run : runs) {
                String id = run.path("id").asText();
                HttpResponse<String> done = send("POST", "/api/v1/workspaces/" + WS + "/runs/" + id + "/complete",
                        "{\"lease_id\":\"" + run.path("lease_id").asText() + "\"}");
                if (done.statusCode() == 200) {
                    tally.done(id);
                } else {
                    tally.completeErrors.incrementAndGet();
                    System.out.println(" complete " + id + " answered " + done.statusCode() + ": " + done.body());
                }
            }
        }
    }

    /** Stops firing, lets the executors finish what was fired, and checks the run list against it. */
    boolean drainAndVerify(Tally tally, List<Thread> threads, Map<String, Object> json) throws Exception {
        tally.firing.set(false);
        Thread.sleep(500); // a trigger in flight when firing stopped is still counted
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !tally.completions.keySet().containsAll(tally.firedAt.keySet())) {
            Thread.sleep(100);
        }
        tally.running.set(false);
        for (Thread t : threads) {
            t.join(5_000);
        }
        boolean ok = true;
        long twice = tally.completions.values().stream().filter(n -> n > 1).count();
        if (twice > 0) {
            System.out.println(" FAILED: " + twice + " runs acknowledged as completed more than once");
            ok = false;
        }
        // the read model is eventually consistent: wait (bounded) until it shows every fired run ended
        Map<String, JsonNode> listed = Map.of();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            listed = listRuns();
            boolean settled = listed.keySet().containsAll(tally.firedAt.keySet())
                    && listed.values().stream().noneMatch(r -> List.of("scheduled", "running").contains(r.path("status").asText()));
            if (settled) {
                break;
            }
            Thread.sleep(500);
        }
        int notCompleted = 0;
        int wrongAttempts = 0;
        int missing = 0;
        for (String id : tally.firedAt.keySet()) {
            JsonNode run = listed.get(id);
            if (run == null) {
                missing++;
                continue;
            }
            if (!"completed".equals(run.path("status").asText())) {
                notCompleted++;
            }
            JsonNode attempts = run.path("attempts");
            if (run.path("attempt").asInt() != 1 || attempts.size() != 1
                    || !"completed".equals(attempts.path(0).path("outcome").asText())) {
                wrongAttempts++;
            }
        }
        long unknown = listed.keySet().stream().filter(id -> !tally.firedAt.containsKey(id)).count();
        System.out.printf(Locale.ROOT, " verified: %d fired (%d fire errors), %d completions acknowledged (%d complete errors),"
                        + " %d listed; not listed %d, not completed %d, attempts other than one completed %d, unknown runs %d,"
                        + " completed twice %d; %d lease calls, %d empty%n",
                tally.firedAt.size(), tally.fireErrors.get(), tally.completed.get(), tally.completeErrors.get(), listed.size(),
                missing, notCompleted, wrongAttempts, unknown, twice, tally.leases.get(), tally.emptyLeases.get());
        ok &= missing == 0 && notCompleted == 0 && wrongAttempts == 0 && unknown == 0;
        json.put("autoplane_verified", ok);
        return ok;
    }

    Map<String, JsonNode> listRuns() throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        String page = null;
        do {
            HttpResponse<String> r = send("GET", "/api/v1/workspaces/" + WS + "/runs?page_size=1000"
                    + (page == null ? "" : "&page_token=" + page), null);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET runs: " + r.statusCode() + " " + r.body());
            }
            JsonNode body = JSON.readTree(r.body());
            for (JsonNode run : body.path("runs")) {
                out.put(run.path("id").asText(), run);
            }
            page = body.hasNonNull("next_page_token") ? body.get("next_page_token").asText() : null;
        } while (page != null);
        return out;
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ db-scheduler

    static double[] dbScheduler(Map<String, Object> json, int threads, int firers, int window, int warmup, int rounds,
                                int seconds) throws Exception {
        Path dir = Files.createTempDirectory("autoplane-p10-dbscheduler");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(threads + firers + 4);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                // db-scheduler's documented DDL for H2/HSQL, with the priority column of 15.x+
                s.execute("CREATE TABLE scheduled_tasks (task_name VARCHAR(100) NOT NULL, task_instance VARCHAR(100) NOT NULL,"
                        + " task_data BLOB, execution_time TIMESTAMP(6) WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL,"
                        + " picked_by VARCHAR(50), last_success TIMESTAMP(6) WITH TIME ZONE, last_failure TIMESTAMP(6) WITH TIME ZONE,"
                        + " consecutive_failures INT, last_heartbeat TIMESTAMP(6) WITH TIME ZONE, version BIGINT NOT NULL,"
                        + " priority INT, PRIMARY KEY (task_name, task_instance))");
                s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
                s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
                s.execute("CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)");
            }
            Tally tally = new Tally(window);
            CustomTask<Void> task = Tasks.custom("p10-noop", Void.class).execute((inst, ctx) ->
                    (CompletionHandler<Void>) (complete, ops) -> {
                        ops.remove();
                        tally.done(inst.getId());
                    });
            Scheduler scheduler = new SchedulerBuilder(dataSource, List.of(task)).threads(threads)
                    .pollingInterval(Duration.ofMillis(10)).enableImmediateExecution()
                    .heartbeatInterval(Duration.ofSeconds(5)).build();
            scheduler.start();
            System.out.printf(Locale.ROOT, "%n== db-scheduler (no-op one-time task, H2 file %s, WRITE_DELAY=0, %d threads, polling"
                    + " 10 ms, immediate execution) ==%n", dir, threads);
            AtomicLong next = new AtomicLong();
            List<Thread> fireThreads = new ArrayList<>();
            for (int i = 0; i < firers; i++) {
                fireThreads.add(start("ds-fire-" + i, () -> {
                    while (tally.firing.get()) {
                        if (!tally.window.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        String id = "r" + next.incrementAndGet();
                        long t0 = System.nanoTime();
                        tally.firedAt.put(id, t0);
                        scheduler.schedule(task.instance(id), Instant.now());
                        tally.fired.incrementAndGet();
                    }
                }));
            }
            double[] r = measure("db-scheduler", tally, warmup, rounds, seconds);
            tally.firing.set(false);
            for (Thread t : fireThreads) {
                t.join(5_000);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !tally.completions.keySet().containsAll(tally.firedAt.keySet())) {
                Thread.sleep(100);
            }
            scheduler.stop();
            long left;
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM scheduled_tasks")) {
                rs.next();
                left = rs.getLong(1);
            }
            long twice = tally.completions.values().stream().filter(n -> n > 1).count();
            long notDone = tally.firedAt.keySet().stream().filter(id -> !tally.completions.containsKey(id)).count();
            boolean ok = twice == 0 && notDone == 0 && left == 0;
            System.out.printf(Locale.ROOT, " verified: %d scheduled, %d executed, not executed %d, executed twice %d, rows left %d%n",
                    tally.firedAt.size(), tally.completions.size(), notDone, twice, left);
            json.put("db_scheduler", result(r, tally));
            json.put("db_scheduler_verified", ok);
            return r;
        } finally {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }
}
