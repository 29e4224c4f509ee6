package dev.autoplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.automation.AutomationCommands.CreateAutomationCommand;
import dev.autoplane.events.automation.AutomationSettings.RetryPolicy;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.RunCompletedEvent;
import dev.autoplane.events.run.RunEvents.RunDefinition;
import dev.autoplane.events.run.RunEvents.RunEndedEvent;
import dev.autoplane.events.run.RunEvents.RunLeasedEvent;
import dev.autoplane.events.run.RunEvents.RunScheduledEvent;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.secret.SecretHasher;
import dev.autoplane.platform.secret.SecretTokens;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.RecordComponent;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P5 (PERFORMANCE.md): rebuild of the read models from the event log, events/s, at two sizes (default 100,000 and
 * 1,000,000 events; {@code --quick}: 20,000 and 100,000), heap bounded.
 *
 * <p><b>The log.</b> The standalone runs in this process on a fresh data directory (embedded H2, as shipped).
 * One automation per ~250 events: one is created through the command gateway (its real creation events: created,
 * published, ...), the others are copies of those events under their own ids; then each gets its runs as the
 * product records them, five events per fire: {@code JobFired} and {@code RunEnded} on the automation's stream,
 * {@code RunScheduled}, {@code RunLeased}, {@code RunCompleted} on the run's. All appended straight to the event
 * store in batches of 2,000 (HTTP commands cannot write a million events here in reasonable time: P10 is ~100
 * runs/s), with the metadata a request would give them. Every read model of the shared stream has work
 * (automations, runs, occurrences; revisions and visualizations from the creations). The live processors are
 * then moved to the log's head ({@link #liveProcessorsToTheHead}) so that nothing but the rebuild works while it
 * is measured.
 *
 * <p><b>A round</b> (after one warm-up rebuild at the first size, not counted) is one rebuild through the real stack: {@code POST /api/v1/admin/projections/replay}, then
 * {@code GET /api/v1/admin/projections} every 250 ms until the rebuild shows {@code completed}; its rate is the
 * events it applied over the time between its {@code started_at} and {@code finished_at} (the server's own
 * clock: preparing the shadows, reading, applying, catching up, the swap). The heap in use is sampled every 50 ms
 * meanwhile (this process holds the server and the bench, with {@code -Xmx} as run-p5.sh sets it); the peak (garbage
 * included) and the heap in use after a GC at the round's end are reported. The five read models are rebuilt in one pass over the log, so there is one rate for all of them.
 *
 * <p>Last line: {@code P5 events=<larger size> eps=<median at it> small_events=… small_eps=… ratio=<eps large / eps
 * small> heap_peak_mib=… heap_after_gc_mib=…}.
 */
public final class RebuildBench {

    static final String WS = CommandThroughputBench.WS;
    static final Actor ADMIN = Actor.user("admin");
    static final ObjectMapper JSON = new ObjectMapper();
    static final int EVENTS_PER_AUTOMATION = 250;
    static final int APPEND_BATCH = 2_000;

    final ConfigurableApplicationContext ctx;
    final CommandGateway gateway;
    final EventStorageEngine engine;
    final TransactionManager transactions;
    final JdbcTemplate jdbc;
    final String secretHash;
    final String url;
    final String token;
    final HttpClient http = HttpClient.newHttpClient();
    final AtomicLong names = new AtomicLong();
    /** Rebuilds run once before the first size's rounds, for the JIT, and not counted. */
    int warmups = 1;

