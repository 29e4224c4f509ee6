package dev.autoplane.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P1 (PERFORMANCE.md): durable, authenticated commands through HTTP against the standalone on
 * embedded storage. A mix of 60 % creates, 25 % PATCHes and 15 % submit + approve (by a second
 * person). Closed-loop rounds at a fixed concurrency report throughput and latency; an open-loop run
 * at a fixed rate reports latency measured from each request's scheduled start (no coordinated
 * omission). Starts its own server on a fresh data directory unless --url and --token are given.
 *
 * <p>In the same run, the same load generator then drives {@link ReferenceServer} (one durable H2
 * insert per request behind a fixed bearer check) at the first concurrency, and the last line is
 * {@code P1 ratio=<autoplane/reference> autoplane=<req/s> reference=<req/s> p99_ms=<autoplane's p99>}.
 * {@code --quick}: 3 rounds of 8 s at 16 clients, no open loop (under 4 minutes).
 *
 * <pre>bench/run-p1.sh [--quick] [--rounds 5] [--seconds 10] [--concurrency 16,64] [--rate 1000] [--no-reference]</pre>
 */
public final class CommandThroughputBench {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    static final Pattern TOKEN = Pattern.compile("\"token\":\"(ap_pat_[A-Za-z0-9]+)\"");

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final String admin;
    String approver;
    final List<String> drafts = new CopyOnWriteArrayList<>();
    final AtomicLong names = new AtomicLong();

    CommandThroughputBench(String base, String admin) {
        this.base = base;
        this.admin = admin;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        boolean reference = !Arrays.asList(args).contains("--no-reference");
        int rounds = Integer.parseInt(ClosedLoop.arg(args, "--rounds", quick ? "3" : "5"));
        int seconds = Integer.parseInt(ClosedLoop.arg(args, "--seconds", quick ? "8" : "10"));
        int warmup = Integer.parseInt(ClosedLoop.arg(args, "--warmup", quick ? "10" : "20"));  // the JIT needs it: rounds still climb after 5 s
        int[] concurrency = Arrays.stream(ClosedLoop.arg(args, "--concurrency", quick ? "16" : "16,64").split(",")).mapToInt(Integer::parseInt).toArray();
        int rate = Integer.parseInt(ClosedLoop.arg(args, "--rate", "1000"));
        String url = ClosedLoop.arg(args, "--url", null);
        String token = ClosedLoop.arg(args, "--token", null);
        Process server = null;
        Path dataDir = null;
        if (url == null) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            dataDir = Files.createTempDirectory("autoplane-bench");
            Path jar = Path.of(ClosedLoop.arg(args, "--jar", "standalone/target/autoplane-standalone.jar"));
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile());
            pb.environment().put("SERVER_PORT", String.valueOf(port));
            pb.environment().put("AUTOPLANE_DATA_DIR", dataDir.toString());
            server = pb.start();
            url = "http://127.0.0.1:" + port;
            Process started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        }
        try {
            CommandThroughputBench bench = new CommandThroughputBench(url, token != null ? token : waitForAdminToken(url, dataDir));
            bench.setUp();
            System.out.printf(Locale.ROOT, "P1 durable commands via HTTP — %s, %d cores, %d rounds x %d s%n",
                    url, Runtime.getRuntime().availableProcessors(), rounds, seconds);
            bench.closedLoop(concurrency[0], warmup, true);
            StringBuilder json = new StringBuilder("{\"benchmark\":\"P1\",\"started\":\"" + Instant.now() + "\",\"closed_loop\":[");
            double[] first = null; // median req/s and p99 at the first concurrency: the ratio's numerator
            for (int c : concurrency) {
                List<double[]> results = new ArrayList<>();
                double cpuBefore = server == null ? -1 : ProcessCpu.of(server); // -1: not started here (--url)
                long writtenBefore = server == null ? -1 : ProcessCpu.written(server);
                System.out.printf(Locale.ROOT, "%n concurrency %d%n %5s %10s %9s %9s %9s %7s%n", c, "round", "req/s", "p50 ms", "p99 ms", "max ms", "errors");
                for (int r = 1; r <= rounds; r++) {
                    double[] res = bench.closedLoop(c, seconds, false);
                    results.add(res);
                    System.out.printf(Locale.ROOT, " %5d %10.0f %9.2f %9.2f %9.2f %7.0f%n", r, res[0], res[1], res[2], res[3], res[4]);
                }
                double cpuAfter = server == null ? -1 : ProcessCpu.of(server);
                long writtenAfter = server == null ? -1 : ProcessCpu.written(server);
                double answered = results.stream().mapToDouble(x -> x[0] * seconds).sum();
                if (cpuBefore >= 0 && cpuAfter >= 0) {
                    // a steadier figure than req/s where other work shares the cores: what one answer costs the server
                    System.out.printf(Locale.ROOT, " server CPU %.1f s for %.0f answers: %.2f ms per answer%n",
                            cpuAfter - cpuBefore, answered, (cpuAfter - cpuBefore) * 1000 / answered);
                }
                if (writtenBefore >= 0 && writtenAfter >= 0) {
                    System.out.printf(Locale.ROOT, " server wrote %.0f MB to storage: %.1f KB per answer%n",
                            (writtenAfter - writtenBefore) / 1e6, (writtenAfter - writtenBefore) / 1024.0 / answered);
                }
                double[] rps = results.stream().mapToDouble(x -> x[0]).sorted().toArray();
                double[] p99 = results.stream().mapToDouble(x -> x[2]).sorted().toArray();
                if (first == null) {
                    first = new double[]{rps[rps.length / 2], p99[p99.length / 2]};
                }
                System.out.printf(Locale.ROOT, " median %.0f req/s (min %.0f, max %.0f); p99 median %.2f ms (min %.2f, max %.2f)%n",
                        rps[rps.length / 2], rps[0], rps[rps.length - 1], p99[p99.length / 2], p99[0], p99[p99.length - 1]);
                json.append(String.format(Locale.ROOT, "{\"concurrency\":%d,\"rps_median\":%.1f,\"rps_min\":%.1f,\"rps_max\":%.1f,"
                                + "\"p99_ms_median\":%.2f,\"rounds\":%s},", c, rps[rps.length / 2], rps[0], rps[rps.length - 1],
                        p99[p99.length / 2], toJson(results)));
            }
            json.setLength(json.length() - 1);
            json.append("]");
            if (!quick) {
                System.out.printf(Locale.ROOT, "%n open loop at %d req/s for %d s%n", rate, seconds);
                double[] open = bench.openLoop(rate, seconds);
                System.out.printf(Locale.ROOT, " achieved %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, errors %.0f%n",
                        open[0], open[1], open[2], open[3], open[4]);
                json.append(String.format(Locale.ROOT, ",\"open_loop\":{\"target_rps\":%d,\"achieved_rps\":%.1f,\"p50_ms\":%.2f,"
                        + "\"p99_ms\":%.2f,\"max_ms\":%.2f,\"errors\":%.0f}", rate, open[0], open[1], open[2], open[3], open[4]));
            }
            String ratioLine = null;
            if (reference) {
                if (server != null) { // the reference gets the machine to itself, as autoplane had
                    server.destroy();
                    server.waitFor(20, TimeUnit.SECONDS);
                    server = null;
                }
                double refRps = referenceRun(concurrency[0], rounds, seconds, warmup);
                ratioLine = String.format(Locale.ROOT, "P1 ratio=%.2f autoplane=%.0f reference=%.0f p99_ms=%.2f",
                        first[0] / refRps, first[0], refRps, first[1]);
                json.append(String.format(Locale.ROOT, ",\"reference_rps_median\":%.1f,\"ratio\":%.3f", refRps, first[0] / refRps));
            }
            json.append("}");
            Path out = Path.of("bench/results");
            Files.createDirectories(out);
            Path file = out.resolve("p1-" + Instant.now().toString().replace(':', '-') + ".json");
            Files.writeString(file, json + "\n");
            System.out.println("\n wrote " + file);
            if (ratioLine != null) {
                System.out.println(ratioLine);
            }
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor(20, TimeUnit.SECONDS);
                server.destroyForcibly();
            }
        }
        System.exit(0);
    }

    /**
     * Starts {@link ReferenceServer} in its own JVM on a fresh directory (its class path is this
     * one's), drives the same mix at {@code concurrency} and answers the median req/s of the rounds.
     */
    static double referenceRun(int concurrency, int rounds, int seconds, int warmup) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("autoplane-bench-reference");
        String token = "ap_pat_reference" + Long.toHexString(System.nanoTime());
        Process ref = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), ReferenceServer.class.getName(),
                String.valueOf(port), dir.toString(), token)
                .redirectErrorStream(true).redirectOutput(dir.resolve("reference.log").toFile()).start();
        try {
            String url = "http://127.0.0.1:" + port;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(dir.resolve("reference.log")).contains("listening")) {
                if (System.nanoTime() > deadline || !ref.isAlive()) {
                    throw new IllegalStateException("the reference did not start; see " + dir.resolve("reference.log"));
                }
                Thread.sleep(100);
            }
            CommandThroughputBench bench = new CommandThroughputBench(url, token);
            bench.setUp();
            System.out.printf(Locale.ROOT, "%n reference (one durable H2 insert per request, %s)%n", url);
            bench.closedLoop(concurrency, warmup, true);
            double[] rps = new double[rounds];
            System.out.printf(Locale.ROOT, " %5s %10s %9s %9s %9s %7s%n", "round", "req/s", "p50 ms", "p99 ms", "max ms", "errors");
            for (int r = 0; r < rounds; r++) {
                double[] res = bench.closedLoop(concurrency, seconds, false);
                rps[r] = res[0];
                System.out.printf(Locale.ROOT, " %5d %10.0f %9.2f %9.2f %9.2f %7.0f%n", r + 1, res[0], res[1], res[2], res[3], res[4]);
            }
            Arrays.sort(rps);
            return rps[rps.length / 2];
        } finally {
            ref.destroy();
            ref.waitFor(20, TimeUnit.SECONDS);
            ref.destroyForcibly();
        }
    }

    void setUp() throws Exception {
        send("PUT", "/api/v1/workspaces/" + WS + "/members/bench-approver", admin, "{\"role\":\"approver\"}");
        HttpResponse<String> t = send("POST", "/api/v1/tokens", admin, "{\"name\":\"bench\",\"user_id\":\"bench-approver\"}");
        Matcher m = TOKEN.matcher(t.body());
        if (!m.find()) {
            throw new IllegalStateException("no token for the approver: " + t.body());
        }
        approver = m.group(1);
    }

    /** One operation of the mix; answers the number of requests it made, or -n for n failed ones. */
    int operation() throws Exception {
        int dice = ThreadLocalRandom.current().nextInt(100);
        if (dice < 60 || drafts.size() < 10) {
            HttpResponse<String> r = send("POST", "/api/v1/workspaces/" + WS + "/automations", admin,
                    "{\"name\":\"bench " + names.incrementAndGet() + " " + System.nanoTime() + "\",\"kind\":\"scheduled\","
                            + "\"config\":{\"cron\":\"0 9 * * MON\"}}");
            if (r.statusCode() != 201) {
                return -1;
            }
            Matcher m = ID.matcher(r.body());
            if (m.find()) {
                drafts.add(m.group(1));
            }
            return 1;
        }
        String id = drafts.get(ThreadLocalRandom.current().nextInt(drafts.size()));
        if (dice < 85) {
            HttpResponse<String> r = send("PATCH", "/api/v1/workspaces/" + WS + "/automations/" + id, admin,
                    "{\"description\":\"changed " + System.nanoTime() + "\"}");
            return ok(r) ? 1 : r.statusCode() == 404 ? 1 : -1;
        }
        drafts.remove(id);
        HttpResponse<String> submit = send("POST", "/api/v1/workspaces/" + WS + "/automations/" + id + "/submit", admin, null);
        HttpResponse<String> approve = send("POST", "/api/v1/workspaces/" + WS + "/automations/" + id + "/approve", approver, null);
        // a concurrent PATCH may legitimately have moved the automation on: 409 counts as answered, not failed
        return (ok(submit) || submit.statusCode() == 409) && (ok(approve) || approve.statusCode() == 409) ? 2 : -2;
    }

    static boolean ok(HttpResponse<?> r) {
        return r.statusCode() / 100 == 2;
    }

    double[] closedLoop(int concurrency, int seconds, boolean warmup) throws InterruptedException {
        long start = System.nanoTime();
        double[] result = ClosedLoop.run(concurrency, seconds, this::operation);
        if (warmup) {
            System.out.printf(Locale.ROOT, " warm-up: %.0f requests in %.1f s%n", result[0] * seconds,
                    (System.nanoTime() - start) / 1e9);
        }
        return result;
    }

    double[] openLoop(int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        long[] latency = new long[total];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(total);
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            int index = i;
            long scheduled = start + i * interval;
            pacer.schedule(() -> sendAsync(index, scheduled, latency, errors, done),
                    scheduled - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        done.await(seconds + 60L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        pacer.shutdownNow();
        long[] sorted = Arrays.stream(latency).filter(x -> x > 0).sorted().toArray();
        return new double[]{sorted.length / elapsed, ClosedLoop.pct(sorted, 0.5), ClosedLoop.pct(sorted, 0.99), ClosedLoop.pct(sorted, 1.0), errors.get()};
    }

    private void sendAsync(int index, long scheduled, long[] latency, AtomicLong errors, CountDownLatch done) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/workspaces/" + WS + "/automations"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"open " + index + " " + System.nanoTime()
                        + "\",\"kind\":\"scheduled\"}")).timeout(Duration.ofSeconds(30)).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            latency[index] = System.nanoTime() - scheduled;
            if (e != null || r.statusCode() != 201) {
                errors.incrementAndGet();
            }
            done.countDown();
        });
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }


    static String waitForAdminToken(String url, Path dataDir) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                Path token = dataDir.resolve("admin-token");
                if (r.statusCode() == 200 && Files.exists(token)) {
                    return Files.readString(token).trim();
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not start; see " + dataDir.resolve("server.log"));
    }

    static String toJson(List<double[]> rounds) {
        StringBuilder s = new StringBuilder("[");
        for (double[] r : rounds) {
            s.append(String.format(Locale.ROOT, "{\"rps\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"errors\":%.0f},",
                    r[0], r[1], r[2], r[3], r[4]));
        }
        if (s.length() > 1) {
            s.setLength(s.length() - 1);
        }
        return s.append("]").toString();
    }

}
