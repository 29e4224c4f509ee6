package dev.autoplane.command.web;

import dev.autoplane.command.run.LeasedRunDocument;
import dev.autoplane.command.run.RunLeases;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.common.DomainException.FieldViolation;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.events.run.LeasedRun;
import dev.autoplane.events.run.RunCommands.CancelRunCommand;
import dev.autoplane.events.run.RunCommands.CompleteRunCommand;
import dev.autoplane.events.run.RunCommands.DelegateRunCommand;
import dev.autoplane.events.run.RunCommands.FailRunCommand;
import dev.autoplane.events.run.RunCommands.HeartbeatRunCommand;
import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.axon.CommandDispatcher;
import dev.autoplane.platform.text.TextRules;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.problem.ProblemExceptionHandler;
import dev.autoplane.platform.web.request.CommandMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Executors' endpoints (docs/runs.md "Executors"): lease runs (long-poll), then report on them as the
 * lease holder; and cancel. Every one needs {@code run.write}; an automation's own credential acts on its
 * own automation's runs only. The {@code Run} aggregate judges every report and answers the run.
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}/runs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Executors", description = "Pull executors: lease runs, report on them as the lease holder; cancel runs")
class RunCommandController {

    static final int MAX_WAIT_SECONDS = 30;
    static final int MAX_RUNS = 100;

    private final CommandDispatcher commands;
    private final WorkspaceAccess access;
    private final RunLeases leases;
    private final Clock clock;

    RunCommandController(CommandDispatcher commands, WorkspaceAccess access, RunLeases leases, Clock clock) {
        this.commands = commands;
        this.access = access;
        this.leases = leases;
        this.clock = clock;
    }

    @Operation(summary = "Lease runs (executors)", description = "{wait_seconds? (0..30, default 0), max_runs? (1..100, "
            + "default 1), automation_id?}: leases up to max_runs scheduled runs that are due and that the caller may "
            + "execute, answering as soon as one is; with none, waits up to wait_seconds and answers {runs: []}. Each "
            + "run carries its inputs, attempt, lease_id, lease_expires_at and the revision's definition. An "
            + "automation's own credential leases its own runs; people and tokens with run.write any of the workspace "
            + "(of their teams).")
    @PostMapping(path = "/lease")
    Mono<Map<String, Object>> lease(@PathVariable String ws, @RequestBody(required = false) Map<String, Object> body,
                                    ServerWebExchange exchange) {
        Map<String, Object> b = body == null ? Map.of() : body;
        List<FieldViolation> bad = new ArrayList<>();
        b.keySet().stream().filter(k -> !Set.of("wait_seconds", "max_runs", "automation_id").contains(k))
                .forEach(k -> bad.add(new FieldViolation(k, "unknown field")));
        int waitSeconds = integer(b, "wait_seconds", 0, 0, MAX_WAIT_SECONDS, bad);
        int maxRuns = integer(b, "max_runs", 1, 1, MAX_RUNS, bad);
        Object automation = b.get("automation_id");
        if (automation != null && (!(automation instanceof String s) || !Ids.isWellFormed(s))) {
            bad.add(new FieldViolation("automation_id", "must be an automation id"));
        }
        if (!bad.isEmpty()) {
            throw DomainException.invalid(bad); // every bad field in one 400
        }
        return access.require(exchange, ws, Permission.RUN_WRITE).flatMap(grant -> {
            Actor actor = grant.principal().actor();
            String automationId = (String) automation;
            if (actor.isServiceAccount()) {
                if (automationId != null && !automationId.equals(actor.id())) {
                    throw ApiProblem.forbidden("an automation's credential leases only that automation's runs");
                }
                automationId = actor.id();
            }
            return leases.lease(new RunLeases.Request(ws, automationId, grant.teamIds(), actor, maxRuns,
                    Duration.ofSeconds(waitSeconds)));
        }).map(runs -> Map.of("runs", runs.stream().map(LeasedRunDocument::of).toList()));
    }

    @Operation(summary = "Heartbeat (lease holder)", description = "{lease_id?}: extends the lease by the lease "
            + "duration from now. Only the current lease holder (the lease_id, or without it the credential that "
            + "leased) may; otherwise 409 with current_status.")
    @PostMapping(path = "/{runId}/heartbeat")
    Mono<RunView> heartbeat(@PathVariable String ws, @PathVariable String runId,
                            @RequestBody(required = false) Map<String, Object> body, ServerWebExchange exchange) {
        Map<String, Object> b = report(runId, body, Set.of("lease_id"));
        String leaseId = leaseId(b);
        return send(ws, exchange, g -> new HeartbeatRunCommand(runId, ws, leaseId, g.principal().actor(), g.teamIds(),
                leases.leaseDuration(), clock.instant()));
    }

