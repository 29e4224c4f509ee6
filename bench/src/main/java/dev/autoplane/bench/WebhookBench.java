package dev.autoplane.bench;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * P7 (PERFORMANCE.md): signed webhook deliveries, each firing a run, and forged deliveries rejected,
 * on the embedded default. Starts the real standalone jar on a fresh data directory (the endpoint's
 * rate limit lifted: it is what is measured), makes one active automation with a webhook trigger,
 * and drives three closed-loop measurements:
 * <ol>
 *   <li>valid deliveries (Standard Webhooks signature, a new {@code webhook-id} each): {@code 202}, one run each;</li>
 *   <li>forged deliveries (a wrong signature on the real endpoint, and an unknown endpoint): {@code 401},
 *   answered from memory without touching storage;</li>
 *   <li>the reference, in the same run: {@code POST .../trigger} on the same automation with a personal
 *   access token, the same fire through the same aggregate without a signature.</li>
 * </ol>
 * Prints median/min/max per measurement, writes JSON to {@code bench/results/}, and ends with
 * <pre>P7 ratio=&lt;valid/manual&gt; valid=&lt;deliveries/s&gt; p50_ms=… p99_ms=… forged=&lt;rejections/s&gt; manual=&lt;runs/s&gt;</pre>
 *
 * <pre>bench/run-p7.sh [--quick] [--rounds 3] [--seconds 10] [--concurrency 16] [--warmup 5]</pre>
 */
public final class WebhookBench {

    static final String WS = AuthBench.WS;
    static final Pattern ID = Pattern.compile("\"automation\":\\{\"id\":\"([0-9a-f-]{36})\"");
    static final Pattern SECRET = Pattern.compile("\"webhook_secret\":\"(whsec_[A-Za-z0-9+/=]+)\"");

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final String admin;
    final AtomicLong ids = new AtomicLong();
    String automationId;
    String slug;
    byte[] key;

