package dev.autoplane.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.autoplane.events.automation.AutomationCommands.CreateAutomationCommand;
import dev.autoplane.events.automation.ScheduleCommands.SetAutomationScheduleCommand;
import dev.autoplane.events.common.Actor;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.secret.SecretHasher;
import dev.autoplane.platform.secret.SecretTokens;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P2 and P3 (PERFORMANCE.md): scheduled fires, and db-scheduler side by side on the same database.
 * <p>
 * Runs the standalone in-process (both sides, embedded H2 on a fresh data directory, exactly the
 * shipped configuration) so that the seeding can use the {@link CommandGateway} directly, the
 * figures can be read from the event store through the app's own {@link DataSource}, and
 * db-scheduler can run on that very database (an embedded H2 file admits one process only).
 * <p>
 * Every fire is counted from {@code domain_event_entry}: a poller thread reads new
 * {@code JobFiredEvent} rows every {@code --poll-ms} and stamps when it saw them committed; at the end
 * of each workload the phase's rows are read again from the table and checked: every automation
 * fired exactly its expected occurrences, none twice, none skipped. Any duplicate or missed
 * occurrence makes the benchmark exit with status 1.
 *
 * <pre>bench/run-p2.sh [--sizes 10000,100000] [--quick] [--rate 1000] [--saturate 3000] [--rounds 3] [--seconds 20]</pre>
 */
public final class SchedulerBench {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final Actor ADMIN = Actor.user("admin");
    static final Pattern FIRE_ID = Pattern.compile("\"fireId\":\"([^\"]+)\"");
    static final Pattern AUTOMATION_ID = Pattern.compile("\"automationId\":\"([^\"]+)\"");
    static final Pattern SCHEDULED_AT = Pattern.compile("\"scheduledAt\":\"([^\"]+)\"");
    static final Pattern FIRED_AT = Pattern.compile("\"firedAt\":\"([^\"]+)\"");
    static final Pattern RECORDED_AT = Pattern.compile("\"recordedAt\":\"([^\"]+)\"");
    static final Pattern OUTCOME = Pattern.compile("\"outcome\":\"([^\"]+)\"");

    final CommandGateway gateway;
    final DataSource dataSource;
    final JdbcTemplate jdbc;
    final String secretHash;
    final int seedThreads;
    final Ledger ledger;
    final org.axonframework.eventsourcing.eventstore.EventStore eventStore;
    final org.axonframework.config.EventProcessingConfiguration processors;
    final AtomicLong names = new AtomicLong();
    final List<String> failures = new ArrayList<>();

    SchedulerBench(ConfigurableApplicationContext ctx, int seedThreads, int pollMs) {
        this.gateway = ctx.getBean(CommandGateway.class);
        this.dataSource = ctx.getBean(DataSource.class);
        this.jdbc = new JdbcTemplate(dataSource);
        this.secretHash = ctx.getBean(SecretHasher.class).hash(SecretTokens.generate(SecretTokens.AUTOMATION_SECRET));
        this.seedThreads = seedThreads;
        this.ledger = new Ledger(dataSource, pollMs);
        this.eventStore = ctx.getBean(org.axonframework.eventsourcing.eventstore.EventStore.class);
        this.processors = ctx.getBean(org.axonframework.config.EventProcessingConfiguration.class);
    }