    RebuildBench(ConfigurableApplicationContext ctx, String url, String token) {
        this.ctx = ctx;
        this.gateway = ctx.getBean(CommandGateway.class);
        this.engine = ctx.getBean(EventStorageEngine.class);
        this.transactions = ctx.getBean(TransactionManager.class);
        this.jdbc = new JdbcTemplate(ctx.getBean(DataSource.class));
        this.secretHash = ctx.getBean(SecretHasher.class).hash(SecretTokens.generate(SecretTokens.AUTOMATION_SECRET));
        this.url = url;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        long[] sizes = Arrays.stream(ClosedLoop.arg(args, "--sizes", quick ? "20000,100000" : "100000,1000000").split(","))
                .mapToLong(Long::parseLong).sorted().toArray();
        int rounds = Integer.parseInt(ClosedLoop.arg(args, "--rounds", quick ? "2" : "3"));
        Path dataDir = Files.createTempDirectory("autoplane-p5");
        System.setProperty("axoniq.update-checker.disabled", "true");
        Class<?> app = Class.forName("dev.autoplane.standalone.AutoplaneApplication");
        long t0 = System.nanoTime();
        ConfigurableApplicationContext ctx = SpringApplication.run(app, "--server.port=0",
                "--autoplane.data-dir=" + dataDir, "--logging.level.root=WARN",
                "--logging.level.dev.autoplane=WARN", "--logging.level.dev.autoplane.query.rebuild=INFO",
                "--spring.main.banner-mode=off");
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        int exit = 0;
        try {
            String url = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
            RebuildBench bench = new RebuildBench(ctx, url, CommandThroughputBench.waitForAdminToken(url, dataDir));
            long maxHeap = Runtime.getRuntime().maxMemory() >> 20;
            System.out.printf(Locale.ROOT, "P5 read-model rebuild — in-process standalone (embedded H2, %s), %d cores, started in %.1f s,"
                            + " -Xmx %d MiB; sizes %s, %d rounds each; %s%n", dataDir, Runtime.getRuntime().availableProcessors(),
                    startSeconds, maxHeap, Arrays.toString(sizes), rounds, SchedulerBench.uptime());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("benchmark", "P5");
            json.put("started", Instant.now().toString());
            json.put("cores", Runtime.getRuntime().availableProcessors());
            json.put("max_heap_mib", maxHeap);
            List<Map<String, Object>> results = new ArrayList<>();
            json.put("sizes", results);
            for (long size : sizes) {
                results.add(bench.size(size, rounds));
            }
            Map<String, Object> small = results.get(0);
            Map<String, Object> large = results.get(results.size() - 1);
            double ratio = (Double) large.get("eps_median") / (Double) small.get("eps_median");
            long heapPeak = results.stream().mapToLong(r -> (Long) r.get("heap_peak_mib")).max().orElse(0);
            long heapAfter = results.stream().mapToLong(r -> (Long) r.get("heap_after_gc_mib")).max().orElse(0);
            json.put("ratio_large_to_small", ratio);
            Path out = Path.of("bench/results");
            Files.createDirectories(out);
            Path file = out.resolve("p5-" + Instant.now().toString().replace(':', '-') + ".json");
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
            System.out.printf(Locale.ROOT, "%n size        events   rounds  events/s median (min–max)   s median  heap peak / after GC MiB%n");
            for (Map<String, Object> r : results) {
                System.out.printf(Locale.ROOT, " %,9d  %,9d   %d       %,8.0f (%,.0f–%,.0f)   %7.1f   %d / %d%n", (Long) r.get("size"),
                        (Long) r.get("events"), rounds, (Double) r.get("eps_median"), (Double) r.get("eps_min"),
                        (Double) r.get("eps_max"), (Double) r.get("seconds_median"), (Long) r.get("heap_peak_mib"),
                        (Long) r.get("heap_after_gc_mib"));
            }
            System.out.println("\n wrote " + file + "; target ≥ 10,000 events/s (stretch 25,000); ratio ≈ 1 means linear cost");
            System.out.printf(Locale.ROOT, "P5 events=%d eps=%.0f small_events=%d small_eps=%.0f ratio=%.2f heap_peak_mib=%d heap_after_gc_mib=%d%n",
                    (Long) large.get("events"), (Double) large.get("eps_median"), (Long) small.get("events"),
                    (Double) small.get("eps_median"), ratio, heapPeak, heapAfter);
        } catch (Exception | Error e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            ctx.close();
        }
        System.exit(exit);
    }

