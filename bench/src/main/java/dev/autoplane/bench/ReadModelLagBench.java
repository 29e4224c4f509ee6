package dev.autoplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.run.FireIds;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * P4 (PERFORMANCE.md): an event appended → visible in the run read model, p50/p99 at 1,000 events/s.
 *
 * <p><b>The load.</b> A fresh standalone (embedded H2) with {@code --automations} (500) active automations, each
 * with a 1-second {@code interval} schedule, their start times spread evenly over one second: the scheduling
 * engine fires 500 runs/s, and each fire appends two events (the automation's {@code JobFired} and the run's
 * {@code RunScheduled}, in one transaction): 1,000 events/s, open loop (the occurrences come due whether or not the
 * server keeps up). HTTP commands cannot offer that rate on this machine (P10: ~100 runs/s, five events each), so
 * the engine is the producer; its own lateness (fired_at − scheduled_at) is reported beside, not in, the lag.
 *
 * <p><b>Two observers</b>, both measured from the run's {@code fired_at} (the engine's clock when it fired the
 * occurrence, just before the batch's transaction commits: the event's own timestamp; same machine, same clock):
 * <ol>
 * <li><b>read model</b> ({@code run_view}, what {@code GET .../runs/{id}} answers): {@code --samples} (5) occurrences
 *     per second are picked at random; the run id of an occurrence is known before it fires
 *     ({@link FireIds#runId}), so a sampler polls {@code GET .../runs/{id}} every {@code --poll-ms} (10) ms from the
 *     occurrence's nominal instant until it answers 200: lag = that answer's receipt − {@code fired_at}
 *     (resolution: the poll interval; the polling adds ~100 requests/s of load).</li>
 * <li><b>SSE stream</b> ({@code /runs/stream?status=scheduled}, folded from the event log by the stream's tailer,
 *     not from {@code run_view}): every fire; lag = receipt − {@code fired_at}.</li>
 * </ol>
 * Achieved rate = fires seen on the stream per second × 2 events. Last line:
 * {@code P4 p50_ms=… p99_ms=… rate=<achieved events/s>} (the read model's figures).
 */
public final class ReadModelLagBench {

    static final String WS = CommandThroughputBench.WS;
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int automations = Integer.parseInt(ClosedLoop.arg(args, "--automations", "500"));
        int seconds = Integer.parseInt(ClosedLoop.arg(args, "--seconds", quick ? "20" : "60"));
        int warmup = Integer.parseInt(ClosedLoop.arg(args, "--warmup", "10"));
        int samples = Integer.parseInt(ClosedLoop.arg(args, "--samples", "5"));
        int pollMs = Integer.parseInt(ClosedLoop.arg(args, "--poll-ms", "10"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("autoplane-p4");
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
        pb.environment().remove("JAVA_OPTS");
        Process server = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroyForcibly));
        System.out.printf(Locale.ROOT, "P4 read-model lag — %d cores, %d automations x 1 s interval (%d fires/s = %d events/s offered),"
                        + " warm-up %d s, %d s measured, %d read-model samples/s polled every %d ms; load %s%n",
                Runtime.getRuntime().availableProcessors(), automations, automations, 2 * automations, warmup, seconds, samples,
                pollMs, SchedulerBench.uptime());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "P4");
        json.put("started", Instant.now().toString());
        String lastLine;
        try {
            String url = "http://127.0.0.1:" + port;
            LifecycleBench http = new LifecycleBench(url, CommandThroughputBench.waitForAdminToken(url, dataDir));
            // seed: create + schedule, 8 threads; the schedules start together at a whole second after seeding
            long t0 = System.nanoTime();
            String[] ids = new String[automations];
            ExecutorService seeders = Executors.newFixedThreadPool(8);
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < automations; i++) {
                int index = i;
                created.add(seeders.submit(() -> {
                    HttpResponse<String> r = http.send("POST", "/api/v1/workspaces/" + WS + "/automations",
                            "{\"name\":\"p4 " + index + " " + System.nanoTime() + "\",\"kind\":\"scheduled\",\"status\":\"active\"}");
                    if (r.statusCode() != 201) {
                        throw new IllegalStateException("create: " + r.statusCode() + " " + r.body());
                    }
                    ids[index] = JSON.readTree(r.body()).path("automation").path("id").asText();
                    return null;
                }));
            }
            for (Future<?> f : created) {
                f.get();
            }
            Instant start = Instant.now().plusSeconds(Math.max(5, automations / 50)).truncatedTo(ChronoUnit.SECONDS);
            Instant[] starts = new Instant[automations];
            List<Future<?>> scheduled = new ArrayList<>();
            for (int i = 0; i < automations; i++) {
                int index = i;
                starts[i] = start.plusNanos(1_000_000_000L * i / automations);
                scheduled.add(seeders.submit(() -> {
                    HttpResponse<String> r = http.send("PUT", "/api/v1/workspaces/" + WS + "/automations/" + ids[index] + "/schedule",
                            "{\"interval\":\"PT1S\",\"start_time\":\"" + starts[index] + "\"}");
                    if (r.statusCode() / 100 != 2) {
                        throw new IllegalStateException("schedule: " + r.statusCode() + " " + r.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : scheduled) {
                f.get();
            }
            seeders.shutdown();
            System.out.printf(Locale.ROOT, " seeded %d automations with schedules in %.1f s; first occurrence %s%n", automations,
                    (System.nanoTime() - t0) / 1e9, start);

            // the SSE observer: every fire
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<long[]> sse = new ConcurrentLinkedQueue<>(); // {receipt micros, fired micros, scheduled micros}
            Thread stream = new Thread(() -> follow(http, stop, sse), "p4-sse");
            stream.setDaemon(true);
            stream.start();

            Instant measureFrom = start.plusSeconds(warmup);
            Instant measureTo = measureFrom.plusSeconds(seconds);
            // the read-model observer: sampled occurrences, polled from their nominal instant
            ConcurrentLinkedQueue<long[]> model = new ConcurrentLinkedQueue<>(); // {visible micros, fired micros}
            AtomicLong unseen = new AtomicLong();
            AtomicLong pending = new AtomicLong();
            var pollers = Executors.newScheduledThreadPool(8);
            for (Instant second = measureFrom; second.isBefore(measureTo); second = second.plusSeconds(1)) {
                for (int k = 0; k < samples; k++) {
                    int a = ThreadLocalRandom.current().nextInt(automations);
                    long n = Duration.between(starts[a], second).toSeconds();
                    Instant nominal = starts[a].plusSeconds(n < 0 ? 0 : n);
                    String runId = FireIds.runId(FireIds.of(ids[a], FireIds.SCHEDULE, nominal), nominal);
                    long delay = Duration.between(Instant.now(), nominal).toMillis();
                    pending.incrementAndGet();
                    pollers.schedule(() -> poll(pollers, http, runId, pollMs, System.nanoTime() + TimeUnit.SECONDS.toNanos(30),
                            model, unseen, pending), Math.max(0, delay), TimeUnit.MILLISECONDS);
                }
            }
            sleepUntil(measureTo.plusSeconds(2));
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (pending.get() > 0 && System.nanoTime() < waitUntil) {
                Thread.sleep(100);
            }
            pollers.shutdownNow();
            stop.set(true);

            long fromMicros = micros(measureFrom);
            long toMicros = micros(measureTo);
            // lag and lateness of the occurrences due in the window; the achieved rate: fires *made* in the window
            long[] inWindow = sse.stream().filter(x -> x[2] >= fromMicros && x[2] < toMicros).mapToLong(x -> x[0] - x[1]).sorted().toArray();
            long[] late = sse.stream().filter(x -> x[2] >= fromMicros && x[2] < toMicros).mapToLong(x -> x[1] - x[2]).sorted().toArray();
            double fires = sse.stream().filter(x -> x[1] >= fromMicros && x[1] < toMicros).count() / (double) seconds;
            long[] lag = model.stream().mapToLong(x -> x[0] - x[1]).sorted().toArray();
            double p50 = pct(lag, 0.5);
            double p99 = pct(lag, 0.99);
            System.out.printf(Locale.ROOT, " occurrences due in the %d s window: %,d; fired in it: %.0f fires/s = %.0f events/s (offered %d events/s);"
                            + " engine lateness fired_at − scheduled_at p50 %.1f ms, p99 %.1f ms%n", seconds, inWindow.length, fires,
                    2 * fires, 2 * automations, pct(late, 0.5), pct(late, 0.99));
            System.out.printf(Locale.ROOT, " read model (GET .../runs/{id}, %d samples, polled every %d ms): lag p50 %.1f ms, p99 %.1f ms,"
                    + " max %.1f ms; %d samples never visible within 30 s%n", lag.length, pollMs, p50, p99, pct(lag, 1.0), unseen.get());
            System.out.printf(Locale.ROOT, " SSE stream (every fire): lag p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    pct(inWindow, 0.5), pct(inWindow, 0.99), pct(inWindow, 1.0));
            json.put("automations", automations);
            json.put("offered_events_per_s", 2 * automations);
            json.put("achieved_events_per_s", 2 * fires);
            json.put("read_model", Map.of("samples", lag.length, "poll_ms", pollMs, "p50_ms", p50, "p99_ms", p99,
                    "max_ms", pct(lag, 1.0), "never_visible", unseen.get()));
            json.put("sse", Map.of("fires", inWindow.length, "p50_ms", pct(inWindow, 0.5), "p99_ms", pct(inWindow, 0.99),
                    "max_ms", pct(inWindow, 1.0)));
            json.put("engine_lateness", Map.of("p50_ms", pct(late, 0.5), "p99_ms", pct(late, 0.99)));
            json.put("load", SchedulerBench.uptime());
            if (unseen.get() > 0 || 2 * fires < 0.95 * 2 * automations) {
                System.out.printf(Locale.ROOT, " NOT KEPT UP: %.0f of %d events/s achieved, %d samples not visible within 30 s: the"
                        + " percentiles cover the visible samples only (lower bounds)%n", 2 * fires, 2 * automations, unseen.get());
            }
            lastLine = String.format(Locale.ROOT, "P4 p50_ms=%.1f p99_ms=%.1f rate=%.0f", p50, p99, 2 * fires);
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            LifecycleBench.deleteTree(dataDir);
        }
        Path out = Path.of("bench/results");
        Files.createDirectories(out);
        Path file = out.resolve("p4-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        System.out.println("\n wrote " + file);
        System.out.println(lastLine);
        System.exit(0);
    }

    /**
     * One poll of a run; until the read model has it, the next poll is scheduled {@code pollMs} later (no thread
     * waits between polls, so a long lag of one sample does not delay the polls of the others). Records
     * {receipt, fired_at} in micros, or counts the sample unseen after 30 s.
     */
    static void poll(java.util.concurrent.ScheduledExecutorService pollers, LifecycleBench http, String runId, int pollMs,
                     long deadline, ConcurrentLinkedQueue<long[]> out, AtomicLong unseen, AtomicLong pending) {
        try {
            HttpResponse<String> r = http.send("GET", "/api/v1/workspaces/" + WS + "/runs/" + runId, null);
            long received = micros(Instant.now());
            if (r.statusCode() == 200) {
                JsonNode run = JSON.readTree(r.body());
                out.add(new long[]{received, micros(Instant.parse(run.path("fired_at").asText()))});
                pending.decrementAndGet();
                return;
            }
            if (System.nanoTime() < deadline) {
                pollers.schedule(() -> poll(pollers, http, runId, pollMs, deadline, out, unseen, pending), pollMs,
                        TimeUnit.MILLISECONDS);
                return;
            }
        } catch (Exception e) {
            // counted as unseen
        }
        unseen.incrementAndGet();
        pending.decrementAndGet();
    }

    /** Follows /runs/stream?status=scheduled; records {receipt, fired_at, scheduled_at} in micros per fire. */
    static void follow(LifecycleBench http, AtomicBoolean stop, ConcurrentLinkedQueue<long[]> out) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(http.base + "/api/v1/workspaces/" + WS + "/runs/stream?status=scheduled"))
                .header("Authorization", "Bearer " + http.token).header("Accept", "text/event-stream").build();
        try {
            HttpResponse<Stream<String>> r = http.client.send(request, HttpResponse.BodyHandlers.ofLines());
            var lines = r.body().iterator();
            while (!stop.get() && lines.hasNext()) {
                String line = lines.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                long received = micros(Instant.now());
                JsonNode run = JSON.readTree(line.substring(5));
                if (run.hasNonNull("fired_at") && run.path("attempt").asInt() == 0) {
                    out.add(new long[]{received, micros(Instant.parse(run.path("fired_at").asText())),
                            micros(Instant.parse(run.path("scheduled_at").asText()))});
                }
            }
        } catch (Exception e) {
            if (!stop.get()) {
                System.out.println(" the stream ended: " + e);
            }
        }
    }

    static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    }

    static double pct(long[] sortedMicros, double p) {
        return ClosedLoop.pct(sortedMicros, p) * 1000; // ClosedLoop.pct answers value / 1e6 (ns → ms): micros → ms is × 1000
    }

    static void sleepUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
