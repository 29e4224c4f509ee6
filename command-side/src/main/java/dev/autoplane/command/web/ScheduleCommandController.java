package dev.autoplane.command.web;

import dev.autoplane.command.webhook.WebhookTriggers;
import dev.autoplane.events.automation.ScheduleCommands.AddAutomationTriggerCommand;
import dev.autoplane.events.automation.ScheduleCommands.BackfillAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.ChangeAutomationTriggerCommand;
import dev.autoplane.events.automation.ScheduleCommands.DisableAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.EnableAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.RemoveAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.RemoveAutomationTriggerCommand;
import dev.autoplane.events.automation.ScheduleCommands.SetAutomationScheduleCommand;
import dev.autoplane.events.automation.ScheduleCommands.TriggerAutomationCommand;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.automation.AutomationAnswer;
import dev.autoplane.platform.axon.CommandDispatcher;
import dev.autoplane.platform.scheduling.ScheduleViews;
import dev.autoplane.platform.scheduling.SourceBook;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.json.Given;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.request.CommandMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command endpoints of when an automation runs: its singleton schedule, its triggers, manual runs
 * ({@code trigger}, {@code invoke}) and backfills. Rules live in the {@code Automation} aggregate;
 * reads ({@code GET .../schedule}, {@code GET .../triggers}, runs, occurrences) are the query side's.
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}/automations/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Schedules and triggers", description = "When an automation runs: schedule, triggers, manual runs, backfill")
class ScheduleCommandController {

    private static final String IF_MATCH = "If-Match";
    private static final Set<String> STAGES = Set.of("published", "draft");

    private final CommandDispatcher commands;
    private final WorkspaceAccess access;
    private final IdempotentRequests idempotency;
    private final Clock clock;
    private final WebhookTriggers webhooks;

    ScheduleCommandController(CommandDispatcher commands, WorkspaceAccess access, IdempotentRequests idempotency, Clock clock,
                              WebhookTriggers webhooks) {
        this.commands = commands;
        this.access = access;
        this.idempotency = idempotency;
        this.clock = clock;
        this.webhooks = webhooks;
    }

    /** Body of a backfill; read as sent (see {@code Given}) by the checks of {@link #backfill}. */
    @Schema(name = "BackfillRequest")
    record BackfillRequest(OffsetDateTime startTime, OffsetDateTime endTime,
                           @Schema(description = "default: the schedule's", allowableValues = {"allow", "skip", "buffer_one", "cancel_other"})
                           String overlapPolicy) {
    }