    /** Grows the log to {@code size} events, lets the live projections catch up, and rebuilds {@code rounds} times. */
    Map<String, Object> size(long size, int rounds) throws Exception {
        long before = head() + 1;
        System.out.printf(Locale.ROOT, "%n== %,d events ==%n", size);
        long t0 = System.nanoTime();
        grow(size);
        liveProcessorsToTheHead();
        double seedSeconds = (System.nanoTime() - t0) / 1e9;
        long events = head() + 1;
        System.out.printf(Locale.ROOT, " log: %,d events (%,d appended in %.1f s); %s%n", events, events - before, seedSeconds,
                SchedulerBench.uptime());
        t0 = System.nanoTime();
        awaitLiveCaughtUp();
        System.out.printf(Locale.ROOT, " live projections caught up in %.1f s; %s%n", (System.nanoTime() - t0) / 1e9, SchedulerBench.uptime());
        if (warmups-- > 0) {
            double[] w = rebuild();
            System.out.printf(Locale.ROOT, " warm-up (not counted): %,.0f events in %.1f s = %,.0f events/s%n", w[0], w[1], w[2]);
        }
        List<double[]> measured = new ArrayList<>();
        long heapPeak = 0;
        long heapAfter = 0;
        for (int round = 1; round <= rounds; round++) {
            double[] r = rebuild();
            measured.add(r);
            heapPeak = Math.max(heapPeak, (long) r[3]);
            heapAfter = Math.max(heapAfter, (long) r[4]);
            System.out.printf(Locale.ROOT, " round %d: %,.0f events in %.1f s = %,.0f events/s; heap peak %,.0f MiB, %,.0f MiB after GC; %s%n",
                    round, r[0], r[1], r[2], r[3], r[4], SchedulerBench.uptime());
        }
        double[] eps = measured.stream().mapToDouble(r -> r[2]).sorted().toArray();
        double[] secs = measured.stream().mapToDouble(r -> r[1]).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", size);
        m.put("events", events);
        m.put("seed_seconds", seedSeconds);
        m.put("eps_median", eps[eps.length / 2]);
        m.put("eps_min", eps[0]);
        m.put("eps_max", eps[eps.length - 1]);
        m.put("seconds_median", secs[secs.length / 2]);
        m.put("heap_peak_mib", heapPeak);
        m.put("heap_after_gc_mib", heapAfter);
        List<Map<String, Object>> roundsJson = new ArrayList<>();
        for (double[] r : measured) {
            roundsJson.add(Map.of("events", r[0], "seconds", r[1], "eps", r[2], "heap_peak_mib", r[3], "heap_after_gc_mib", r[4]));
        }
        m.put("rounds", roundsJson);
        return m;
    }

    /** Grows the log to about {@code size} events: new automations (created by command) and their runs (appended). */
    void grow(long size) throws Exception {
        long events = size - (head() + 1);
        if (events <= 0) {
            return;
        }
        int automations = (int) Math.max(1, events / EVENTS_PER_AUTOMATION);
        String[] ids = new String[automations];
        // one automation created by command; the others are copies of its events under their own ids (commands
        // cost ~10 ms each here, and what is measured is the rebuild, not the writes)
        String template = Ids.newId();
        gateway.sendAndWait(GenericCommandMessage.asCommandMessage(new CreateAutomationCommand(template, WS,
                Map.of("name", "p5 template " + names.incrementAndGet(), "kind", "scheduled", "status", "active"), null, null,
                Ids.newId(), secretHash, ADMIN, true, Instant.now(), List.of())).andMetaData(metaData()));
        List<? extends DomainEventMessage<?>> created = engine.readEvents(template).asStream().toList();
        ids[0] = template;
        List<EventMessage<?>> batch = new ArrayList<>(APPEND_BATCH + 50);
        for (int i = 1; i < automations; i++) {
            String id = Ids.newId();
            ids[i] = id;
            for (DomainEventMessage<?> e : created) {
                batch.add(new GenericDomainEventMessage<>(e.getType(), id, e.getSequenceNumber(), renamed(e.getPayload(), template, id),
                        e.getMetaData(), Ids.newId(), e.getTimestamp()));
            }
            if (batch.size() >= APPEND_BATCH) {
                append(batch);
            }
        }
        append(batch);
        long remaining = Math.max(0, size - (head() + 1));
        int firesEach = (int) Math.max(1, remaining / 5 / automations);
        Map<String, Long> sequence = new HashMap<>();
        jdbc.query("SELECT aggregate_identifier, MAX(sequence_number) FROM domain_event_entry WHERE type = 'Automation'"
                + " GROUP BY aggregate_identifier", rs -> {
            sequence.put(rs.getString(1), rs.getLong(2));
        });
        MetaData metaData = metaData();
        Instant base = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(names.get() * 3600L);
        for (int fire = 0; fire < firesEach; fire++) {
            for (String aid : ids) {
                Instant at = base.plusSeconds(60L * fire);
                String fireId = FireIds.of(aid, "schedule", at);
                String runId = FireIds.runId(fireId, at);
                String leaseId = Ids.newId();
                long seq = sequence.merge(aid, 1L, Long::sum);
                batch.add(domain("Automation", aid, seq, new JobFiredEvent(aid, WS, fireId, runId, "schedule", "interval", "schedule",
                        at, at, "1.0", "published", Map.of(), null, 1, "fired", List.of(), null, Actor.SYSTEM), metaData, at));
                batch.add(domain("Run", runId, 0, new RunScheduledEvent(runId, aid, WS, null, fireId, "schedule", "interval", "schedule",
                        at, at, "1.0", "published", Map.of(), null, 1, new RetryPolicy("fixed", 1, "30s"),
                        new RunDefinition("scheduled", Map.of(), null, null, null, List.of()), null), metaData, at));
                batch.add(domain("Run", runId, 1, new RunLeasedEvent(runId, aid, WS, leaseId, Actor.user("executor"), 1,
                        at.plusMillis(5), at.plusSeconds(60)), metaData, at.plusMillis(5)));
                batch.add(domain("Run", runId, 2, new RunCompletedEvent(runId, aid, WS, leaseId, Map.of("ok", true),
                        at.plusMillis(50)), metaData, at.plusMillis(50)));
                seq = sequence.merge(aid, 1L, Long::sum);
                batch.add(domain("Automation", aid, seq, new RunEndedEvent(aid, WS, runId, "completed", null, at.plusMillis(50)),
                        metaData, at.plusMillis(50)));
                if (batch.size() >= APPEND_BATCH) {
                    append(batch);
                }
            }
        }
        append(batch);
    }