    @Operation(summary = "Complete (lease holder)", description = "{outputs?, lease_id?}: the run ends completed. "
            + "A repeated identical report answers the run again.")
    @PostMapping(path = "/{runId}/complete")
    Mono<RunView> complete(@PathVariable String ws, @PathVariable String runId,
                           @RequestBody(required = false) Map<String, Object> body, ServerWebExchange exchange) {
        Map<String, Object> b = report(runId, body, Set.of("outputs", "lease_id"));
        String leaseId = leaseId(b);
        Object outputs = b.get("outputs");
        if (outputs != null && !(outputs instanceof Map<?, ?>)) {
            throw ApiProblem.invalid("outputs", "must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> out = outputs == null ? Map.of() : (Map<String, Object>) outputs;
        return send(ws, exchange, g -> new CompleteRunCommand(runId, ws, leaseId, g.principal().actor(), g.teamIds(), out,
                clock.instant()));
    }

    @Operation(summary = "Fail (lease holder)", description = "{error, retryable? (default true), lease_id?}: the "
            + "attempt failed. With attempts left and retryable, the run is scheduled again at next_attempt_at (the "
            + "retry policy's delay); otherwise it ends failed.")
    @PostMapping(path = "/{runId}/fail")
    Mono<RunView> fail(@PathVariable String ws, @PathVariable String runId,
                       @RequestBody(required = false) Map<String, Object> body, ServerWebExchange exchange) {
        Map<String, Object> b = report(runId, body, Set.of("error", "retryable", "lease_id"));
        String leaseId = leaseId(b);
        String error = TextRules.REASON.max(10_000).require("error", b.get("error"));
        Object retryable = b.getOrDefault("retryable", Boolean.TRUE);
        if (!(retryable instanceof Boolean)) {
            throw ApiProblem.invalid("retryable", "must be true or false");
        }
        return send(ws, exchange, g -> new FailRunCommand(runId, ws, leaseId, g.principal().actor(), g.teamIds(), error,
                (Boolean) retryable, clock.instant()));
    }

    @Operation(summary = "Delegate (lease holder)", description = "{external_ref, lease_id?}: the run was handed to an "
            + "external system and is delegated (its lease no longer expires); the holder reports complete or fail later.")
    @PostMapping(path = "/{runId}/delegate")
    Mono<RunView> delegate(@PathVariable String ws, @PathVariable String runId,
                           @RequestBody(required = false) Map<String, Object> body, ServerWebExchange exchange) {
        Map<String, Object> b = report(runId, body, Set.of("external_ref", "lease_id"));
        String leaseId = leaseId(b);
        String ref = TextRules.REFERENCE.max(500).require("external_ref", b.get("external_ref"));
        return send(ws, exchange, g -> new DelegateRunCommand(runId, ws, leaseId, g.principal().actor(), g.teamIds(), ref,
                clock.instant()));
    }

    @Operation(summary = "Cancel a run", description = "{reason?}: an open run (scheduled, running, delegated) ends "
            + "canceled; its lease holder's later reports are refused. Canceling a canceled run answers it again; an "
            + "ended one is 409. For run.write holders and the automation's own credential.")
    @PostMapping(path = "/{runId}/cancel")
    Mono<RunView> cancel(@PathVariable String ws, @PathVariable String runId,
                         @RequestBody(required = false) Map<String, Object> body, ServerWebExchange exchange) {
        Map<String, Object> b = report(runId, body, Set.of("reason"));
        String reason = TextRules.REASON.optional("reason", b.get("reason"));
        return send(ws, exchange, g -> new CancelRunCommand(runId, ws, g.principal().actor(), g.teamIds(), reason,
                clock.instant()));
    }

    // --- helpers

    /**
     * Sends the report. A report that ends a run also tells its automation in the same transaction; when
     * another node changed that automation at the same moment, the whole transaction is rolled back
     * ({@code concurrent_modification}) and the report is simply handled again (the run decides anew), up to
     * {@link #CONFLICT_RETRIES} times.
     */
    private Mono<RunView> send(String ws, ServerWebExchange exchange, Function<Grant, Object> command) {
        return access.require(exchange, ws, Permission.RUN_WRITE)
                .flatMap(grant -> commands.<RunView>send(command.apply(grant),
                                CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)))
                        .retryWhen(Retry.backoff(CONFLICT_RETRIES, Duration.ofMillis(20))
                                .filter(e -> "concurrent_modification".equals(ProblemExceptionHandler.toProblem(e).code()))
                                .onRetryExhaustedThrow((spec, signal) -> signal.failure())))
                .map(r -> r.orElseThrow());
    }

    static final int CONFLICT_RETRIES = 3;

    private static Map<String, Object> report(String runId, Map<String, Object> body, Set<String> allowed) {
        if (!Ids.isWellFormed(runId)) {
            throw ApiProblem.notFound("run " + (runId.length() > 64 ? runId.substring(0, 64) + "…" : runId) + " not found");
        }
        Map<String, Object> b = body == null ? Map.of() : body;
        only(b, allowed);
        return b;
    }

    private static String leaseId(Map<String, Object> b) {
        Object v = b.get("lease_id");
        if (v != null && (!(v instanceof String s) || s.isBlank() || s.length() > 64)) {
            throw ApiProblem.invalid("lease_id", "must be the lease_id the lease answered");
        }
        return (String) v;
    }

    private static int integer(Map<String, Object> b, String field, int dflt, int min, int max, List<FieldViolation> bad) {
        Object v = b.get(field);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
                || ((Number) v).longValue() > max) {
            bad.add(new FieldViolation(field, "must be a whole number from " + min + " to " + max));
            return dflt;
        }
        return ((Number) v).intValue();
    }

    private static void only(Map<String, Object> body, Set<String> allowed) {
        for (String key : body.keySet()) {
            if (!allowed.contains(key)) {
                throw ApiProblem.invalid(key, "unknown field");
            }
        }
    }

}
