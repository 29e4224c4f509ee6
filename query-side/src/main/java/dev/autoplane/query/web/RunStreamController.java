package dev.autoplane.query.web;

import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.runs.RunStore;
import dev.autoplane.query.runs.RunStream;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** Live run status over Server-Sent Events (docs/runs.md "Live run status (Server-Sent Events)"). */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
@Tag(name = "Runs", description = "Runs and occurrences: what each fire created and every occurrence's outcome")
record RunStreamController(RunStream stream, AutomationStore automations, WorkspaceAccess access, RunJson json,
                           @Value("${autoplane.runs.stream.heartbeat:10s}") Duration heartbeat) {

    static final String RESET = "{\"reset\":true,\"detail\":\"this stream fell behind: list the runs again, then "
            + "reconnect with the last event id\"}";

    @Operation(summary = "Follow run status changes live (Server-Sent Events)",
            description = "One event \"run\" per status change of a run the caller may see (a member limited to teams: "
                    + "their teams' runs), data = the run JSON at that change, id = the change's position in the event "
                    + "log. Reconnect with Last-Event-ID to receive every later change once, in order. A comment "
                    + "\": keep-alive\" at least every 15 s. A subscriber that falls more than 1,024 changes behind gets "
                    + "an event \"reset\" and the stream ends. Filters: automation_id, status. Needs run.read.")
    @GetMapping("/runs/stream")
    Flux<ServerSentEvent<String>> runs(@PathVariable String ws,
                                      @Parameter(description = "only runs of this automation")
                                      @RequestParam(name = "automation_id", required = false) String automationId,
                                      @Parameter(description = "only changes to this status")
                                      @RequestParam(name = "status", required = false) String status,
                                      @Parameter(description = "resume after this event id")
                                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                                      ServerWebExchange exchange) {
        ListParams p = new ListParams();
        String automation = p.id("automation_id", automationId);
        String wanted = p.oneOf("status", status, RunStore.STATUSES);
        Long after = position(p, lastEventId);
        p.check();
        return access.require(exchange, ws, Permission.RUN_READ).flatMapMany(grant -> {
            Predicate<RunView> visible = visibleTo(grant, ws);
            Predicate<RunView> filter = r -> (automation == null || automation.equals(r.automationId()))
                    && (wanted == null || wanted.equals(r.status())) && visible.test(r);
            return frames(stream.changes(after, filter));
        });
    }

    @Operation(summary = "Follow one run until it ends (Server-Sent Events)",
            description = "Its current state first, then one event \"run\" per change; the stream closes after the run "
                    + "ends (completed, failed, canceled). 404 for a run of another workspace, 403 for a run outside "
                    + "the caller's teams, as GET .../runs/{runId}. Needs run.read.")
    @GetMapping("/runs/{runId}/stream")
    Flux<ServerSentEvent<String>> run(@PathVariable String ws, @PathVariable String runId, ServerWebExchange exchange) {
        return access.require(exchange, ws, Permission.RUN_READ).flatMap(grant -> Mono.fromCallable(() -> {
            RunView run = Ids.isWellFormed(runId) ? stream.current(runId) : null;
            if (run == null || !run.workspaceId().equals(ws)) {
                throw ApiProblem.notFound("run " + runId + " not found");
            }
            if (!visibleTo(grant, ws).test(run)) {
                throw VisibleAutomations.outsideTeams(grant);
            }
            return run;
        }).subscribeOn(Schedulers.boundedElastic())).flatMapMany(run -> frames(stream.follow(runId)));
    }

    /**
     * The SSE frames of these items, with a comment heartbeat while they last; the first one at once, so the
     * response (its headers) goes out before the first change.
     */
    private Flux<ServerSentEvent<String>> frames(Flux<RunStream.Item> items) {
        // the stream's one tailer thread only hands each change over; this subscriber's frames are made and
        // written on a worker (its bounded buffer in the stream still decides when it has fallen behind)
        Flux<ServerSentEvent<String>> events = items.publishOn(Schedulers.parallel(), 32).map(this::frame);
        return events.publish(shared -> Flux.merge(shared, Flux.interval(Duration.ZERO, heartbeat)
                .map(i -> ServerSentEvent.<String>builder().comment("keep-alive").build())
                .takeUntilOther(shared.then())));
    }

    private ServerSentEvent<String> frame(RunStream.Item item) {
        if (item instanceof RunStream.Change c) {
            var b = ServerSentEvent.<String>builder().event("run").data(json.of(c.run()));
            return (c.position() >= 0 ? b.id(Long.toString(c.position())) : b).build();
        }
        return ServerSentEvent.<String>builder().event("reset").data(RESET).build();
    }

    /** Whether the grant's teams cover a run of {@code ws} (the automation's team looked up once per stream). */
    private Predicate<RunView> visibleTo(Grant grant, String ws) {
        Map<String, Boolean> byAutomation = new ConcurrentHashMap<>();
        return run -> run.workspaceId().equals(ws) && (grant.teamIds().isEmpty()
                || byAutomation.computeIfAbsent(run.automationId(), id -> automations.find(id)
                .map(AutomationView::teamId).map(grant::coversTeam).orElse(false)));
    }

    private static Long position(ListParams p, String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        try {
            long position = Long.parseLong(lastEventId.trim());
            p.require(position >= -1, "Last-Event-ID", "must be an event id this stream sent");
            return position;
        } catch (NumberFormatException e) {
            p.require(false, "Last-Event-ID", "must be an event id this stream sent");
            return null;
        }
    }
}
