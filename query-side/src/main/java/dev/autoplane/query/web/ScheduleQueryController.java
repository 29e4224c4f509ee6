package dev.autoplane.query.web;

import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.scheduling.ScheduleViews;
import dev.autoplane.platform.scheduling.SourceBook;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.schedules.ScheduleBook;
import dev.autoplane.query.schedules.ScheduleStore;
import io.swagger.v3.oas.annotations.Operation;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Query endpoints of an automation's time: its singleton schedule and its triggers, each time source
 * with its next occurrences, computed by the same {@link SourceBook} fold the command side fires by.
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}/automations/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Automations")
class ScheduleQueryController {

    static final int NEXT_RUN_TIMES = 5;
    static final Set<String> TIME_TRIGGERS = Set.of("cron", "interval", "at");

    private final AutomationStore automations;
    private final ScheduleStore schedules;
    private final WorkspaceAccess access;
    private final WebhookEndpointReads webhooks;

    ScheduleQueryController(AutomationStore automations, ScheduleStore schedules, WorkspaceAccess access,
                            WebhookEndpointReads webhooks) {
        this.automations = automations;
        this.schedules = schedules;
        this.access = access;
        this.webhooks = webhooks;
    }

    @Operation(summary = "The automation's schedule",
            description = "The spec (cron, interval or at; timezone, start_time, end, jitter_seconds, misfire_grace_seconds, "
                    + "catch_up_policy, overlap_policy) with the read-only enabled, summary, next_run_times (the next 5 "
                    + "nominal occurrences, honouring end; empty while the schedule is disabled) and "
                    + "remaining_occurrences (null when unbounded). 404 when the automation has no schedule.")
    @GetMapping("/schedule")
    Mono<Map<String, Object>> schedule(@PathVariable String ws, @PathVariable String id, ServerWebExchange exchange) {
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(grant -> Mono.fromCallable(() -> {
            VisibleAutomations.require(automations, grant, ws, id);
            return ScheduleViews.of(book(id))
                    .orElseThrow(() -> ApiProblem.notFound("automation " + id + " has no schedule"));
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "The automation's triggers",
            description = "As configured on the automation, in their order; each enabled cron, interval or at trigger with "
                    + "next_run_times (its next 5 occurrences; empty while the trigger is disabled), each webhook trigger "
                    + "with its endpoint (endpoint_slug, webhook_id, endpoint_url, webhook_secret_present, "
                    + "webhook_secret_hash). page_size (default 50) and page_token page through them; filter is a CEL "
                    + "expression over id, type, event, enabled, phase_type and endpoint_slug, e.g. type == \"webhook\".")
    @GetMapping("/triggers")
    Mono<Map<String, Object>> triggers(@PathVariable String ws, @PathVariable String id,
                                       @RequestParam(name = "page_size", required = false) String pageSize,
                                       @RequestParam(name = "page_token", required = false) String pageToken,
                                       @RequestParam(name = "filter", required = false) String filter,
                                       ServerWebExchange exchange) {
        ListParams p = new ListParams();
        int size = p.pageSize(pageSize);
        String after = p.pageToken("p", pageToken);
        int from = 0;
        if (after != null) {
            try {
                from = Integer.parseInt(after) + 1;
            } catch (NumberFormatException e) {
                p.require(false, "page_token", "is not a page token of this list");
            }
        }
        p.check();
        java.util.function.Predicate<Map<String, Object>> predicate = TriggerQueryController.FILTER.compile(filter);
        int start = from;
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(grant -> Mono.fromCallable(() -> {
            AutomationView v = VisibleAutomations.require(automations, grant, ws, id);
            SourceBook book = book(id);
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            int last = -1;
            boolean more = false;
            for (int i = start; i < v.triggers().size(); i++) {
                TriggerSpec t = v.triggers().get(i);
                if (!predicate.test(TriggerQueryController.fields(v.id(), t))) {
                    continue;
                }
                if (out.size() == size) {
                    more = true;
                    break;
                }
                Map<String, Object> body = triggerBody(book, t);
                webhooks.decorate(body, ws, t, exchange);
                out.add(body);
                last = i;
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("triggers", out);
            if (more) {
                answer.put("next_page_token", PageToken.encode("p", Integer.toString(last)));
            }
            return answer;
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "One trigger of the automation",
            description = "With its next run times for time-based triggers; 404 trigger_not_found for an unknown trigger id.")
    @GetMapping("/triggers/{tid}")
    Mono<Map<String, Object>> trigger(@PathVariable String ws, @PathVariable String id, @PathVariable String tid,
                                      ServerWebExchange exchange) {
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(grant -> Mono.fromCallable(() -> {
            AutomationView v = VisibleAutomations.require(automations, grant, ws, id);
            TriggerSpec t = v.triggers().stream().filter(x -> tid.equals(x.id())).findFirst()
                    .orElseThrow(() -> ApiProblem.notFound("trigger " + tid + " of automation " + id + " not found"));
            Map<String, Object> body = triggerBody(book(id), t);
            webhooks.decorate(body, ws, t, exchange);
            return body;
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    private SourceBook book(String automationId) {
        return schedules.find(automationId).map(ScheduleBook::toSourceBook).orElseGet(SourceBook::new);
    }

    static Map<String, Object> triggerBody(SourceBook book, TriggerSpec t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("type", t.type());
        m.put("config", t.config() == null ? Map.of() : t.config());
        m.put("event", t.event());
        m.put("filter", t.filter());
        m.put("phase_type", t.phaseType());
        m.put("fire_limit", t.fireLimit());
        m.put("retry", t.retry());
        m.put("enabled", t.enabled());
        if (TIME_TRIGGERS.contains(t.type())) {
            m.put("next_run_times", t.id() == null ? List.of()
                    : book.get(t.id()).map(e -> nextRunTimes(book, e)).orElse(List.of()));
        }
        return m;
    }

    private static List<Instant> nextRunTimes(SourceBook book, SourceBook.Entry entry) {
        return entry.enabled() ? book.nextRunTimes(entry.sourceId(), NEXT_RUN_TIMES) : List.of();
    }
}
