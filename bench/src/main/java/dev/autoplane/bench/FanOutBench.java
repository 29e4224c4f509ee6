package dev.autoplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P6 (PERFORMANCE.md, issue 10): Server-Sent Events fan-out of {@code GET /api/v1/workspaces/{ws}/runs/stream} at
 * 1,000 and 10,000 subscribers, all in this process on Reactor Netty's non-blocking client (one connection each,
 * no thread each). The server is a fresh standalone (embedded H2) started with
 * {@code AUTOPLANE_SERVER_MAX_CONNECTIONS} above the subscriber count: its default (half the descriptor limit,
 * at most 4,096) turns away the 10,000th subscriber with 503.
 *
 * <p>For each count: connect the subscribers (at most 256 handshakes in flight), wait until every one has its
 * first {@code : keep-alive} (it is registered then), then one producer thread drives {@code --runs} runs through
 * their lifecycle over HTTP at {@code --rate} runs/s — trigger (→ {@code scheduled}), lease (→ {@code running}),
 * complete (→ {@code completed}): 3 changes per run. Every subscriber parses every frame: latency = receipt −
 * the run's {@code updated_at} in the event's data (the server's clock when the command was handled; same machine,
 * same clock), so "event produced → received by the subscriber". Checked: every subscriber received every change
 * exactly once and in order (the count, strictly increasing ids, and the same ids as every other subscriber), no
 * {@code reset}, no stream ended early. Deliveries/s = deliveries ÷ (last receipt − first change). Heap: the
 * server's heap used after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}) with the subscribers still open.
 *
 * <p>Last line (for the largest count): {@code P6 subscribers=… deliveries_per_s=… p99_ms=… lost=… heap_mb=…}.
 */
public final class FanOutBench {

    static final String WS = CommandThroughputBench.WS;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String UPDATED_AT = "\"updated_at\":\"";

    /** One subscriber's view: what it received, in which order, and how late. */
    static final class Sub {
        final StringBuilder buffer = new StringBuilder();
        volatile boolean open;
        volatile boolean ended;
        volatile String error;
        int count;
        long last = -1;
        long idSum;
        int disorder;
        int resets;
        long lastReceivedNanos;
        final long[] latencyMicros;

        Sub(int expected) {
            latencyMicros = new long[expected];
        }

        synchronized void feed(String chunk) {
            buffer.append(chunk);
            int end;
            while ((end = buffer.indexOf("\n\n")) >= 0) {
                String frame = buffer.substring(0, end);
                buffer.delete(0, end + 2);
                frame(frame);
            }
        }

