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
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identity and access: how fast the server exchanges an automation's secret for an access token
 * ({@code POST /api/v1/oauth/token}), and how many requests per second it authenticates with an
 * access token, with the verification cache (each distinct token verified once, ES256) and without
 * it ({@code AUTOPLANE_JWT_VERIFICATION_CACHE=false}: every request verifies the signature), next to
 * a personal access token (keyed-hash lookup) for comparison. Starts the real standalone jar
 * twice (cache on, cache off) on fresh data directories, drives it over HTTP in closed-loop rounds,
 * prints median/min/max and writes JSON to {@code bench/results/}.
 *
 * <pre>bench/run-auth.sh [--rounds 5] [--seconds 10] [--concurrency 16] [--warmup 10]</pre>
 */
public final class AuthBench {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final Pattern ID = Pattern.compile("\"automation\":\\{\"id\":\"([0-9a-f-]{36})\"");
    static final Pattern SECRET = Pattern.compile("\"secret\":\"(ap_sk_[A-Za-z0-9]+)\"");
    static final Pattern ACCESS = Pattern.compile("\"access_token\":\"([^\"]+)\"");

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final String admin;
    String automationId;
    String secret;
    String accessToken;

    AuthBench(String base, String admin) {
        this.base = base;
        this.admin = admin;
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(ClosedLoop.arg(args, "--rounds", "5"));
        int seconds = Integer.parseInt(ClosedLoop.arg(args, "--seconds", "10"));
        int warmup = Integer.parseInt(ClosedLoop.arg(args, "--warmup", "10"));
        int concurrency = Integer.parseInt(ClosedLoop.arg(args, "--concurrency", "16"));
        Path jar = Path.of(ClosedLoop.arg(args, "--jar", "standalone/target/autoplane-standalone.jar"));
        System.out.printf(Locale.ROOT, "Identity and access — %d cores, %d rounds x %d s at concurrency %d (warm-up %d s)%n",
                Runtime.getRuntime().availableProcessors(), rounds, seconds, concurrency, warmup);
        StringBuilder json = new StringBuilder("{\"benchmark\":\"auth\",\"started\":\"" + Instant.now() + "\",\"concurrency\":"
                + concurrency + ",\"runs\":[");

        try (Server server = Server.start(jar, Map.of())) {
            AuthBench bench = new AuthBench(server.url, server.adminToken());
            bench.setUp();
            json.append(bench.measure("token exchange (POST /oauth/token)", bench::exchangeRequest, 200, rounds, seconds,
                    warmup, concurrency)).append(',');
            json.append(bench.measure("access token, verification cache on", () -> bench.readWith(bench.accessToken), 200,
                    rounds, seconds, warmup, concurrency)).append(',');
            json.append(bench.measure("personal access token (keyed-hash lookup)", () -> bench.readWith(bench.admin), 200,
                    rounds, seconds, warmup, concurrency)).append(',');
        }
        try (Server server = Server.start(jar, Map.of("AUTOPLANE_JWT_VERIFICATION_CACHE", "false"))) {
            AuthBench bench = new AuthBench(server.url, server.adminToken());
            bench.setUp();
            json.append(bench.measure("access token, verification cache off", () -> bench.readWith(bench.accessToken), 200,
                    rounds, seconds, warmup, concurrency));
        }
        json.append("]}");
        Path out = Path.of("bench/results");
        Files.createDirectories(out);
        Path file = out.resolve("auth-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, json + "\n");
        System.out.println("\n wrote " + file);
        System.exit(0);
    }

    void setUp() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/workspaces/" + WS + "/automations"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench machine " + System.nanoTime()
                        + "\",\"kind\":\"scheduled\",\"scopes\":[\"automation.read\"]}")).build());
        automationId = find(ID, created.body());
        secret = find(SECRET, created.body());
        accessToken = find(ACCESS, send(exchangeRequest()).body());
    }

    HttpRequest exchangeRequest() {
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + automationId
                        + "&client_secret=" + secret)).build();
    }

    HttpRequest readWith(String token) {
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/workspaces/" + WS + "/automations/" + automationId))
                .header("Authorization", "Bearer " + token).GET().build();
    }

    String measure(String name, Supplier<HttpRequest> request, int expected, int rounds, int seconds, int warmup,
                   int concurrency) throws InterruptedException {
        closedLoop(request, expected, concurrency, warmup);
        List<double[]> results = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%n %s%n %5s %10s %9s %9s %9s %7s%n", name, "round", "req/s", "p50 ms", "p99 ms", "max ms", "errors");
        for (int r = 1; r <= rounds; r++) {
            double[] res = closedLoop(request, expected, concurrency, seconds);
            results.add(res);
            System.out.printf(Locale.ROOT, " %5d %10.0f %9.2f %9.2f %9.2f %7.0f%n", r, res[0], res[1], res[2], res[3], res[4]);
        }
        double[] rps = results.stream().mapToDouble(x -> x[0]).sorted().toArray();
        double[] p99 = results.stream().mapToDouble(x -> x[2]).sorted().toArray();
        System.out.printf(Locale.ROOT, " median %.0f req/s (min %.0f, max %.0f); p99 median %.2f ms%n",
                rps[rps.length / 2], rps[0], rps[rps.length - 1], p99[p99.length / 2]);
        StringBuilder rs = new StringBuilder("[");
        for (double[] x : results) {
            rs.append(String.format(Locale.ROOT, "{\"rps\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"errors\":%.0f},",
                    x[0], x[1], x[2], x[3], x[4]));
        }
        rs.setLength(rs.length() - 1);
        return String.format(Locale.ROOT, "{\"name\":\"%s\",\"rps_median\":%.1f,\"rps_min\":%.1f,\"rps_max\":%.1f,"
                + "\"p99_ms_median\":%.2f,\"rounds\":%s]}", name, rps[rps.length / 2], rps[0], rps[rps.length - 1],
                p99[p99.length / 2], rs);
    }

    /** Answers {req/s, p50 ms, p99 ms, max ms, errors}. */
    double[] closedLoop(Supplier<HttpRequest> request, int expected, int concurrency, int seconds) throws InterruptedException {
        return ClosedLoop.run(concurrency, seconds, () -> send(request.get()).statusCode() == expected ? 1 : -1);
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("unexpected answer: " + body.replaceAll("ap_[a-z]+_[A-Za-z0-9]+", "ap_…"));
        }
        return m.group(1);
    }


    /** The standalone jar on a fresh data directory. */
    record Server(Process process, String url, Path dataDir) implements AutoCloseable {

        static Server start(Path jar, Map<String, String> env) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path dataDir = Files.createTempDirectory("autoplane-auth-bench");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile());
            pb.environment().put("SERVER_PORT", String.valueOf(port));
            pb.environment().put("AUTOPLANE_DATA_DIR", dataDir.toString());
            pb.environment().putAll(env);
            Process process = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            return new Server(process, "http://127.0.0.1:" + port, dataDir);
        }

        String adminToken() throws Exception {
            Path file = dataDir.resolve("admin-token");
            HttpClient c = HttpClient.newHttpClient();
            for (int i = 0; i < 600; i++) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the server stopped; see " + dataDir.resolve("server.log"));
                }
                if (Files.exists(file)) {
                    try {
                        if (c.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health")).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                            return Files.readString(file).trim();
                        }
                    } catch (IOException e) {
                        // not listening yet
                    }
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the server did not start within 60 s");
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
