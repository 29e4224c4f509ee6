package dev.autoplane.query.web;

import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.events.run.OccurrenceView;
import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.occurrences.OccurrenceStore;
import dev.autoplane.query.runs.RunStore;
import dev.autoplane.query.runs.RunStore.RunQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query endpoints of runs and occurrences: the run history of a workspace, an automation or a trigger. */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Runs", description = "Runs and occurrences: what each fire created and every occurrence's outcome")
class RunQueryController {

    /** Rows scanned at most per list request when the caller sees only some teams; the next page continues there. */
    static final int MAX_SCAN = 5_000;

    private final RunStore runs;
    private final OccurrenceStore occurrences;
    private final AutomationStore automations;
    private final WorkspaceAccess access;

    RunQueryController(RunStore runs, OccurrenceStore occurrences, AutomationStore automations, WorkspaceAccess access) {
        this.runs = runs;
        this.occurrences = occurrences;
        this.automations = automations;
        this.access = access;
    }

    @Operation(summary = "List runs, newest first",
            description = "Keyset-paginated by run id (UUIDv7: the scheduled time). Filters: automation_id, trigger_id "
                    + "(a trigger id, or \"schedule\" for the singleton schedule), status (scheduled, running, delegated, "
                    + "completed, failed, canceled), since (inclusive) and until (exclusive) on scheduled_at, RFC 3339. "
                    + "Needs run.read; a member limited to teams sees only the runs of their teams' automations.")
    @GetMapping("/runs")
    Mono<Map<String, Object>> list(@PathVariable String ws,
                                   @Parameter(description = "only runs of this automation")
                                   @RequestParam(name = "automation_id", required = false) String automationId,
                                   @RequestParam(name = "trigger_id", required = false) String triggerId,
                                   @RequestParam(name = "status", required = false) String status,
                                   @RequestParam(name = "since", required = false) String since,
                                   @RequestParam(name = "until", required = false) String until,
                                   @Parameter(description = "default 50, at most 1000 (larger values are coerced)")
                                   @RequestParam(name = "page_size", required = false) String pageSize,
                                   @RequestParam(name = "page_token", required = false) String pageToken,
                                   ServerWebExchange exchange) {
        ListParams p = new ListParams();
        RunQuery query = runQuery(p, ws, p.id("automation_id", automationId), triggerId, status, since, until,
                pageSize, pageToken);
        p.check();
        return access.require(exchange, ws, Permission.RUN_READ)
                .flatMap(grant -> Mono.fromCallable(() -> page(grant, query)).subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "Get one run", description = "Needs run.read. 404 for a run of another workspace, 403 for a "
            + "run of an automation outside the caller's teams.")
    @GetMapping("/runs/{runId}")
    Mono<RunView> get(@PathVariable String ws, @PathVariable String runId, ServerWebExchange exchange) {
        return access.require(exchange, ws, Permission.RUN_READ).flatMap(grant -> Mono.fromCallable(() -> {
            if (!Ids.isWellFormed(runId)) {
                throw ApiProblem.notFound("run not found");
            }
            RunView run = runs.find(runId).filter(r -> r.workspaceId().equals(ws))
                    .orElseThrow(() -> ApiProblem.notFound("run " + runId + " not found"));
            if (!new TeamCheck(grant).covers(run)) {
                throw VisibleAutomations.outsideTeams(grant);
            }
            return run;
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "List an automation's runs, newest first",
            description = "The same filters and paging as the workspace's run list. Needs run.read.")
    @GetMapping("/automations/{id}/runs")
    Mono<Map<String, Object>> listOfAutomation(@PathVariable String ws, @PathVariable String id,
                                               @RequestParam(name = "trigger_id", required = false) String triggerId,
                                               @RequestParam(name = "status", required = false) String status,
                                               @RequestParam(name = "since", required = false) String since,
                                               @RequestParam(name = "until", required = false) String until,
                                               @RequestParam(name = "page_size", required = false) String pageSize,
                                               @RequestParam(name = "page_token", required = false) String pageToken,
                                               ServerWebExchange exchange) {
        return listOf(ws, id, triggerId, status, since, until, pageSize, pageToken, exchange);
    }

    @Operation(summary = "List the runs of one trigger of an automation, newest first",
            description = "tid is a trigger id, or \"schedule\" for the runs of the singleton schedule. Runs of a trigger "
                    + "that was since removed stay listed. The same filters and paging as the run list. Needs run.read.")
    @GetMapping("/automations/{id}/triggers/{tid}/runs")
    Mono<Map<String, Object>> listOfTrigger(@PathVariable String ws, @PathVariable String id, @PathVariable String tid,
                                            @RequestParam(name = "status", required = false) String status,
                                            @RequestParam(name = "since", required = false) String since,
                                            @RequestParam(name = "until", required = false) String until,
                                            @RequestParam(name = "page_size", required = false) String pageSize,
                                            @RequestParam(name = "page_token", required = false) String pageToken,
                                            ServerWebExchange exchange) {
        return listOf(ws, id, tid, status, since, until, pageSize, pageToken, exchange);
    }

    /** The runs of one automation (of one of its time sources, with {@code triggerId}), if the caller sees it. */
    private Mono<Map<String, Object>> listOf(String ws, String id, String triggerId, String status, String since, String until,
                                             String pageSize, String pageToken, ServerWebExchange exchange) {
        ListParams p = new ListParams();
        RunQuery query = runQuery(p, ws, id, triggerId, status, since, until, pageSize, pageToken);
        p.check();
        return access.require(exchange, ws, Permission.RUN_READ).flatMap(grant -> Mono.fromCallable(() -> {
            VisibleAutomations.require(automations, grant, ws, id);
            return page(grant, query);
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "Every due occurrence of an automation's time sources and what became of it, newest first",
            description = "One entry per occurrence (fire_id), newest scheduled_at first (ties by fire_id), keyset-paginated. "
                    + "outcome: fired (with run_id), canceled_other (fired, canceling the runs still open), skipped_paused, "
                    + "skipped_overlap, throttled, missed, buffered, skipped_deactivated, skipped_inactive (a webhook "
                    + "delivery for an automation not active); reason says why. Needs run.read.")
    @GetMapping("/automations/{id}/occurrences")
    Mono<Map<String, Object>> occurrences(@PathVariable String ws, @PathVariable String id,
                                          @RequestParam(name = "outcome", required = false) String outcome,
                                          @RequestParam(name = "page_size", required = false) String pageSize,
                                          @RequestParam(name = "page_token", required = false) String pageToken,
                                          ServerWebExchange exchange) {
        ListParams p = new ListParams();
        String wanted = p.oneOf("outcome", outcome, OccurrenceStore.OUTCOMES);
        int size = p.pageSize(pageSize);
        OccurrenceStore.Cursor after = occurrenceCursor(p, p.pageToken("o", pageToken));
        p.check();
        return access.require(exchange, ws, Permission.RUN_READ).flatMap(grant -> Mono.fromCallable(() -> {
            VisibleAutomations.require(automations, grant, ws, id);
            List<OccurrenceView> page = occurrences.page(id, wanted, after, size + 1);
            Map<String, Object> answer = new LinkedHashMap<>();
            List<OccurrenceView> shown = page.subList(0, Math.min(size, page.size()));
            answer.put("occurrences", shown);
            if (page.size() > size) {
                OccurrenceView last = shown.get(shown.size() - 1);
                answer.put("next_page_token", PageToken.encode("o", RunStore.micros(last.scheduledAt()) + "|" + last.fireId()));
            }
            return answer;
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    // --- helpers

    private static RunQuery runQuery(ListParams p, String ws, String automationId, String triggerId, String status,
                                     String since, String until, String pageSize, String pageToken) {
        String trigger = p.text("trigger_id", triggerId, 200);
        String wanted = p.oneOf("status", status, RunStore.STATUSES);
        Instant from = p.instant("since", since);
        Instant to = p.instant("until", until);
        if (from != null && to != null) {
            p.require(from.isBefore(to), "until", "must be after since");
        }
        int size = p.pageSize(pageSize);
        String before = p.pageToken("u", pageToken);
        if (before != null) {
            p.require(Ids.isWellFormed(before), "page_token", "is not a page token this listing issued");
        }
        return new RunQuery(ws, automationId, trigger, wanted, from, to, before, size);
    }

    private static OccurrenceStore.Cursor occurrenceCursor(ListParams p, String position) {
        if (position == null) {
            return null;
        }
        int bar = position.indexOf('|');
        try {
            return new OccurrenceStore.Cursor(Long.parseLong(position.substring(0, bar)), position.substring(bar + 1));
        } catch (RuntimeException e) {
            p.require(false, "page_token", "is not a page token this listing issued");
            return null;
        }
    }

    /**
     * One page: scans newest first from the cursor, keeping the runs the caller's teams cover, until the
     * page is full or {@link #MAX_SCAN} runs were looked at (the next page then continues from there).
     */
    private Map<String, Object> page(Grant grant, RunQuery query) {
        int size = query.limit();
        TeamCheck teams = new TeamCheck(grant);
        List<RunView> out = new ArrayList<>();
        String cursor = query.beforeId();
        int scanned = 0;
        boolean exhausted = false;
        while (out.size() < size && scanned < MAX_SCAN && !exhausted) {
            int batch = Math.min(Math.max(size + 1, 50), MAX_SCAN - scanned);
            List<RunView> page = runs.page(query.before(cursor).limit(batch));
            exhausted = page.size() < batch;
            for (RunView r : page) {
                if (out.size() == size) {
                    exhausted = false; // there is at least this one more
                    break;
                }
                cursor = r.id();
                scanned++;
                if (teams.covers(r)) {
                    out.add(r);
                }
            }
        }
        boolean more = !exhausted && cursor != null && !runs.page(query.before(cursor).limit(1)).isEmpty();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("runs", out);
        if (more) {
            answer.put("next_page_token", PageToken.encode("u", cursor));
        }
        return answer;
    }

    /** Whether a run's automation lies in the caller's teams (looked up once per automation and request). */
    private final class TeamCheck {

        private final Grant grant;
        private final Map<String, Boolean> byAutomation = new HashMap<>();

        TeamCheck(Grant grant) {
            this.grant = grant;
        }

        boolean covers(RunView run) {
            if (grant.teamIds().isEmpty()) {
                return true;
            }
            return byAutomation.computeIfAbsent(run.automationId(), id -> automations.find(id)
                    .map(AutomationView::teamId).map(grant::coversTeam).orElse(false));
        }
    }
}
