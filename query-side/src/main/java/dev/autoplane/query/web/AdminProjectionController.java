package dev.autoplane.query.web;

import dev.autoplane.platform.axon.LogHead;
import dev.autoplane.platform.web.auth.Operators;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.query.audit.AuditLogProjection;
import dev.autoplane.query.config.QuerySideConfiguration;
import dev.autoplane.query.rebuild.ReadModelRebuild;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import jakarta.annotation.PreDestroy;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Operations on the projections of this process: status (position, lag) and replay (rebuild a
 * read model from the event log). Only operators ({@code autoplane.operators}, default {@code admin}).
 * <p>
 * A replay is one operation at a time per projection: from the request until the rebuilt projection
 * has caught up with the log's head as it was when the replay began, another replay of it answers
 * {@code 409 replay_in_progress}. The stop, reset and restart run on one thread of their own, not on
 * the request's, so a client that goes away cannot leave a projection half stopped; the processor is
 * started again even when the reset fails. While a read model is rebuilt it is incomplete (it fills
 * up from the oldest event) until its position reaches the head the replay began with.
 * <p>
 * The read models of the shared stream ({@code read-models}: automations, revisions, runs, occurrences,
 * visualizations) are not reset: they are rebuilt into shadows beside the live ones and swapped in once the
 * rebuild has caught up ({@link ReadModelRebuild}), so the API answers from the old read model, whole, until
 * the new one is whole too. Their entries show the rebuild's progress.
 */