    /** Body of {@code POST .../trigger}; {@code inputs} is open (the automation's own inputs). */
    @Schema(name = "ManualRunRequest")
    record ManualRunRequest(@Schema(description = "the trigger this run is for, if any") String triggerId,
                            @Schema(additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> inputs) {
    }

    /** Body of {@code POST .../invoke}; {@code inputs} is open (the automation's own inputs). */
    @Schema(name = "InvokeRequest")
    record InvokeRequest(@Schema(allowableValues = {"published", "draft"}, description = "default published") String stage,
                         @Schema(additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> inputs) {
    }

    // --- the schedule

    @Operation(summary = "Set the schedule (replace)", description = "Exactly one of cron (5 fields or @hourly-style), "
            + "interval (PT15M or 15m) or at (RFC 3339), with timezone (IANA, default UTC), start_time, end "
            + "{type: never | after_occurrences (occurrences) | on_date (date)}, jitter_seconds (0..3600), "
            + "misfire_grace_seconds (default 60), catch_up_policy (skip | fire_once | fire_all) and overlap_policy "
            + "(allow | skip | buffer_one | cancel_other). A new schedule is enabled and counts from now.")
    @PutMapping(path = "/schedule", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> put(@PathVariable String ws, @PathVariable String id, @RequestBody Given<ScheduleWrite> body,
                                     @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                     ServerWebExchange exchange) {
        return schedule(ws, id, exchange, ifMatch, (grant, version) -> new SetAutomationScheduleCommand(id, ws, version,
                body.fields(), true, grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Change the schedule (partial)", description = "Only the fields given change; giving one of "
            + "cron, interval or at replaces the other two. Changing only policies or jitter keeps the occurrences counted so far.")
    @PatchMapping(path = "/schedule", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    Mono<ResponseEntity<Object>> patch(@PathVariable String ws, @PathVariable String id, @RequestBody Given<ScheduleWrite> body,
                                       @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                       ServerWebExchange exchange) {
        return schedule(ws, id, exchange, ifMatch, (grant, version) -> new SetAutomationScheduleCommand(id, ws, version,
                body.fields(), false, grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Remove the schedule",
            description = "Removes the singleton schedule; its occurrences stop coming due. Triggers are not affected. A service account's change goes to pending_approval.")
    @DeleteMapping(path = "/schedule")
    Mono<ResponseEntity<Object>> remove(@PathVariable String ws, @PathVariable String id,
                                        @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        return send(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch, (grant, version) ->
                new RemoveAutomationScheduleCommand(id, ws, version, grant.principal().actor(), clock.instant(), grant.teamIds()))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @Operation(summary = "Enable the schedule", description = "Occurrences it missed while disabled are handled by its "
            + "catch_up_policy.")
    @PostMapping(path = "/schedule/enable")
    Mono<ResponseEntity<Object>> enable(@PathVariable String ws, @PathVariable String id,
                                        @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        return schedule(ws, id, exchange, ifMatch, (grant, version) ->
                new EnableAutomationScheduleCommand(id, ws, version, grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Disable the schedule",
            description = "Keeps the schedule but stops its occurrences; enabling it again applies its catch_up_policy to what it missed.")
    @PostMapping(path = "/schedule/disable")
    Mono<ResponseEntity<Object>> disable(@PathVariable String ws, @PathVariable String id,
                                         @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                         ServerWebExchange exchange) {
        return schedule(ws, id, exchange, ifMatch, (grant, version) ->
                new DisableAutomationScheduleCommand(id, ws, version, grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Fire the schedule's occurrences of a past window",
            description = "{start_time, end_time, overlap_policy?}: every occurrence in [start_time, end_time) fires "
                    + "(at most 1000), judged by the overlap policy given or the schedule's. Answers 202 {backfill_id, run_ids}.")
    @PostMapping(path = "/schedule/backfill", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> backfill(@PathVariable String ws, @PathVariable String id,
                                          @RequestBody Given<BackfillRequest> given, ServerWebExchange exchange) {
        RequestParts.automationId(id);
        Map<String, Object> body = given.fields();
        only(body, Set.of("start_time", "end_time", "overlap_policy"));
        Instant start = timestamp(body, "start_time", true);
        Instant end = timestamp(body, "end_time", true);
        Object overlap = body.get("overlap_policy");
        if (overlap != null && !(overlap instanceof String o && Set.of("allow", "skip", "buffer_one", "cancel_other").contains(o))) {
            throw ApiProblem.invalid("overlap_policy", "must be one of allow, skip, buffer_one, cancel_other");
        }
        Instant now = clock.instant();
        if (!start.isBefore(end)) {
            throw ApiProblem.invalid("end_time", "must be after start_time");
        }
        if (end.isAfter(now)) {
            throw ApiProblem.invalid("end_time", "must not be in the future: a backfill fires a window that has passed");
        }
        String backfillId = Ids.newId();
        return access.require(exchange, ws, Permission.RUN_WRITE).flatMap(grant ->
                commands.<List<String>>send(new BackfillAutomationScheduleCommand(id, ws, backfillId, start, end,
                                (String) overlap, grant.principal().actor(), now, grant.teamIds()), CommandMetadata.of(exchange, ws,
                                RequestParts.reason(exchange)))
                        .map(runs -> {
                            Map<String, Object> answer = new LinkedHashMap<>();
                            answer.put("backfill_id", backfillId);
                            answer.put("run_ids", runs.orElse(List.of()));
                            return ResponseEntity.status(HttpStatus.ACCEPTED).body((Object) answer);
                        }));
    }

    // --- triggers

    @Operation(summary = "Add a trigger", description = "{type: cron | interval | at | webhook | api, config, event?, "
            + "filter?, phase_type?, fire_limit?, retry?, enabled?}; at most one cron trigger. Answers 201 with the trigger.")
    @PostMapping(path = "/triggers", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> addTrigger(@PathVariable String ws, @PathVariable String id,
                                            @RequestBody Given<TriggerWrite> body,
                                            @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                            ServerWebExchange exchange) {
        String triggerId = Ids.newId();
        RequestParts.automationId(id);
        WebhookTriggers.Prepared webhook = webhooks.prepareAdd(ws, body.fields(), exchange); // a webhook trigger's endpoint and secret
        return send(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch, webhook.metaData(), (grant, version) ->
                new AddAutomationTriggerCommand(id, ws, version, triggerId, webhook.trigger(), grant.principal().actor(), clock.instant(), grant.teamIds()))
                .map(answer -> trigger(ws, answer, triggerId, webhook.secret(), exchange))
                .map(t -> ResponseEntity.status(HttpStatus.CREATED).body(t));
    }

    @Operation(summary = "Change a trigger (partial)",
            description = "Changes the given fields of one trigger; the trigger id cannot change. A service account's change goes to pending_approval.")
    @PatchMapping(path = "/triggers/{tid}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    Mono<ResponseEntity<Object>> changeTrigger(@PathVariable String ws, @PathVariable String id, @PathVariable String tid,
                                               @RequestBody Given<TriggerWrite> body,
                                               @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                               ServerWebExchange exchange) {
        RequestParts.automationId(id);
        WebhookTriggers.Prepared webhook = webhooks.prepareChange(ws, id, tid, body.fields(), exchange);
        return send(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch, webhook.metaData(), (grant, version) ->
                new ChangeAutomationTriggerCommand(id, ws, version, tid, webhook.trigger(), grant.principal().actor(), clock.instant(), grant.teamIds()))
                .map(answer -> trigger(ws, answer, tid, webhook.secret(), exchange))
                .map(t -> ResponseEntity.ok().body(t));
    }

    @Operation(summary = "Remove a trigger",
            description = "Removes one trigger; runs it already created are kept. A service account's change goes to pending_approval.")
    @DeleteMapping(path = "/triggers/{tid}")
    Mono<ResponseEntity<Object>> removeTrigger(@PathVariable String ws, @PathVariable String id, @PathVariable String tid,
                                               @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                               ServerWebExchange exchange) {
        return send(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch, (grant, version) ->
                new RemoveAutomationTriggerCommand(id, ws, version, tid, grant.principal().actor(), clock.instant(), grant.teamIds()))
                .thenReturn(ResponseEntity.noContent().build());
    }

    // --- manual runs

    @Operation(summary = "Fire now", description = "{trigger_id?, inputs?}: one run of the published revision now, "
            + "whatever the overlap policy and fire limits (a person's explicit request). Answers 202 {run}.")
    @PostMapping(path = "/trigger")
    Mono<ResponseEntity<Object>> trigger(@PathVariable String ws, @PathVariable String id,
                                         @RequestBody(required = false) Given<ManualRunRequest> body,
                                         ServerWebExchange exchange) {
        RequestParts.automationId(id);
        Map<String, Object> b = body == null ? Map.of() : body.fields();
        only(b, Set.of("trigger_id", "inputs"));
        Object triggerId = b.get("trigger_id");
        if (triggerId != null && !(triggerId instanceof String)) {
            throw ApiProblem.invalid("trigger_id", "must be a string");
        }
        Map<String, Object> inputs = inputs(b);
        String runId = Ids.newId();
        return access.require(exchange, ws, Permission.RUN_WRITE).flatMap(grant ->
                commands.<RunView>send(new TriggerAutomationCommand(id, ws, runId, (String) triggerId, "published", inputs,
                                "manual", grant.principal().actor(), grant.has(Permission.AUTOMATION_WRITE), clock.instant(),
                                grant.teamIds()),
                        CommandMetadata.of(exchange, ws, RequestParts.reason(exchange))))
                .map(run -> ResponseEntity.status(HttpStatus.ACCEPTED).body((Object) Map.of("run", run.orElseThrow())));
    }

    @Operation(summary = "Invoke", description = "{stage?: published (default) | draft, inputs?}: one run now; "
            + "stage draft is a test run of the current draft (needs automation.write). With Idempotency-Key, a repeat "
            + "of the same body within 24 h answers the first run_id and runs nothing. Answers 202 {run_id}.")
    @PostMapping(path = "/invoke")
    Mono<ResponseEntity<Object>> invoke(@PathVariable String ws, @PathVariable String id,
                                        @RequestBody(required = false) Given<InvokeRequest> body,
                                        @RequestHeader(value = "Idempotency-Key", required = false) String key,
                                        ServerWebExchange exchange) {
        RequestParts.automationId(id);
        Map<String, Object> b = body == null ? Map.of() : body.fields();
        only(b, Set.of("stage", "inputs"));
        Object stage = b.get("stage") == null ? "published" : b.get("stage");
        if (!(stage instanceof String s) || !STAGES.contains(s)) {
            throw ApiProblem.invalid("stage", "must be published or draft");
        }
        Map<String, Object> inputs = inputs(b);
        return access.require(exchange, ws, Permission.RUN_WRITE).flatMap(grant -> {
            String scope = ws + ":" + grant.principal().actor().id() + ":invoke:" + id;
            return idempotency.handle(scope, key, b, "run", (runId, metaData) -> commands.send(
                                    new TriggerAutomationCommand(id, ws, runId, null, (String) stage, inputs, "invoke",
                                            grant.principal().actor(), grant.has(Permission.AUTOMATION_WRITE), clock.instant(),
                                            grant.teamIds()),
                                    CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)).mergedWith(metaData))
                            .thenReturn(invoked(runId)),
                    runId -> Mono.just(invoked(runId)));
        });
    }

    private static ResponseEntity<Object> invoked(String runId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("run_id", runId));
    }

    // --- helpers

    private Mono<ResponseEntity<Object>> schedule(String ws, String id, ServerWebExchange exchange, String ifMatch,
                                                  java.util.function.BiFunction<Grant, Long, Object> command) {
        return send(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch, command)
                .map(answer -> ScheduleViews.of(SourceBook.from(answer.schedule()))
                        .<ResponseEntity<Object>>map(v -> ResponseEntity.ok().body(v))
                        .orElseGet(() -> ResponseEntity.noContent().build()));
    }

    /** Sends the command; answers the automation as the command left it (from the aggregate). */
    private Mono<AutomationAnswer> send(String ws, String id, Permission permission, ServerWebExchange exchange, String ifMatch,
                                        java.util.function.BiFunction<Grant, Long, Object> command) {
        return send(ws, id, permission, exchange, ifMatch, org.axonframework.messaging.MetaData.emptyInstance(), command);
    }

    /** As above, with what must be written with the command (a webhook endpoint and its sealed secret). */
    private Mono<AutomationAnswer> send(String ws, String id, Permission permission, ServerWebExchange exchange, String ifMatch,
                                        org.axonframework.messaging.MetaData extra,
                                        java.util.function.BiFunction<Grant, Long, Object> command) {
        RequestParts.automationId(id);
        Long version = Preconditions.expectedVersion(ifMatch);
        return access.require(exchange, ws, permission)
                .flatMap(grant -> commands.send(command.apply(grant, version),
                        CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)).mergedWith(extra)))
                .map(AutomationResponses::answer);
    }

    private Object trigger(String ws, AutomationAnswer answer, String triggerId, String secretShownOnce, ServerWebExchange exchange) {
        return answer.automation().triggers().stream().filter(x -> triggerId.equals(x.id())).findFirst()
                .<Object>map(t -> webhooks.answer(ws, t, secretShownOnce, exchange)).orElseGet(() -> Map.of("id", triggerId));
    }

    private static void only(Map<String, Object> body, Set<String> allowed) {
        for (String key : body.keySet()) {
            if (!allowed.contains(key)) {
                throw ApiProblem.invalid(key, "unknown field");
            }
        }
    }

    private static Instant timestamp(Map<String, Object> body, String field, boolean required) {
        Object v = body.get(field);
        if (v == null) {
            if (required) {
                throw ApiProblem.invalid(field, "is required (an RFC 3339 timestamp)");
            }
            return null;
        }
        try {
            return OffsetDateTime.parse((String) v).toInstant();
        } catch (ClassCastException | DateTimeParseException e) {
            throw ApiProblem.invalid(field, "must be an RFC 3339 timestamp like 2026-03-08T09:00:00Z");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inputs(Map<String, Object> body) {
        Object inputs = body.get("inputs");
        if (inputs == null) {
            return Map.of();
        }
        if (!(inputs instanceof Map<?, ?> m)) {
            throw ApiProblem.invalid("inputs", "must be an object");
        }
        return (Map<String, Object>) m;
    }
}