    /**
     * Waits until every tracking processor has handled the log up to its head as of now (every read model current),
     * up to {@code timeout}; answers whether they got there.
     */
    boolean awaitProjected(Duration timeout) throws InterruptedException {
        long head = dev.autoplane.platform.axon.LogHead.position(eventStore);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean current = processors.eventProcessors().values().stream()
                    .filter(p -> p instanceof org.axonframework.eventhandling.StreamingEventProcessor)
                    .map(p -> (org.axonframework.eventhandling.StreamingEventProcessor) p)
                    .allMatch(p -> !p.processingStatus().isEmpty() && p.processingStatus().values().stream()
                            .allMatch(st -> st.getCurrentPosition().orElse(-1) >= head));
            if (current) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    // ------------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int[] sizes = Arrays.stream(ClosedLoop.arg(args, "--sizes", quick ? "10000" : "10000,100000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int rate = Integer.parseInt(ClosedLoop.arg(args, "--rate", "1000"));
        int saturate = Integer.parseInt(ClosedLoop.arg(args, "--saturate", "3000"));
        // --quick: one size, shorter rounds (under 6 minutes with db-scheduler beside it); ends with the P3 line
        int rounds = Integer.parseInt(ClosedLoop.arg(args, "--rounds", quick ? "2" : "3"));
        int seconds = Integer.parseInt(ClosedLoop.arg(args, "--seconds", quick ? "10" : "20"));
        int warmup = Integer.parseInt(ClosedLoop.arg(args, "--warmup", quick ? "3" : "5"));
        int burst = Integer.parseInt(ClosedLoop.arg(args, "--burst", "10000"));
        int threads = Integer.parseInt(ClosedLoop.arg(args, "--seed-threads", "8"));
        int pollMs = Integer.parseInt(ClosedLoop.arg(args, "--poll-ms", "10"));
        int dsThreads = Integer.parseInt(ClosedLoop.arg(args, "--ds-threads", "10"));
        int dsPollMs = Integer.parseInt(ClosedLoop.arg(args, "--ds-poll-ms", "10"));
        boolean baseline = !Arrays.asList(args).contains("--no-db-scheduler");

        Path dataDir = Files.createTempDirectory("autoplane-p2");
        System.setProperty("axoniq.update-checker.disabled", "true");
        Class<?> app = Class.forName("dev.autoplane.standalone.AutoplaneApplication");
        long t0 = System.nanoTime();
        ConfigurableApplicationContext ctx = SpringApplication.run(app, "--server.port=0",
                "--autoplane.data-dir=" + dataDir, "--logging.level.root=WARN",
                "--logging.level.dev.autoplane=WARN", "--spring.main.banner-mode=off");
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        int exit = 0;
        try {
            SchedulerBench bench = new SchedulerBench(ctx, threads, pollMs);
            String sequenceCache = ClosedLoop.arg(args, "--experiment-sequence-cache", null);
            if (sequenceCache != null) {
                // an EXPERIMENT, not the shipped configuration: H2 flushes an identity sequence (one MVStore store, i.e. a
                // chunk write) each time its cache (default 32) runs out; see bench/README.md
                bench.jdbc.execute("ALTER TABLE domain_event_entry ALTER COLUMN global_index SET CACHE " + Integer.parseInt(sequenceCache));
                System.out.println(" EXPERIMENT: domain_event_entry.global_index identity cache set to " + sequenceCache
                        + " (not the shipped configuration)");
            }
            bench.ledger.start();
            System.out.printf(Locale.ROOT, "P2/P3 scheduled fires — in-process standalone (embedded H2, %s), %d cores, started in %.1f s%n"
                            + " %d rounds x %d s after %d s warm-up; sizes %s; rate %d/s, saturating %d/s; burst %d; load %s%n",
                    dataDir, Runtime.getRuntime().availableProcessors(), startSeconds, rounds, seconds, warmup,
                    Arrays.toString(sizes), rate, saturate, burst, uptime());
            List<Map<String, Object>> sustained = new ArrayList<>();
            List<Map<String, Object>> baselines = new ArrayList<>();
            Map<String, Object> heap = null;
            // smallest size first, with the saturating rate and the burst; the largest (slowest to seed) last
            Map<String, Object> burstResult = null;
            Map<String, Object> burstBaseline = null;
            for (int n : sizes) {
                Map<String, Object> r = bench.sustained(n, rate, rounds, seconds, warmup);
                sustained.add(r);
                heap = (Map<String, Object>) r.get("memory_after_seeding");
                if (baseline) {
                    baselines.add(bench.dbScheduler(n, rate, rounds, seconds, warmup, dsThreads, dsPollMs));
                }
                if (n == sizes[0] && saturate > 0) {
                    // Autoplane at the saturating rate only if it kept up at the chosen one: otherwise that run was already
                    // its maximum, and a heavier one only piles up a backlog past the misfire grace
                    boolean keptUp = (Double) r.get("recorded_per_s") >= 0.95 * (Double) r.get("offered_per_s")
                            && (Double) r.get("recorded_p99_ms") < 1000;
                    if (keptUp) {
                        sustained.add(bench.sustained(n, saturate, rounds, seconds, warmup));
                    } else {
                        System.out.printf(Locale.ROOT, "%n (Autoplane did not keep up at %d/s: that run is its maximum sustained rate;"
                                + " the %d/s run is for db-scheduler only)%n", rate, saturate);
                    }
                    if (baseline) {
                        baselines.add(bench.dbScheduler(n, saturate, rounds, seconds, warmup, dsThreads, dsPollMs));
                    }
                }
                if (n == sizes[0] && burst > 0) {
                    burstResult = bench.burst(burst);
                    burstBaseline = baseline ? bench.dbSchedulerBurst(burst, dsThreads, dsPollMs) : null;
                }
            }

            Map<String, Object> json = new LinkedHashMap<>();
            json.put("benchmark", "P2/P3");
            json.put("started", Instant.now().toString());
            json.put("cores", Runtime.getRuntime().availableProcessors());
            json.put("experiment_sequence_cache", ClosedLoop.arg(args, "--experiment-sequence-cache", null));
            json.put("startup_seconds", round(startSeconds));
            json.put("config", Map.of("rounds", rounds, "seconds", seconds, "warmup", warmup, "rate", rate,
                    "saturate", saturate, "poll_ms", pollMs, "db_scheduler", Map.of("threads", dsThreads,
                            "polling_interval_ms", dsPollMs, "polling", "fetch-and-lock-on-execute (H2 has no lock-and-fetch)")));
            json.put("sustained", sustained);
            json.put("db_scheduler_sustained", baselines);
            json.put("burst", burstResult);
            json.put("db_scheduler_burst", burstBaseline);
            json.put("heap_after_seeding_largest", heap);
            json.put("failures", bench.failures);
            bench.summary(sustained, baselines, burstResult, burstBaseline, heap);
            Path out = Path.of("bench/results");
            Files.createDirectories(out);
            Path file = out.resolve("p2-" + Instant.now().toString().replace(':', '-') + ".json");
            Files.writeString(file, Json.write(json) + "\n");
            System.out.println("\n wrote " + file);
            if (!bench.failures.isEmpty()) {
                System.out.println("\n FAILED — " + bench.failures.size() + " correctness problem(s):");
                bench.failures.forEach(f -> System.out.println("  - " + f));
                exit = 1;
            }
            bench.ledger.stop();
        } catch (Throwable e) {
            e.printStackTrace();
            exit = 2;
        } finally {
            ctx.close();
            if (!Arrays.asList(args).contains("--keep-data")) {
                // the H2 file reaches tens of GiB at 100k (see bench/README.md): do not leave it on a shared disk
                try (var files = Files.walk(dataDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        System.exit(exit);
    }

    // ------------------------------------------------------------------ Autoplane: seeding

    MetaData metaData() {
        return SeedingMetaData.of(WS, ADMIN.id(), "P2 benchmark seeding");
    }

    void send(Object command) {
        gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData()));
    }

    /** Runs {@code task(i)} for i in [0, n) on the seeding threads; answers the seconds it took. */
    double parallel(int n, java.util.function.IntConsumer task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(seedThreads);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < seedThreads; t++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    task.accept(i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return (System.nanoTime() - start) / 1e9;
    }

    /** Creates n active automations (no schedule yet); answers their ids and the creation seconds. */
    String[] createAutomations(int n, String label, double[] seconds) throws Exception {
        String[] ids = new String[n];
        seconds[0] = parallel(n, i -> {
            String id = Ids.newId();
            send(new CreateAutomationCommand(id, WS, Map.of("name", "p2 " + label + " " + names.incrementAndGet(),
                    "kind", "scheduled", "status", "active"), null, null, Ids.newId(), secretHash, ADMIN, true, Instant.now(), List.of()));
            ids[i] = id;
        });
        return ids;
    }

    // ------------------------------------------------------------------ Autoplane: sustained

    Map<String, Object> sustained(int n, int rate, int rounds, int seconds, int warmup) throws Exception {
        String label = n + "@" + rate;
        long intervalMs = Math.max(1000, Math.round(1000.0 * n / rate));
        double offered = 1000.0 * n / intervalMs;
        int occurrences = (int) Math.ceil((warmup + rounds * (double) seconds) * 1000 / intervalMs);
        System.out.printf(Locale.ROOT, "%n== P2 sustained, Autoplane: %,d schedules, interval %d ms (offered %.0f fires/s), %d occurrence(s) each ==%n",
                n, intervalMs, offered, occurrences);
        double[] createSeconds = new double[1];
        String[] ids = createAutomations(n, label, createSeconds);
        double createRate = n / createSeconds[0];
        // schedules are cheaper than creates (1 event vs 4): predict their time from the creates, with a margin
        Instant tStart = Instant.now().plusMillis((long) (createSeconds[0] * 1000) + 5000).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String interval = "PT" + (intervalMs / 1000) + "." + String.format(Locale.ROOT, "%03d", intervalMs % 1000) + "S";
        Map<String, Instant> start = new ConcurrentHashMap<>();
        long globalBefore = ledger.maxIndex();
        double scheduleSeconds = parallel(n, i -> {
            Instant s = tStart.plusMillis(i * intervalMs / n);
            Instant putAt = Instant.now();
            // the schedule counts from when it is set: if seeding overran its start, its first occurrence is the next one
            Instant first = s.isAfter(putAt) ? s
                    : s.plusMillis((Math.floorDiv(Duration.between(s, putAt).toMillis(), intervalMs) + 1) * intervalMs);
            start.put(ids[i], first);
            send(new SetAutomationScheduleCommand(ids[i], WS, null, Map.of("interval", interval, "start_time", s.toString(),
                    "end", Map.of("type", "after_occurrences", "occurrences", occurrences)), true, ADMIN, putAt, List.of()));
        });
        Instant seeded = Instant.now();
        double seedRate = n / (createSeconds[0] + scheduleSeconds);
        Map<String, Object> memory = memory();
        System.out.printf(Locale.ROOT, " seeded: %,d creates in %.1f s (%.0f/s), %,d schedules in %.1f s (%.0f/s) = %.0f schedules/s overall; load %s%n",
                n, createSeconds[0], createRate, n, scheduleSeconds, n / scheduleSeconds, seedRate, uptime());
        System.out.printf(Locale.ROOT, " memory after seeding (after GC): heap used %s MiB, RSS %s MiB (in-process: app + bench)%n",
                memory.get("heap_used_mib"), memory.get("rss_mib"));
        if (seeded.isAfter(tStart)) {
            String f = String.format(Locale.ROOT, "seeding of %s overran the first occurrence by %d ms (first occurrences fire late)",
                    label, Duration.between(tStart, seeded).toMillis());
            System.out.println(" WARNING: " + f);
        }
        boolean projectedBeforeStart = awaitProjected(Duration.between(Instant.now(), tStart));
        System.out.printf(Locale.ROOT, " read models %s%n", projectedBeforeStart
                ? String.format(Locale.ROOT, "current %d ms before the first occurrence", Duration.between(Instant.now(), tStart).toMillis())
                : "NOT current at the first occurrence: they are still projecting the seeding while the engine fires");
        Instant windowStart = (seeded.isAfter(tStart) ? seeded : tStart).plusSeconds(warmup);
        List<double[]> results = new ArrayList<>();
        System.out.printf(Locale.ROOT, " %5s %10s %10s %9s %9s %9s %9s %9s %9s  %s%n", "round", "offered/s", "recorded/s",
                "fire p50", "fire p99", "fire max", "rec p50", "rec p99", "rec max", "load");
        sleepUntil(windowStart);
        double cpuAtWindow = ProcessCpu.own();
        for (int r = 0; r < rounds; r++) {
            Instant a = windowStart.plusSeconds((long) r * seconds);
            Instant b = a.plusSeconds(seconds);
            sleepUntil(b.plusMillis(200));
            if (r == rounds - 1) {
                double cpu = ProcessCpu.own() - cpuAtWindow;
                double recordedInRounds = ledger.countSeenBetween(windowStart, b);
                System.out.printf(Locale.ROOT, " process CPU over the rounds: %.1f s for %,.0f fires recorded in them: %.2f ms per fire"
                        + " (the read models' share as far as they kept up)%n", cpu, recordedInRounds, cpu * 1000 / Math.max(1, recordedInRounds));
            }
            // wait (bounded) until the occurrences due in this window are recorded, so lateness covers all of them
            long expected = expectedIn(start, intervalMs, occurrences, a, b);
            ledger.awaitScheduledIn(a, b, expected, Duration.ofSeconds(30));
            double[] res = ledger.window(a, b, offered);
            results.add(res);
            System.out.printf(Locale.ROOT, " %5d %10.0f %10.0f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f  %s%n", r + 1, res[0], res[1],
                    res[2], res[3], res[4], res[5], res[6], res[7], uptime());
        }
        // the whole phase: every automation fires exactly its occurrences
        Instant phaseEnd = tStart.plusMillis(occurrences * intervalMs);
        sleepUntil(phaseEnd.plusMillis(500));
        ledger.awaitCount(globalBefore, (long) n * occurrences, Duration.ofSeconds(15));
        Map<String, Object> check = verify(label, globalBefore, start, intervalMs, occurrences);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("system", "autoplane");
        out.put("schedules", n);
        out.put("interval_ms", intervalMs);
        out.put("offered_per_s", round(offered));
        out.put("seed", Map.of("creates_per_s", round(createRate), "schedules_per_s", round(n / scheduleSeconds),
                "automations_per_s", round(seedRate), "seconds", round(createSeconds[0] + scheduleSeconds), "threads", seedThreads));
        out.put("memory_after_seeding", memory);
        out.putAll(summarise(results, " median"));
        out.put("rounds", rounds(results));
        out.put("check", check);
        out.put("load", uptime());
        return out;
    }

    static long expectedIn(Map<String, Instant> start, long intervalMs, int occurrences, Instant a, Instant b) {
        long count = 0;
        for (Instant s : start.values()) {
            for (int k = 0; k < occurrences; k++) {
                Instant t = s.plusMillis(k * intervalMs);
                if (!t.isBefore(a) && t.isBefore(b)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Reads the phase's fires again from the event store and checks each automation's occurrences. */
    Map<String, Object> verify(String label, long globalBefore, Map<String, Instant> start, long intervalMs, int occurrences)
            throws Exception {
        Map<String, List<Instant>> fired = new HashMap<>();
        Set<String> fireIds = new HashSet<>();
        long duplicates = 0;
        long skipped = 0;
        long rows = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT payload_type, payload FROM domain_event_entry WHERE global_index > ?"
                     + " AND (payload_type LIKE '%JobFiredEvent' OR payload_type LIKE '%OccurrenceSkippedEvent')")) {
            s.setLong(1, globalBefore);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String payload = new String(rs.getBytes(2), StandardCharsets.UTF_8);
                    String automation = group(AUTOMATION_ID, payload);
                    if (!start.containsKey(automation)) {
                        continue; // another phase's
                    }
                    rows++;
                    if (rs.getString(1).endsWith("OccurrenceSkippedEvent")) {
                        skipped++;
                        continue;
                    }
                    if (!fireIds.add(group(FIRE_ID, payload))) {
                        duplicates++;
                    }
                    fired.computeIfAbsent(automation, k -> new ArrayList<>()).add(Instant.parse(group(SCHEDULED_AT, payload)));
                }
            }
        }
        long missed = 0;
        long unexpected = 0;
        long sameInstantTwice = 0;
        for (var e : start.entrySet()) {
            Set<Instant> expected = new HashSet<>();
            for (int k = 0; k < occurrences; k++) {
                expected.add(e.getValue().plusMillis(k * intervalMs));
            }
            List<Instant> got = fired.getOrDefault(e.getKey(), List.of());
            Set<Instant> gotSet = new HashSet<>(got);
            sameInstantTwice += got.size() - gotSet.size();
            for (Instant t : expected) {
                if (!gotSet.contains(t)) {
                    missed++;
                }
            }
            for (Instant t : gotSet) {
                if (!expected.contains(t)) {
                    unexpected++;
                }
            }
        }
        duplicates = Math.max(duplicates, sameInstantTwice);
        long expectedTotal = (long) start.size() * occurrences;
        System.out.printf(Locale.ROOT, " check (re-read from domain_event_entry): %,d fires of %,d expected; duplicates %d, missed %d, skipped %d, unexpected %d%n",
                rows - skipped, expectedTotal, duplicates, missed, skipped, unexpected);
        if (duplicates > 0 || missed > 0 || skipped > 0 || unexpected > 0) {
            failures.add(String.format(Locale.ROOT, "Autoplane %s: duplicates %d, missed %d, skipped %d, unexpected %d",
                    label, duplicates, missed, skipped, unexpected));
        }
        return Map.of("expected", expectedTotal, "fires", rows - skipped, "duplicates", duplicates, "missed", missed,
                "skipped", skipped, "unexpected", unexpected);
    }

    // ------------------------------------------------------------------ Autoplane: burst

    Map<String, Object> burst(int n) throws Exception {
        System.out.printf(Locale.ROOT, "%n== P2 burst, Autoplane: %,d automations with one occurrence at the same instant ==%n", n);
        double[] createSeconds = new double[1];
        String[] ids = createAutomations(n, "burst", createSeconds);
        Instant at = Instant.now().plusMillis((long) (createSeconds[0] * 1000 * 1.2) + 8000).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long globalBefore = ledger.maxIndex();
        Map<String, Instant> start = new ConcurrentHashMap<>();
        double scheduleSeconds = parallel(n, i -> {
            start.put(ids[i], at);
            send(new SetAutomationScheduleCommand(ids[i], WS, null, Map.of("at", at.toString()), true, ADMIN, Instant.now(), List.of()));
        });
        Instant seeded = Instant.now();
        System.out.printf(Locale.ROOT, " seeded: %,d creates in %.1f s, %,d at-schedules in %.1f s; due at %s (%d ms after seeding); load %s%n",
                n, createSeconds[0], n, scheduleSeconds, at, Duration.between(seeded, at).toMillis(), uptime());
        if (seeded.isAfter(at)) {
            failures.add("burst seeding overran the due instant; rerun with fewer seed threads or a smaller --burst");
        }
        boolean projectedBeforeDue = awaitProjected(Duration.between(Instant.now(), at));
        if (!projectedBeforeDue) {
            System.out.println(" read models NOT current at the due instant: the CPU below includes projecting the seeding");
        }
        sleepUntil(at);
        String load = uptime();
        double cpuAtDue = ProcessCpu.own();
        ledger.awaitCount(globalBefore, n, Duration.ofSeconds(15));
        double cpuRecorded = ProcessCpu.own() - cpuAtDue;
        boolean projected = awaitProjected(Duration.ofSeconds(120));
        double projectedAfter = Duration.between(at, Instant.now()).toMillis() / 1000.0;
        double cpuProjected = ProcessCpu.own() - cpuAtDue;
        List<Ledger.Fire> fires = ledger.since(globalBefore, start.keySet());
        long allRecordedMs = fires.stream().mapToLong(f -> f.seenMillis).max().orElse(0) - at.toEpochMilli();
        long[] fireLate = fires.stream().mapToLong(f -> f.firedMillis - f.scheduledMillis).sorted().toArray();
        long[] recLate = fires.stream().mapToLong(f -> f.seenMillis - f.scheduledMillis).sorted().toArray();
        Map<String, Object> check = verify("burst", globalBefore, start, 1, 1);
        System.out.printf(Locale.ROOT, " all %,d recorded %.2f s after the due instant (target <= 5 s); lateness fired p50 %.0f / p99 %.0f / max %.0f ms,"
                        + " recorded p50 %.0f / p99 %.0f / max %.0f ms; load at the burst %s%n",
                fires.size(), allRecordedMs / 1000.0, pct(fireLate, .5), pct(fireLate, .99), pct(fireLate, 1), pct(recLate, .5),
                pct(recLate, .99), pct(recLate, 1), load);
        System.out.printf(Locale.ROOT, " every read model current %s %.2f s after the due instant; process CPU %.1f s until all were recorded,"
                        + " %.1f s until projected: %.2f ms per fire%n", projected ? "" : "NOT (gave up)", projectedAfter, cpuRecorded,
                cpuProjected, cpuProjected * 1000 / Math.max(1, fires.size()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("system", "autoplane");
        out.put("automations", n);
        out.put("read_models_current_after_s", projected ? round(projectedAfter) : null);
        out.put("cpu_ms_per_fire", round(cpuProjected * 1000 / Math.max(1, fires.size())));
        out.put("due_at", at.toString());
        out.put("all_recorded_after_s", round(allRecordedMs / 1000.0));
        out.put("fires_per_s", round(fires.size() * 1000.0 / Math.max(1, allRecordedMs)));
        out.put("fired_lateness_ms", Map.of("p50", pct(fireLate, .5), "p99", pct(fireLate, .99), "max", pct(fireLate, 1)));
        out.put("recorded_lateness_ms", Map.of("p50", pct(recLate, .5), "p99", pct(recLate, .99), "max", pct(recLate, 1)));
        out.put("check", check);
        out.put("load", load);
        return out;
    }

    // ------------------------------------------------------------------ db-scheduler

    void createDbSchedulerTable() {
        // db-scheduler's documented DDL (hsql_tables.sql / h2), with the priority column of 15.x+
        jdbc.execute("CREATE TABLE IF NOT EXISTS scheduled_tasks (task_name VARCHAR(100) NOT NULL, task_instance VARCHAR(100) NOT NULL,"
                + " task_data BLOB, execution_time TIMESTAMP(6) WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL, picked_by VARCHAR(50),"
                + " last_success TIMESTAMP(6) WITH TIME ZONE, last_failure TIMESTAMP(6) WITH TIME ZONE, consecutive_failures INT,"
                + " last_heartbeat TIMESTAMP(6) WITH TIME ZONE, version BIGINT NOT NULL, priority INT,"
                + " PRIMARY KEY (task_name, task_instance))");
        jdbc.execute("CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)");
    }

    /** One execution of the no-op task: its nominal time, when it started and when its reschedule was committed. */
    record Exec(String instance, long scheduledMillis, long startedMillis, long doneMillis) {
    }

    Scheduler dbSchedulerFor(CustomTask<Void> task, int threads, int pollMs) {
        createDbSchedulerTable();
        return new SchedulerBuilder(dataSource, List.of(task)).threads(threads).pollingInterval(Duration.ofMillis(pollMs))
                .heartbeatInterval(Duration.ofSeconds(5)).build();
    }

    Map<String, Object> dbScheduler(int n, int rate, int rounds, int seconds, int warmup, int threads, int pollMs)
            throws Exception {
        String label = n + "@" + rate;
        long intervalMs = Math.max(1000, Math.round(1000.0 * n / rate));
        double offered = 1000.0 * n / intervalMs;
        int occurrences = (int) Math.ceil((warmup + rounds * (double) seconds) * 1000 / intervalMs);
        System.out.printf(Locale.ROOT, "%n== P3 sustained, db-scheduler (same H2 database, %d threads, polling %d ms): %,d instances, interval %d ms (offered %.0f/s) ==%n",
                threads, pollMs, n, intervalMs, offered);
        ConcurrentLinkedQueue<Exec> execs = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        String taskName = "p3-" + label;
        CustomTask<Void> task = Tasks.custom(taskName, Void.class).execute((inst, ctx) -> {
            long started = System.currentTimeMillis();
            Instant nominal = ctx.getExecution().executionTime;
            int done = counts.computeIfAbsent(inst.getId(), k -> new AtomicInteger()).incrementAndGet();
            return (CompletionHandler<Void>) (complete, ops) -> {
                if (done >= occurrences) {
                    ops.remove();
                } else {
                    ops.reschedule(complete, nominal.plusMillis(intervalMs));
                }
                execs.add(new Exec(inst.getId(), nominal.toEpochMilli(), started, System.currentTimeMillis()));
            };
        });
        Scheduler scheduler = dbSchedulerFor(task, threads, pollMs);
        scheduler.start();
        Instant tStart = Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long seedStart = System.nanoTime();
        Map<String, Instant> start = new HashMap<>();
        List<SchedulableInstance<?>> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant s = tStart.plusMillis(i * intervalMs / n);
            String id = "i" + i;
            start.put(id, s);
            batch.add(SchedulableInstance.of(task.instance(id), s));
            if (batch.size() == 1000) {
                scheduler.scheduleBatch(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            scheduler.scheduleBatch(batch);
        }
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        Instant seeded = Instant.now();
        System.out.printf(Locale.ROOT, " seeded %,d instances in %.2f s (%.0f/s, scheduleBatch of 1,000); load %s%n", n, seedSeconds,
                n / seedSeconds, uptime());
        Instant windowStart = (seeded.isAfter(tStart) ? seeded : tStart).plusSeconds(warmup);
        List<double[]> results = new ArrayList<>();
        System.out.printf(Locale.ROOT, " %5s %10s %10s %9s %9s %9s %9s %9s %9s  %s%n", "round", "offered/s", "done/s",
                "start p50", "start p99", "start max", "done p50", "done p99", "done max", "load");
        sleepUntil(windowStart);
        double cpuAtWindow = ProcessCpu.own();
        for (int r = 0; r < rounds; r++) {
            Instant a = windowStart.plusSeconds((long) r * seconds);
            Instant b = a.plusSeconds(seconds);
            sleepUntil(b.plusMillis(200));
            if (r == rounds - 1) {
                double cpu = ProcessCpu.own() - cpuAtWindow;
                long from = windowStart.toEpochMilli();
                long to = b.toEpochMilli();
                double done = execs.stream().filter(e -> e.doneMillis >= from && e.doneMillis < to).count();
                System.out.printf(Locale.ROOT, " process CPU over the rounds: %.1f s for %,.0f executions done in them: %.2f ms per execution%n",
                        cpu, done, cpu * 1000 / Math.max(1, done));
            }
            long expected = expectedIn(start, intervalMs, occurrences, a, b);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && execs.stream().filter(e -> e.scheduledMillis >= a.toEpochMilli()
                    && e.scheduledMillis < b.toEpochMilli()).count() < expected) {
                Thread.sleep(200);
            }
            double[] res = window(execs, a, b, offered);
            results.add(res);
            System.out.printf(Locale.ROOT, " %5d %10.0f %10.0f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f  %s%n", r + 1, res[0], res[1],
                    res[2], res[3], res[4], res[5], res[6], res[7], uptime());
        }
        Instant phaseEnd = tStart.plusMillis(occurrences * intervalMs);
        sleepUntil(phaseEnd.plusMillis(500));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && execs.size() < (long) n * occurrences) {
            Thread.sleep(200);
        }
        scheduler.stop();
        Map<String, Object> check = verifyExecs("db-scheduler " + label, execs, start, intervalMs, occurrences);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("system", "db-scheduler");
        out.put("schedules", n);
        out.put("interval_ms", intervalMs);
        out.put("offered_per_s", round(offered));
        out.put("seed", Map.of("instances_per_s", round(n / seedSeconds), "seconds", round(seedSeconds)));
        out.putAll(summarise(results, " median"));
        out.put("rounds", rounds(results));
        out.put("check", check);
        out.put("load", uptime());
        return out;
    }

    Map<String, Object> dbSchedulerBurst(int n, int threads, int pollMs) throws Exception {
        System.out.printf(Locale.ROOT, "%n== P3 burst, db-scheduler: %,d one-time executions at the same instant ==%n", n);
        ConcurrentLinkedQueue<Exec> execs = new ConcurrentLinkedQueue<>();
        CustomTask<Void> task = Tasks.custom("p3-burst", Void.class).execute((inst, ctx) -> {
            long started = System.currentTimeMillis();
            Instant nominal = ctx.getExecution().executionTime;
            return (CompletionHandler<Void>) (complete, ops) -> {
                ops.remove();
                execs.add(new Exec(inst.getId(), nominal.toEpochMilli(), started, System.currentTimeMillis()));
            };
        });
        Scheduler scheduler = dbSchedulerFor(task, threads, pollMs);
        scheduler.start();
        Instant at = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, Instant> start = new HashMap<>();
        List<SchedulableInstance<?>> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            start.put("b" + i, at);
            batch.add(SchedulableInstance.of(task.instance("b" + i), at));
            if (batch.size() == 1000) {
                scheduler.scheduleBatch(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            scheduler.scheduleBatch(batch);
        }
        sleepUntil(at);
        String load = uptime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && execs.size() < n) {
            Thread.sleep(50);
        }
        scheduler.stop();
        long allDone = execs.stream().mapToLong(e -> e.doneMillis).max().orElse(0) - at.toEpochMilli();
        long[] startLate = execs.stream().mapToLong(e -> e.startedMillis - e.scheduledMillis).sorted().toArray();
        long[] doneLate = execs.stream().mapToLong(e -> e.doneMillis - e.scheduledMillis).sorted().toArray();
        Map<String, Object> check = verifyExecs("db-scheduler burst", execs, start, 1, 1);
        System.out.printf(Locale.ROOT, " all %,d done %.2f s after the due instant; lateness started p50 %.0f / p99 %.0f / max %.0f ms,"
                        + " done p50 %.0f / p99 %.0f / max %.0f ms; load at the burst %s%n",
                execs.size(), allDone / 1000.0, pct(startLate, .5), pct(startLate, .99), pct(startLate, 1), pct(doneLate, .5),
                pct(doneLate, .99), pct(doneLate, 1), load);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("system", "db-scheduler");
        out.put("executions", n);
        out.put("all_done_after_s", round(allDone / 1000.0));
        out.put("executions_per_s", round(execs.size() * 1000.0 / Math.max(1, allDone)));
        out.put("started_lateness_ms", Map.of("p50", pct(startLate, .5), "p99", pct(startLate, .99), "max", pct(startLate, 1)));
        out.put("done_lateness_ms", Map.of("p50", pct(doneLate, .5), "p99", pct(doneLate, .99), "max", pct(doneLate, 1)));
        out.put("check", check);
        out.put("load", load);
        return out;
    }

    Map<String, Object> verifyExecs(String label, ConcurrentLinkedQueue<Exec> execs, Map<String, Instant> start,
                                    long intervalMs, int occurrences) {
        Set<String> seen = new HashSet<>();
        long duplicates = 0;
        for (Exec e : execs) {
            if (!seen.add(e.instance + "@" + e.scheduledMillis)) {
                duplicates++;
            }
        }
        long missed = 0;
        for (var e : start.entrySet()) {
            for (int k = 0; k < occurrences; k++) {
                if (!seen.contains(e.getKey() + "@" + e.getValue().plusMillis(k * intervalMs).toEpochMilli())) {
                    missed++;
                }
            }
        }
        long expected = (long) start.size() * occurrences;
        System.out.printf(Locale.ROOT, " check: %,d executions of %,d expected; duplicates %d, missed %d%n", execs.size(), expected,
                duplicates, missed);
        if (duplicates > 0 || missed > 0) {
            failures.add(String.format(Locale.ROOT, "%s: duplicates %d, missed %d", label, duplicates, missed));
        }
        return Map.of("expected", expected, "executions", execs.size(), "duplicates", duplicates, "missed", missed);
    }

    static double[] window(ConcurrentLinkedQueue<Exec> execs, Instant a, Instant b, double offered) {
        long from = a.toEpochMilli();
        long to = b.toEpochMilli();
        long done = execs.stream().filter(e -> e.doneMillis >= from && e.doneMillis < to).count();
        List<Exec> due = execs.stream().filter(e -> e.scheduledMillis >= from && e.scheduledMillis < to).toList();
        long[] started = due.stream().mapToLong(e -> e.startedMillis - e.scheduledMillis).sorted().toArray();
        long[] finished = due.stream().mapToLong(e -> e.doneMillis - e.scheduledMillis).sorted().toArray();
        double secs = (to - from) / 1000.0;
        return new double[]{offered, done / secs, pct(started, .5), pct(started, .99), pct(started, 1), pct(finished, .5),
                pct(finished, .99), pct(finished, 1)};
    }

    // ------------------------------------------------------------------ the ledger: fires as the event store shows them

    /** Polls {@code domain_event_entry} for new fire rows and stamps when each became visible (committed). */
    static final class Ledger {
        record Fire(long globalIndex, String automationId, String fireId, long scheduledMillis, long firedMillis,
                    long seenMillis, boolean skipped) {
        }

        final DataSource dataSource;
        final int pollMs;
        final List<Fire> fires = new ArrayList<>(); // guarded by this
        volatile long last;
        volatile boolean running = true;
        Thread thread;

        Ledger(DataSource dataSource, int pollMs) {
            this.dataSource = dataSource;
            this.pollMs = pollMs;
        }

        long maxIndex() {
            try (Connection c = dataSource.getConnection();
                 ResultSet rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(global_index), 0) FROM domain_event_entry")) {
                rs.next();
                return rs.getLong(1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void start() {
            last = maxIndex();
            thread = new Thread(this::loop, "p2-ledger");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5000);
        }

        private void loop() {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT global_index, payload_type, CASE WHEN payload_type LIKE '%JobFiredEvent'"
                         + " OR payload_type LIKE '%OccurrenceSkippedEvent' THEN payload END FROM domain_event_entry"
                         + " WHERE global_index > ? ORDER BY global_index LIMIT 20000")) {
                while (running) {
                    s.setLong(1, last);
                    List<Fire> batch = new ArrayList<>();
                    long max = last;
                    int rows = 0;
                    try (ResultSet rs = s.executeQuery()) {
                        long now = System.currentTimeMillis();
                        while (rs.next()) {
                            long gi = rs.getLong(1);
                            max = Math.max(max, gi);
                            rows++;
                            byte[] bytes = rs.getBytes(3);
                            if (bytes == null) {
                                continue;
                            }
                            String payload = new String(bytes, StandardCharsets.UTF_8);
                            boolean skipped = rs.getString(2).endsWith("OccurrenceSkippedEvent");
                            batch.add(new Fire(gi, group(AUTOMATION_ID, payload), group(FIRE_ID, payload),
                                    Instant.parse(group(SCHEDULED_AT, payload)).toEpochMilli(),
                                    Instant.parse(group(skipped ? RECORDED_AT : FIRED_AT, payload)).toEpochMilli(), now, skipped));
                        }
                    }
                    if (!batch.isEmpty()) {
                        synchronized (this) {
                            fires.addAll(batch);
                        }
                    }
                    last = max;
                    if (rows < 20000) {
                        Thread.sleep(pollMs);
                    }
                }
            } catch (Exception e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }

        synchronized long countScheduledIn(long from, long to) {
            long n = 0;
            for (Fire f : fires) {
                if (f.scheduledMillis >= from && f.scheduledMillis < to) {
                    n++;
                }
            }
            return n;
        }

        synchronized List<Fire> snapshot() {
            return new ArrayList<>(fires);
        }

        List<Fire> since(long globalIndex, Set<String> automations) {
            return snapshot().stream().filter(f -> f.globalIndex > globalIndex && automations.contains(f.automationId)).toList();
        }

        synchronized long countAfter(long globalIndex) {
            long n = 0;
            for (int i = fires.size() - 1; i >= 0 && fires.get(i).globalIndex > globalIndex; i--) {
                n++;
            }
            return n;
        }

        /** Waits until n fires after globalIndex are seen, as long as they keep coming (none for {@code stall}: give up). */
        void awaitCount(long globalIndex, long n, Duration stall) throws InterruptedException {
            long seen = -1;
            long progressAt = System.nanoTime();
            while (true) {
                long now = countAfter(globalIndex);
                if (now >= n) {
                    return;
                }
                if (now != seen) {
                    seen = now;
                    progressAt = System.nanoTime();
                } else if (System.nanoTime() - progressAt > stall.toNanos()) {
                    return;
                }
                Thread.sleep(250);
            }
        }

        void awaitScheduledIn(Instant a, Instant b, long n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            long from = a.toEpochMilli();
            long to = b.toEpochMilli();
            while (System.nanoTime() < deadline && countScheduledIn(from, to) < n) {
                Thread.sleep(250);
            }
        }

        /** offered/s, recorded/s (by commit-visible time), fired lateness p50/p99/max, recorded lateness p50/p99/max. */
        /** How many fires became visible in [a, b). */
        long countSeenBetween(Instant a, Instant b) {
            long from = a.toEpochMilli();
            long to = b.toEpochMilli();
            return snapshot().stream().filter(f -> !f.skipped() && f.seenMillis() >= from && f.seenMillis() < to).count();
        }

        double[] window(Instant a, Instant b, double offered) {
            long from = a.toEpochMilli();
            long to = b.toEpochMilli();
            List<Fire> all = snapshot();
            long recorded = all.stream().filter(f -> !f.skipped && f.seenMillis >= from && f.seenMillis < to).count();
            List<Fire> due = all.stream().filter(f -> f.scheduledMillis >= from && f.scheduledMillis < to).toList();
            long[] fired = due.stream().mapToLong(f -> f.firedMillis - f.scheduledMillis).sorted().toArray();
            long[] seen = due.stream().mapToLong(f -> f.seenMillis - f.scheduledMillis).sorted().toArray();
            double secs = (to - from) / 1000.0;
            return new double[]{offered, recorded / secs, pct(fired, .5), pct(fired, .99), pct(fired, 1), pct(seen, .5),
                    pct(seen, .99), pct(seen, 1)};
        }
    }

    // ------------------------------------------------------------------ the summary table

    void summary(List<Map<String, Object>> sustained, List<Map<String, Object>> baselines, Map<String, Object> burst,
                 Map<String, Object> burstBaseline, Map<String, Object> heap) {
        System.out.printf(Locale.ROOT, "%n== Summary (medians of the rounds; min–max in brackets) ==%n");
        System.out.printf(Locale.ROOT, " %-12s %-9s %10s %-22s %-30s %-30s%n", "system", "workload", "offered/s", "recorded/s",
                "lateness p50 ms (fired|rec)", "lateness p99 ms (fired|rec)");
        List<Map<String, Object>> all = new ArrayList<>(sustained);
        all.addAll(baselines);
        for (Map<String, Object> r : all) {
            boolean sustainedOk = (Double) r.get("recorded_p99_ms") < 1000 && (Double) r.get("recorded_per_s") >= 0.95 * (Double) r.get("offered_per_s");
            r.put("kept_up", sustainedOk);
            System.out.printf(Locale.ROOT, " %-12s %-9s %10.0f %-22s %-30s %-30s%s%n", r.get("system"),
                    r.get("schedules") + "@" + Math.round((Double) r.get("offered_per_s")), (Double) r.get("offered_per_s"),
                    String.format(Locale.ROOT, "%.0f [%.0f–%.0f]", r.get("recorded_per_s"), r.get("recorded_per_s_min"), r.get("recorded_per_s_max")),
                    String.format(Locale.ROOT, "%.1f | %.1f", r.get("fired_p50_ms"), r.get("recorded_p50_ms")),
                    String.format(Locale.ROOT, "%.1f | %.1f [%.1f–%.1f]", r.get("fired_p99_ms"), r.get("recorded_p99_ms"),
                            r.get("recorded_p99_ms_min"), r.get("recorded_p99_ms_max")),
                    sustainedOk ? "" : "  NOT KEPT UP (backlog: recorded/s is its catch-up throughput)");
        }
        System.out.println(" Autoplane records per fire a JobFiredEvent (and the run it creates) in the event store, plus its index and");
        System.out.println(" projections; db-scheduler records nothing but its own next execution time. 'fired' = firedAt (Autoplane's");
        System.out.println(" delivery instant) or db-scheduler's execution start; 'rec' = when the fire was visible committed in the");
        System.out.println(" event store (Autoplane, seen by a poller every --poll-ms) or db-scheduler's reschedule committed.");
        System.out.println(" 'kept up' = recorded/s >= 95 % of offered and recorded p99 < 1 s; a ratio compares like with like only where");
        System.out.println(" db-scheduler is saturated or both kept up.");
        System.out.printf(Locale.ROOT, "%n P3 ratio Autoplane ÷ db-scheduler (recorded/s, same workload; target >= 1.0):%n");
        for (Map<String, Object> a : sustained) {
            for (Map<String, Object> d : baselines) {
                if (a.get("schedules").equals(d.get("schedules")) && a.get("interval_ms").equals(d.get("interval_ms"))) {
                    double ratio = (Double) a.get("recorded_per_s") / Math.max(1e-9, (Double) d.get("recorded_per_s"));
                    a.put("ratio_vs_db_scheduler", round(ratio));
                    System.out.printf(Locale.ROOT, "  %,d schedules, offered %.0f/s: %.0f / %.0f = %.2f; recorded-lateness p99 %.1f vs %.1f ms%n",
                            a.get("schedules"), a.get("offered_per_s"), a.get("recorded_per_s"), d.get("recorded_per_s"), ratio,
                            a.get("recorded_p99_ms"), d.get("recorded_p99_ms"));
                }
            }
        }
        // like with like: each system's best throughput where it was saturated (or its best where it kept up)
        for (Map<String, Object> a : sustained) {
            double best = 0;
            for (Map<String, Object> d : baselines) {
                if (a.get("schedules").equals(d.get("schedules"))) {
                    best = Math.max(best, (Double) d.get("recorded_per_s"));
                }
            }
            if (best > 0 && !(Boolean) a.get("kept_up")) {
                System.out.printf(Locale.ROOT, "  max sustained at %,d schedules: Autoplane %.0f (saturated) / db-scheduler best %.0f = %.2f%n",
                        a.get("schedules"), a.get("recorded_per_s"), best, (Double) a.get("recorded_per_s") / best);
            }
        }
        Map<String, Object> small = null;
        Map<String, Object> large = null;
        for (Map<String, Object> a : sustained) {
            if (small == null || (Integer) a.get("schedules") < (Integer) small.get("schedules")) {
                small = a;
            }
            if (large == null || (Integer) a.get("schedules") > (Integer) large.get("schedules")) {
                large = a;
            }
        }
        if (small != null && large != null && small != large) {
            // compare the same offered rate
            for (Map<String, Object> a : sustained) {
                if (a.get("offered_per_s").equals(large.get("offered_per_s")) && (Integer) a.get("schedules") < (Integer) large.get("schedules")) {
                    small = a;
                }
            }
            System.out.printf(Locale.ROOT, "%n Growth %,d -> %,d schedules at %.0f/s: recorded/s x%.2f, fired p50 x%.2f, fired p99 x%.2f, recorded p99 x%.2f%n",
                    small.get("schedules"), large.get("schedules"), large.get("offered_per_s"),
                    (Double) large.get("recorded_per_s") / (Double) small.get("recorded_per_s"),
                    ratio(large.get("fired_p50_ms"), small.get("fired_p50_ms")), ratio(large.get("fired_p99_ms"), small.get("fired_p99_ms")),
                    ratio(large.get("recorded_p99_ms"), small.get("recorded_p99_ms")));
        }
        if (burst != null) {
            System.out.printf(Locale.ROOT, "%n Burst %,d due in one second: Autoplane all recorded after %.2f s (target <= 5 s)", burst.get("automations"),
                    burst.get("all_recorded_after_s"));
            if (burstBaseline != null) {
                System.out.printf(Locale.ROOT, "; db-scheduler all done after %.2f s", burstBaseline.get("all_done_after_s"));
            }
            System.out.println();
        }
        if (heap != null) {
            System.out.printf(Locale.ROOT, " Heap used after seeding the largest size (after GC): %s MiB (P9 target < 1024 MiB); RSS %s MiB (app + bench)%n",
                    heap.get("heap_used_mib"), heap.get("rss_mib"));
        }
        p3Line(sustained, baselines, burst);
    }

    /**
     * The last line: at the smallest size, each system's best recorded fires/s over the offered rates (its maximum
     * where it was saturated), their ratio, Autoplane's recorded-lateness p99 at the lowest offered rate, the burst.
     */
    static void p3Line(List<Map<String, Object>> sustained, List<Map<String, Object>> baselines, Map<String, Object> burst) {
        if (sustained.isEmpty()) {
            return;
        }
        int size = sustained.stream().mapToInt(a -> (Integer) a.get("schedules")).min().orElseThrow();
        double autoplane = sustained.stream().filter(a -> (Integer) a.get("schedules") == size)
                .mapToDouble(a -> (Double) a.get("recorded_per_s")).max().orElse(0);
        double dbScheduler = baselines.stream().filter(d -> (Integer) d.get("schedules") == size)
                .mapToDouble(d -> (Double) d.get("recorded_per_s")).max().orElse(0);
        Map<String, Object> lowest = sustained.stream().filter(a -> (Integer) a.get("schedules") == size)
                .min(java.util.Comparator.comparingDouble(a -> (Double) a.get("offered_per_s"))).orElseThrow();
        System.out.printf(Locale.ROOT, "%nP3 ratio=%s autoplane=%.0f db_scheduler=%s lateness_p99_ms=%.1f burst_s=%s%n",
                dbScheduler > 0 ? String.format(Locale.ROOT, "%.2f", autoplane / dbScheduler) : "n/a", autoplane,
                dbScheduler > 0 ? String.format(Locale.ROOT, "%.0f", dbScheduler) : "n/a",
                (Double) lowest.get("recorded_p99_ms"),
                burst == null ? "n/a" : String.format(Locale.ROOT, "%.2f", (Double) burst.get("all_recorded_after_s")));
    }

    static double ratio(Object a, Object b) {
        return (Double) a / Math.max(0.1, (Double) b);
    }

    static Map<String, Object> summarise(List<double[]> rounds, String unused) {
        Map<String, Object> m = new LinkedHashMap<>();
        String[] names = {"offered", "recorded_per_s", "fired_p50_ms", "fired_p99_ms", "fired_max_ms", "recorded_p50_ms",
                "recorded_p99_ms", "recorded_max_ms"};
        for (int i = 1; i < names.length; i++) {
            int k = i;
            double[] v = rounds.stream().mapToDouble(r -> r[k]).sorted().toArray();
            m.put(names[i], round(v[v.length / 2]));
            if (i == 1 || i == 6) {
                m.put(names[i] + "_min", round(v[0]));
                m.put(names[i] + "_max", round(v[v.length - 1]));
            }
        }
        return m;
    }

    static List<Map<String, Object>> rounds(List<double[]> rounds) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (double[] r : rounds) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recorded_per_s", round(r[1]));
            m.put("fired_p50_ms", r[2]);
            m.put("fired_p99_ms", r[3]);
            m.put("fired_max_ms", r[4]);
            m.put("recorded_p50_ms", r[5]);
            m.put("recorded_p99_ms", r[6]);
            m.put("recorded_max_ms", r[7]);
            out.add(m);
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    static Map<String, Object> memory() {
        System.gc();
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap_used_mib", round(used / 1048576.0));
        m.put("heap_max_mib", round(Runtime.getRuntime().maxMemory() / 1048576.0));
        m.put("rss_mib", round(rssKib() / 1024.0));
        return m;
    }

    static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    static String uptime() {
        try {
            String[] l = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load " + l[0] + " " + l[1] + " " + l[2];
        } catch (Exception e) {
            return "load ?";
        }
    }

    static void sleepUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    static String group(Pattern p, String s) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            throw new IllegalStateException("no " + p + " in " + s);
        }
        return m.group(1);
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)];
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }


    /** A small JSON writer for maps, lists, strings and numbers (the bench stays free of JSON libraries' versions). */
    static final class Json {
        static String write(Object o) {
            StringBuilder s = new StringBuilder();
            write(o, s);
            return s.toString();
        }

        @SuppressWarnings("unchecked")
        private static void write(Object o, StringBuilder s) {
            if (o == null) {
                s.append("null");
            } else if (o instanceof Map<?, ?> m) {
                s.append('{');
                boolean first = true;
                for (var e : ((Map<Object, Object>) m).entrySet()) {
                    if (!first) {
                        s.append(',');
                    }
                    first = false;
                    write(String.valueOf(e.getKey()), s);
                    s.append(':');
                    write(e.getValue(), s);
                }
                s.append('}');
            } else if (o instanceof List<?> l) {
                s.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        s.append(',');
                    }
                    write(l.get(i), s);
                }
                s.append(']');
            } else if (o instanceof Number || o instanceof Boolean) {
                s.append(o);
            } else {
                s.append('"').append(o.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
    }
}