    /** The record with every String component equal to {@code from} replaced by {@code to} (the automation's id). */
    static Object renamed(Object payload, String from, String to) {
        if (!(payload instanceof Record record)) {
            return payload;
        }
        try {
            RecordComponent[] components = record.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                Object v = components[i].getAccessor().invoke(record);
                values[i] = from.equals(v) ? to : v;
                types[i] = components[i].getType();
            }
            var constructor = record.getClass().getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Moves every tracking processor of the server to the log's head (stopped, token stored, started again): the
     * events appended here are not worked through by the live projections first (hours on this machine for a
     * million, with the audit log and the command side's indexes); the rebuild reads the whole log whatever they hold.
     */
    void liveProcessorsToTheHead() {
        EventProcessingConfiguration processing = ctx.getBean(EventProcessingConfiguration.class);
        TokenStore tokens = ctx.getBean(TokenStore.class);
        TrackingToken head = ctx.getBean(EventStore.class).createHeadToken();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                try {
                    streaming.shutdownAsync().get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                transactions.executeInTransaction(() -> {
                    for (int segment : tokens.fetchSegments(name)) {
                        tokens.storeToken(head, name, segment);
                        tokens.releaseClaim(name, segment);
                    }
                });
                streaming.start();
            }
        });
    }

    private static EventMessage<?> domain(String type, String id, long seq, Object payload, MetaData metaData, Instant at) {
        return new GenericDomainEventMessage<>(type, id, seq, payload, metaData, Ids.newId(), at);
    }

    private void append(List<EventMessage<?>> batch) {
        if (!batch.isEmpty()) {
            List<EventMessage<?>> copy = List.copyOf(batch);
            transactions.executeInTransaction(() -> engine.appendEvents(copy));
            batch.clear();
        }
    }

    MetaData metaData() {
        return SeedingMetaData.of(WS, ADMIN.id(), "P5 benchmark seeding");
    }

    long head() {
        Long max = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class);
        return max == null ? -1 : max;
    }

    /** Until every projection of this process shows lag 0 (the live processors have read the whole log). */
    void awaitLiveCaughtUp() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = JSON.readTree(get("/api/v1/admin/projections"));
            boolean all = true;
            for (JsonNode p : status.path("projections")) {
                if (!p.path("lag").isNull() && p.path("lag").asLong() > 0) {
                    all = false;
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the live projections did not catch up within an hour");
    }

    /** One rebuild: {events, seconds, events/s, heap peak MiB, heap after a GC at its end MiB}. */
    double[] rebuild() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        System.gc();
        sampler.start();
        try {
            HttpResponse<String> replay = send("POST", "/api/v1/admin/projections/replay");
            if (replay.statusCode() != 202) {
                throw new IllegalStateException("replay: " + replay.statusCode() + " " + replay.body());
            }
            while (true) {
                Thread.sleep(250);
                JsonNode rebuild = null;
                for (JsonNode p : JSON.readTree(get("/api/v1/admin/projections")).path("projections")) {
                    if (p.path("name").asText().equals("automations")) {
                        rebuild = p.path("rebuild");
                    }
                }
                if (rebuild == null || rebuild.isMissingNode() || rebuild.isNull()) {
                    throw new IllegalStateException("no rebuild shown");
                }
                String state = rebuild.path("state").asText();
                if (state.equals("failed")) {
                    throw new IllegalStateException("the rebuild failed: " + rebuild.path("error").asText());
                }
                if (state.equals("completed")) {
                    double seconds = Duration.between(Instant.parse(rebuild.path("started_at").asText()),
                            Instant.parse(rebuild.path("finished_at").asText())).toNanos() / 1e9;
                    double events = rebuild.path("events").asDouble();
                    System.gc();
                    return new double[] {events, seconds, events / seconds, peak.get() >> 20,
                            memory.getHeapMemoryUsage().getUsed() >> 20};
                }
            }
        } finally {
            sampler.interrupt();
            sampler.join();
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path);
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