@RestController
@RequestMapping(path = "/api/v1/admin/projections", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Operations", description = "Projection status and replay")
class AdminProjectionController {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** One replay: when it was asked for, the head it must reach, and its stop/reset/start step. */
    private record Replay(Instant requestedAt, long head, CompletableFuture<Void> restarted) {
    }

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final Operators operators;
    private final Clock clock;
    private final boolean auditLog;
    private final ReadModelRebuild rebuild;
    private final Map<String, Replay> replays = new HashMap<>();
    private final ExecutorService replayThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "projection-replay");
        t.setDaemon(true);
        return t;
    });

    AdminProjectionController(EventProcessingConfiguration processing, EventStore eventStore, Operators operators,
                              Clock clock, org.springframework.beans.factory.ObjectProvider<AuditLogProjection> auditLog,
                              ReadModelRebuild rebuild) {
        this.auditLog = auditLog.getIfAvailable() != null;
        this.rebuild = rebuild;
        this.processing = processing;
        this.eventStore = eventStore;
        this.operators = operators;
        this.clock = clock;
    }

    @PreDestroy
    void stop() {
        replayThread.shutdownNow();
    }

    @Operation(summary = "Status of every projection in this process: position in the log and lag behind its head",
            description = "Operators only. A projection whose read model is being rebuilt shows its position growing towards the head. "
                    + "The read models of the shared stream (processor read-models) are rebuilt beside the live ones: while "
                    + "a rebuild runs their entries show replaying true, the rebuild's position, lag (at least 1 until the "
                    + "rebuilt read model is swapped in), events_per_second and eta; rebuild holds the last rebuild's state "
                    + "(building, catching_up, swapping, completed, failed), started_at, finished_at, position, head, events, "
                    + "events_per_second, eta and error.")
    @GetMapping
    Mono<Map<String, Object>> list(ServerWebExchange exchange) {
        requireOperator(exchange);
        return Mono.fromCallable(() -> {
            long headPosition = LogHead.position(eventStore);
            List<Map<String, Object>> out = new ArrayList<>();
            processing.eventProcessors().forEach((name, processor) -> {
                if (processor instanceof StreamingEventProcessor streaming) {
                    // one entry per read model; those that share one event stream show its progress each
                    List<String> projections = new ArrayList<>(List.of(name));
                    if (name.equals(QuerySideConfiguration.READ_MODELS)) {
                        projections = new ArrayList<>(QuerySideConfiguration.READ_MODEL_GROUPS);
                        if (auditLog) {
                            projections.add(QuerySideConfiguration.AUDIT_LOG);
                        }
                    }
                    for (String projection : projections) {
                        Map<String, Object> status = status(projection, streaming, headPosition);
                        status.put("processor", name);
                        status.put("replayable", !projection.equals(QuerySideConfiguration.AUDIT_LOG));
                        if (QuerySideConfiguration.READ_MODEL_GROUPS.contains(projection)) {
                            withRebuild(status, headPosition);
                        }
                        out.add(status);
                    }
                }
            });
            return Map.<String, Object>of("projections", out, "head_position", headPosition);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @Operation(summary = "Rebuild a projection's read model from the event log",
            description = "The automations, revisions, runs, occurrences and visualizations read models share one event "
                    + "stream (processor read-models): replaying any of them (or read-models) rebuilds them all (rebuilt "
                    + "lists them) into shadow tables beside the live ones, from the first event on, and swaps them in "
                    + "once they have caught up; the API answers from the old read models, whole, until then. Answers 202 "
                    + "at once; GET /api/v1/admin/projections shows the progress (lag 0 once swapped in). Any other "
                    + "projection is stopped, cleared (its reset handler), rewound and started again: answers 202 once "
                    + "it runs again, its read model incomplete until its position reaches target_position. While a "
                    + "replay of the same projection has not caught up, another answers 409 replay_in_progress.")
    @PostMapping("/{name}/replay")
    Mono<ResponseEntity<Map<String, Object>>> replay(@PathVariable String name, ServerWebExchange exchange) {
        requireOperator(exchange);
        if (auditLog && name.equals(QuerySideConfiguration.AUDIT_LOG)) {
            throw ApiProblem.conflict("not_replayable", "the audit log is written once: rebuilding it would replace what"
                    + " an exported head vouches for (docs/audit.md)");
        }
        // a read model fed by the shared stream is rebuilt with the others it shares it with
        String processorName = QuerySideConfiguration.READ_MODEL_GROUPS.contains(name) ? QuerySideConfiguration.READ_MODELS : name;
        StreamingEventProcessor processor = processing.eventProcessor(processorName, StreamingEventProcessor.class)
                .orElseThrow(() -> ApiProblem.notFound("no projection named " + name));
        if (!processor.supportsReset()) {
            throw ApiProblem.conflict("not_replayable", "projection " + name + " cannot be replayed");
        }
        if (processorName.equals(QuerySideConfiguration.READ_MODELS)) {
            return rebuildReadModels(name);
        }
        return Mono.fromCallable(() -> begin(processorName, processor)).subscribeOn(Schedulers.boundedElastic())
                // the restart goes on when the client leaves; the answer waits for it
                .flatMap(replay -> Mono.fromFuture(replay.restarted(), true).then(Mono.fromSupplier(() -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("name", name);
                    answer.put("processor", processorName);
                    answer.put("rebuilt", processorName.equals(QuerySideConfiguration.READ_MODELS)
                            ? QuerySideConfiguration.READ_MODEL_GROUPS : List.of(name));
                    answer.put("replaying", true);
                    answer.put("requested_at", replay.requestedAt());
                    answer.put("target_position", replay.head());
                    return ResponseEntity.accepted().body(answer);
                })))
                .onErrorMap(CompletionException.class, Throwable::getCause)
                .onErrorMap(e -> !(e instanceof ApiProblem), e -> ApiProblem.conflict("replay_failed",
                        "projection " + name + " could not be reset (" + e.getMessage() + "); it runs on from where it was"));
    }

    @Operation(summary = "Rebuild every read model of the shared stream from the event log",
            description = "The same as POST /api/v1/admin/projections/read-models/replay: the automations, revisions, runs, "
                    + "occurrences and visualizations read models are rebuilt beside the live ones and swapped in once "
                    + "caught up (202 at once; progress in GET /api/v1/admin/projections; 409 replay_in_progress while "
                    + "one runs). The audit log is written once and never rebuilt; the other projections (access, and "
                    + "the command side's indexes) are replayed by name.")
    @PostMapping("/replay")
    Mono<ResponseEntity<Map<String, Object>>> replayAll(ServerWebExchange exchange) {
        requireOperator(exchange);
        processing.eventProcessor(QuerySideConfiguration.READ_MODELS, StreamingEventProcessor.class)
                .orElseThrow(() -> ApiProblem.notFound("no projection named " + QuerySideConfiguration.READ_MODELS + " in this process"));
        return rebuildReadModels(QuerySideConfiguration.READ_MODELS);
    }

    private Mono<ResponseEntity<Map<String, Object>>> rebuildReadModels(String name) {
        return Mono.fromCallable(() -> {
            ReadModelRebuild.Progress started = rebuild.start().orElseThrow(() -> {
                ReadModelRebuild.Progress running = rebuild.progress().orElseThrow();
                return new ApiProblem(409, "replay_in_progress", "Conflict", "the read models ("
                        + String.join(", ", QuerySideConfiguration.READ_MODEL_GROUPS) + ") are being rebuilt (asked at "
                        + running.startedAt() + "); ask again once GET /api/v1/admin/projections shows the rebuild completed",
                        null, Map.of("name", QuerySideConfiguration.READ_MODELS, "target_position", running.startHead()));
            });
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("name", name);
            answer.put("processor", QuerySideConfiguration.READ_MODELS);
            answer.put("rebuilt", QuerySideConfiguration.READ_MODEL_GROUPS);
            answer.put("replaying", true);
            answer.put("requested_at", started.startedAt());
            answer.put("target_position", started.startHead());
            answer.put("rebuild", rebuildStatus(started));
            return ResponseEntity.accepted().body(answer);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** A read model's entry while (and after) it is rebuilt: the rebuild's progress. */
    private void withRebuild(Map<String, Object> status, long head) {
        ReadModelRebuild.Progress p = rebuild.progress().orElse(null);
        boolean running = p != null && p.state().running();
        status.put("events_per_second", running ? p.eventsPerSecond() : null);
        status.put("eta", running ? p.eta() : null);
        status.put("rebuild", p == null ? null : rebuildStatus(p));
        if (running) {
            status.put("replaying", true);
            status.put("position", p.position());
            status.put("lag", Math.max(1, Math.max(head, p.head()) - p.position())); // 0 once swapped in
        }
    }

    private static Map<String, Object> rebuildStatus(ReadModelRebuild.Progress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", p.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("started_at", p.startedAt());
        m.put("finished_at", p.finishedAt());
        m.put("position", p.position());
        m.put("head", p.head());
        m.put("events", p.events());
        m.put("events_per_second", p.eventsPerSecond());
        m.put("eta", p.eta());
        m.put("error", p.error());
        return m;
    }

    private synchronized Replay begin(String name, StreamingEventProcessor processor) {
        Replay current = replays.get(name);
        if (current != null && !caughtUp(current, processor)) {
            throw new ApiProblem(409, "replay_in_progress", "Conflict", "projection " + name
                    + (name.equals(QuerySideConfiguration.READ_MODELS) ? " (" + String.join(", ", QuerySideConfiguration.READ_MODEL_GROUPS) + ")" : "")
                    + " is being rebuilt (asked at " + current.requestedAt() + "); ask again once GET /api/v1/admin/projections "
                    + "shows its lag is 0", null, Map.of("name", name, "target_position", current.head()));
        }
        Replay replay = new Replay(clock.instant(), LogHead.position(eventStore),
                CompletableFuture.runAsync(() -> restartFromTheStart(processor), replayThread));
        replays.put(name, replay);
        return replay;
    }

    /** Stop (and wait until every segment is released), rewind, start again: started again whatever fails. */
    private static void restartFromTheStart(StreamingEventProcessor processor) {
        try {
            processor.shutdownAsync().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            processor.resetTokens();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the projection did not stop in " + STOP_TIMEOUT, e);
        } finally {
            processor.start();
        }
    }

    /** Whether a replay is over: restarted (or failed), and the projection is past the head it began with. */
    private static boolean caughtUp(Replay replay, StreamingEventProcessor processor) {
        if (!replay.restarted().isDone() || replay.restarted().isCompletedExceptionally()) {
            return replay.restarted().isDone();
        }
        // not Axon's replaying flag: it stays set until an event newer than the reset arrives
        var statuses = processor.processingStatus().values();
        return processor.isRunning() && !statuses.isEmpty()
                && statuses.stream().allMatch(s -> s.getCurrentPosition().orElse(-1) >= replay.head());
    }

    private Map<String, Object> status(String name, StreamingEventProcessor processor, long head) {
        long position = -1;
        boolean error = false;
        boolean replaying = false;
        for (EventTrackerStatus s : processor.processingStatus().values()) {
            OptionalLong p = s.getCurrentPosition();
            position = Math.max(position, p.orElse(-1));
            error |= s.isErrorState();
            replaying |= s.isReplaying();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("running", processor.isRunning());
        m.put("error", error);
        m.put("replaying", replaying);
        m.put("segments", processor.processingStatus().size());
        if (processor.isRunning() && processor.processingStatus().isEmpty()) {
            // another process holds its segments (the split deployment runs the access projection on
            // both sides over one token table): its progress is that process's, not a lag of this one
            m.put("claimed_elsewhere", true);
            m.put("position", null);
            m.put("lag", null);
            return m;
        }
        m.put("claimed_elsewhere", false);
        m.put("position", position);
        m.put("lag", head < 0 ? 0 : Math.max(0, head - position));
        return m;
    }

    private void requireOperator(ServerWebExchange exchange) {
        operators.require(exchange, "manage projections");
    }
}