    WebhookBench(String base, String admin) {
        this.base = base;
        this.admin = admin;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int rounds = Integer.parseInt(ClosedLoop.arg(args, "--rounds", quick ? "2" : "3"));
        int seconds = Integer.parseInt(ClosedLoop.arg(args, "--seconds", quick ? "5" : "10"));
        int warmup = Integer.parseInt(ClosedLoop.arg(args, "--warmup", quick ? "3" : "5"));
        int concurrency = Integer.parseInt(ClosedLoop.arg(args, "--concurrency", "16"));
        Path jar = Path.of(ClosedLoop.arg(args, "--jar", "standalone/target/autoplane-standalone.jar"));
        System.out.printf(Locale.ROOT, "P7 inbound webhooks — %d cores, %d rounds x %d s at concurrency %d (warm-up %d s)%n",
                Runtime.getRuntime().availableProcessors(), rounds, seconds, concurrency, warmup);
        StringBuilder json = new StringBuilder("{\"benchmark\":\"p7\",\"started\":\"" + Instant.now() + "\",\"concurrency\":"
                + concurrency + ",\"runs\":[");
        double[] valid;
        double[] forged;
        double[] unknown;
        double[] manual;
        try (AuthBench.Server server = AuthBench.Server.start(jar, Map.of(
                "AUTOPLANE_WEBHOOKS_RATE_LIMIT_PER_SECOND", "1000000", "AUTOPLANE_WEBHOOKS_RATE_LIMIT_BURST", "1000000"))) {
            WebhookBench bench = new WebhookBench(server.url(), server.adminToken());
            bench.setUp();
            // the rejections first: the runs the valid deliveries make keep the projections busy for a while after
            unknown = bench.measure("forged deliveries, unknown endpoint (401)", bench::unknownEndpoint, 401, rounds, seconds,
                    warmup, concurrency, json);
            forged = bench.measure("forged deliveries, wrong signature (401)", bench::forgedDelivery, 401, rounds, seconds,
                    warmup, concurrency, json);
            valid = bench.measure("valid deliveries (202, one run each)", bench::validDelivery, 202, rounds, seconds, warmup,
                    concurrency, json);
            manual = bench.measure("reference: POST .../trigger with a token (202, one run each)", bench::manualTrigger, 202,
                    rounds, seconds, warmup, concurrency, json);
        }
        json.setLength(json.length() - 1);
        json.append("]}");
        Path out = Path.of("bench/results");
        Files.createDirectories(out);
        Path file = out.resolve("p7-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, json + "\n");
        System.out.println("\n wrote " + file);
        System.out.printf(Locale.ROOT, "P7 ratio=%.2f valid=%.0f p50_ms=%.2f p99_ms=%.2f forged=%.0f unknown=%.0f manual=%.0f%n",
                valid[0] / manual[0], valid[0], valid[1], valid[2], forged[0], unknown[0], manual[0]);
        System.exit(0);
    }

    void setUp() throws Exception {
        HttpResponse<String> created = send(json(base + "/api/v1/workspaces/" + WS + "/automations", "{\"name\":\"p7 bench "
                + System.nanoTime() + "\",\"kind\":\"scheduled\",\"status\":\"active\"}"));
        automationId = AuthBench.find(ID, created.body());
        slug = "p7-" + Long.toString(System.nanoTime(), 36);
        HttpResponse<String> trigger = send(json(base + "/api/v1/workspaces/" + WS + "/automations/" + automationId + "/triggers",
                "{\"type\":\"webhook\",\"event\":\"bench\",\"config\":{\"endpoint\":\"" + slug + "\"}}"));
        String secret = AuthBench.find(SECRET, trigger.body());
        key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        HttpResponse<String> first = send(validDelivery());
        if (first.statusCode() != 202 || !first.body().contains("\"matched\":1")) {
            throw new IllegalStateException("the first delivery was not fired: " + first.statusCode() + " " + first.body());
        }
    }

    HttpRequest json(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpRequest validDelivery() {
        return delivery(slug, key, "msg_" + ids.incrementAndGet() + "_" + System.nanoTime());
    }

    HttpRequest forgedDelivery() {
        byte[] wrong = new byte[32];
        ThreadLocalRandom.current().nextBytes(wrong);
        return delivery(slug, wrong, "forged_" + ids.incrementAndGet());
    }

    HttpRequest unknownEndpoint() {
        return delivery("nope-" + ThreadLocalRandom.current().nextInt(1000), key, "unknown_" + ids.incrementAndGet());
    }

    HttpRequest manualTrigger() {
        return json(base + "/api/v1/workspaces/" + WS + "/automations/" + automationId + "/trigger", "{}");
    }

    HttpRequest delivery(String endpoint, byte[] signingKey, String id) {
        long ts = Instant.now().getEpochSecond();
        String body = "{\"event\":\"bench\",\"n\":" + ids.get() + ",\"repo\":{\"name\":\"autoplane\"}}";
        String signature = sign(signingKey, id + "." + ts + "." + body);
        return HttpRequest.newBuilder(URI.create(base + "/api/webhooks/workspaces/" + WS + "/" + endpoint))
                .header("Content-Type", "application/json").header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(ts)).header("webhook-signature", "v1," + signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static String sign(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    double[] measure(String name, Supplier<HttpRequest> request, int expected, int rounds, int seconds, int warmup,
                     int concurrency, StringBuilder json) throws InterruptedException {
        ClosedLoop.run(concurrency, warmup, () -> send(request.get()).statusCode() == expected ? 1 : -1);
        List<double[]> results = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%n %s%n %5s %10s %9s %9s %9s %7s%n", name, "round", "req/s", "p50 ms", "p99 ms",
                "max ms", "errors");
        for (int r = 1; r <= rounds; r++) {
            double[] res = ClosedLoop.run(concurrency, seconds, () -> send(request.get()).statusCode() == expected ? 1 : -1);
            results.add(res);
            System.out.printf(Locale.ROOT, " %5d %10.0f %9.2f %9.2f %9.2f %7.0f%n", r, res[0], res[1], res[2], res[3], res[4]);
        }
        double[] rps = results.stream().mapToDouble(x -> x[0]).sorted().toArray();
        double[] p50 = results.stream().mapToDouble(x -> x[1]).sorted().toArray();
        double[] p99 = results.stream().mapToDouble(x -> x[2]).sorted().toArray();
        double errors = results.stream().mapToDouble(x -> x[4]).sum();
        System.out.printf(Locale.ROOT, " median %.0f req/s (min %.0f, max %.0f); p50 median %.2f ms, p99 median %.2f ms%n",
                rps[rps.length / 2], rps[0], rps[rps.length - 1], p50[p50.length / 2], p99[p99.length / 2]);
        json.append(String.format(Locale.ROOT, "{\"name\":\"%s\",\"rps_median\":%.1f,\"rps_min\":%.1f,\"rps_max\":%.1f,"
                        + "\"p50_ms_median\":%.2f,\"p99_ms_median\":%.2f,\"errors\":%.0f},", name, rps[rps.length / 2], rps[0],
                rps[rps.length - 1], p50[p50.length / 2], p99[p99.length / 2], errors));
        return new double[]{rps[rps.length / 2], p50[p50.length / 2], p99[p99.length / 2]};
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