        /** One frame, parsed with indexOf (10,000 subscribers parse every frame on this machine's 2 cores). */
        private void frame(String frame) {
            if (frame.startsWith(":")) {
                open = true;
                return;
            }
            if (frame.startsWith("event:reset") || frame.contains("\nevent:reset")) {
                resets++;
                return;
            }
            Instant received = Instant.now();
            long now = received.getEpochSecond() * 1_000_000 + received.getNano() / 1000;
            long position = -1;
            int id = frame.startsWith("id:") ? 0 : frame.indexOf("\nid:") + 1;
            if (id > 0 || frame.startsWith("id:")) {
                int eol = frame.indexOf('\n', id);
                position = Long.parseLong(frame.substring(id + 3, eol < 0 ? frame.length() : eol).trim());
            }
            if (position <= last) {
                disorder++;
            }
            last = position;
            idSum += position;
            int u = frame.indexOf(UPDATED_AT);
            if (count < latencyMicros.length && u >= 0) {
                int from = u + UPDATED_AT.length();
                Instant produced = Instant.parse(frame.substring(from, frame.indexOf('"', from)));
                latencyMicros[count] = now - (produced.getEpochSecond() * 1_000_000 + produced.getNano() / 1000);
            }
            count++;
            lastReceivedNanos = System.nanoTime();
        }
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int[] counts = Arrays.stream(ClosedLoop.arg(args, "--subscribers", "1000,10000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int runs = Integer.parseInt(ClosedLoop.arg(args, "--runs", quick ? "20" : "50"));
        double rate = Double.parseDouble(ClosedLoop.arg(args, "--rate", "5"));
        int max = Arrays.stream(counts).max().orElse(1000);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("autoplane-p6");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        String serverOpts = System.getenv().getOrDefault("JAVA_OPTS", "");
        if (!serverOpts.isBlank()) {
            command.addAll(Arrays.asList(serverOpts.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", Path.of(ClosedLoop.arg(args, "--jar", "standalone/target/autoplane-standalone.jar")).toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile());
        pb.environment().put("SERVER_PORT", String.valueOf(port));
        pb.environment().put("AUTOPLANE_DATA_DIR", dataDir.toString());
        pb.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        // the default (half the descriptor limit, at most 4,096) would turn away subscribers beyond it
        pb.environment().put("AUTOPLANE_SERVER_MAX_CONNECTIONS", String.valueOf(max + 256));
        pb.environment().remove("JAVA_OPTS");
        Process server = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroyForcibly));
        System.out.printf(Locale.ROOT, "P6 SSE fan-out — %d cores, subscribers %s, %d runs x 3 changes at %.1f runs/s;"
                        + " descriptor limit %s; server max-connections %d; load %s%n", Runtime.getRuntime().availableProcessors(),
                Arrays.toString(counts), runs, rate, fileLimit(), max + 256, SchedulerBench.uptime());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "P6");
        json.put("started", Instant.now().toString());
        List<Map<String, Object>> results = new ArrayList<>();
        json.put("results", results);
        String last = null;
        boolean ok = true;
        try {
            String url = "http://127.0.0.1:" + port;
            LifecycleBench http = new LifecycleBench(url, CommandThroughputBench.waitForAdminToken(url, dataDir));
            HttpResponse<String> created = http.send("POST", "/api/v1/workspaces/" + WS + "/automations",
                    "{\"name\":\"p6 " + System.nanoTime() + "\",\"kind\":\"scheduled\",\"status\":\"active\"}");
            if (created.statusCode() != 201) {
                throw new IllegalStateException("create: " + created.body());
            }
            String automation = JSON.readTree(created.body()).path("automation").path("id").asText();
            ConnectionProvider pool = ConnectionProvider.builder("p6").maxConnections(max + 16)
                    .pendingAcquireMaxCount(-1).pendingAcquireTimeout(Duration.ofSeconds(120)).build();
            LoopResources loops = LoopResources.create("p6-client", Math.max(2, Runtime.getRuntime().availableProcessors()), true);
            HttpClient client = HttpClient.create(pool).runOn(loops).baseUrl(url)
                    .headers(h -> h.add(HttpHeaderNames.AUTHORIZATION, "Bearer " + http.token)
                            .add(HttpHeaderNames.ACCEPT, "text/event-stream"))
                    .responseTimeout(Duration.ofSeconds(60));
            for (int n : counts) {
                Map<String, Object> r = round(client, http, server, automation, n, runs, rate);
                results.add(r);
                ok &= ((Number) r.get("lost")).longValue() == 0 && ((Number) r.get("duplicates_or_disorder")).longValue() == 0
                        && ((Number) r.get("failed_subscribers")).longValue() == 0;
                last = String.format(Locale.ROOT, "P6 subscribers=%d deliveries_per_s=%.0f p99_ms=%.1f lost=%d heap_mb=%.0f",
                        n, r.get("deliveries_per_s"), r.get("p99_ms"), r.get("lost"), r.get("heap_mb"));
                System.out.println(" " + last);
            }
            pool.disposeLater().block(Duration.ofSeconds(10));
            loops.disposeLater().block(Duration.ofSeconds(10));
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            LifecycleBench.deleteTree(dataDir);
        }
        Path out = Path.of("bench/results");
        Files.createDirectories(out);
        Path file = out.resolve("p6-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        System.out.println("\n wrote " + file);
        if (!ok) {
            System.out.println(" VERIFICATION FAILED (see above)");
        }
        System.out.println(last);
        System.exit(ok ? 0 : 1);
    }

    static Map<String, Object> round(HttpClient client, LifecycleBench http, Process server, String automation, int n, int runs,
                                     double rate) throws Exception {
        int expected = runs * 3;
        System.out.printf(Locale.ROOT, "%n== %,d subscribers ==%n", n);
        List<Sub> subs = new ArrayList<>(n);
        List<Disposable> streams = new ArrayList<>(n);
        AtomicInteger failedConnects = new AtomicInteger();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            subs.add(new Sub(expected));
        }
        // at most 256 handshakes in flight; each stream then stays open until disposed
        Flux.range(0, n).flatMap(i -> {
            Sub sub = subs.get(i);
            Flux<String> body = client.get().uri("/api/v1/workspaces/" + WS + "/runs/stream")
                    .response((res, content) -> res.status().code() == 200 ? content.asString()
                            : Flux.error(new IllegalStateException("status " + res.status().code())));
            Mono<Void> opened = Mono.create(sink -> {
                Disposable d = body.subscribe(chunk -> {
                    boolean was = sub.open;
                    sub.feed(chunk);
                    if (!was && sub.open) {
                        sink.success();
                    }
                }, e -> {
                    sub.error = e.toString();
                    failedConnects.incrementAndGet();
                    sink.success();
                }, () -> {
                    sub.ended = true;
                    sink.success();
                });
                synchronized (streams) {
                    streams.add(d);
                }
            });
            return opened.timeout(Duration.ofSeconds(120), Mono.empty());
        }, 256).blockLast(Duration.ofMinutes(5));
        long open = subs.stream().filter(s -> s.open).count();
        System.out.printf(Locale.ROOT, " connected %,d of %,d in %.1f s (%d failed%s)%n", open, n, (System.nanoTime() - t0) / 1e9,
                failedConnects.get(), failedConnects.get() > 0 ? ": " + subs.stream().filter(s -> s.error != null)
                        .map(s -> s.error).findFirst().orElse("") : "");
        Thread.sleep(1000);

        // the producer: trigger, lease, complete, at a fixed rate (open loop: paced from the start)
        double serverCpu0 = ProcessCpu.of(server);
        double clientCpu0 = ProcessCpu.own();
        long start = System.nanoTime();
        long firstChange = System.nanoTime();
        long interval = (long) (1e9 / rate);
        for (int i = 0; i < runs; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            HttpResponse<String> fired = http.send("POST", "/api/v1/workspaces/" + WS + "/automations/" + automation + "/trigger", "{}");
            if (fired.statusCode() != 202) {
                throw new IllegalStateException("trigger: " + fired.body());
            }
            JsonNode leased = JSON.readTree(http.send("POST", "/api/v1/workspaces/" + WS + "/runs/lease",
                    "{\"automation_id\":\"" + automation + "\",\"max_runs\":1,\"wait_seconds\":5}").body()).path("runs");
            if (leased.size() != 1) {
                throw new IllegalStateException("lease: " + leased);
            }
            HttpResponse<String> done = http.send("POST", "/api/v1/workspaces/" + WS + "/runs/" + leased.get(0).path("id").asText()
                    + "/complete", "{\"lease_id\":\"" + leased.get(0).path("lease_id").asText() + "\"}");
            if (done.statusCode() != 200) {
                throw new IllegalStateException("complete: " + done.body());
            }
        }
        double producing = (System.nanoTime() - start) / 1e9;
        // bounded wait until every open subscriber has every change
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && subs.stream().anyMatch(s -> s.open && !s.ended && s.error == null && count(s) < expected)) {
            Thread.sleep(100);
        }
        Thread.sleep(500); // anything beyond the expected (a duplicate) arrives now
        long lastReceipt = subs.stream().mapToLong(s -> s.lastReceivedNanos).max().orElse(firstChange);
        double serverCpu = ProcessCpu.of(server) - serverCpu0;
        double clientCpu = ProcessCpu.own() - clientCpu0;
        long delivered = 0;
        long lost = 0;
        long disorder = 0;
        long resets = 0;
        long ended = 0;
        Map<Long, Integer> idSums = new ConcurrentHashMap<>();
        List<long[]> lat = new ArrayList<>();
        for (Sub s : subs) {
            synchronized (s) {
                delivered += s.count;
                lost += Math.max(0, expected - s.count);
                disorder += s.disorder + Math.max(0, s.count - expected);
                resets += s.resets;
                ended += s.ended || s.error != null ? 1 : 0;
                idSums.merge(s.idSum, 1, Integer::sum);
                lat.add(Arrays.copyOf(s.latencyMicros, Math.min(s.count, expected)));
            }
        }
        long[] all = lat.stream().flatMapToLong(Arrays::stream).map(x -> x * 1000).sorted().toArray();
        double window = (lastReceipt - firstChange) / 1e9;
        double perSecond = delivered / window;
        double heap = heapMb(server);
        System.out.printf(Locale.ROOT, " produced %d changes in %.1f s; delivered %,d (%,.0f/s over %.1f s); latency p50 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms; lost %d, duplicates/out of order %d, resets %d, streams ended or failed %d,"
                        + " distinct id sets %d; server heap after GC %.0f MB%n", expected, producing, delivered, perSecond, window,
                ClosedLoop.pct(all, 0.5), ClosedLoop.pct(all, 0.99), ClosedLoop.pct(all, 1.0), lost, disorder, resets, ended,
                idSums.size(), heap);
        System.out.printf(Locale.ROOT, " CPU while producing and delivering: server %.1f s, this client %.1f s (%.1f s of wall time)%n",
                serverCpu, clientCpu, (System.nanoTime() - start) / 1e9);
        for (Disposable d : streams) {
            d.dispose();
        }
        Thread.sleep(2000); // let the server see the connections close before the next round
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("subscribers", n);
        r.put("connected", open);
        r.put("changes", expected);
        r.put("delivered", delivered);
        r.put("deliveries_per_s", perSecond);
        r.put("p50_ms", ClosedLoop.pct(all, 0.5));
        r.put("p99_ms", ClosedLoop.pct(all, 0.99));
        r.put("max_ms", ClosedLoop.pct(all, 1.0));
        r.put("lost", lost);
        r.put("duplicates_or_disorder", disorder + (idSums.size() > 1 ? 1 : 0));
        r.put("resets", resets);
        r.put("failed_subscribers", ended + (n - open));
        r.put("heap_mb", heap);
        r.put("server_cpu_s", serverCpu);
        r.put("client_cpu_s", clientCpu);
        r.put("load", SchedulerBench.uptime());
        return r;
    }

    static int count(Sub s) {
        synchronized (s) {
            return s.count;
        }
    }

    /** The server's heap used after a full GC, in MB (jcmd), or -1. */
    static double heapMb(Process server) {
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, String.valueOf(server.pid()), "GC.run").redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
            Process p = new ProcessBuilder(jcmd, String.valueOf(server.pid()), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            Matcher m = Pattern.compile("used (\\d+)K").matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    static String fileLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max open files"))
                    .map(l -> l.replaceAll("\\s+", " ").replace("Max open files ", "")).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
