package dev.autoplane.query.web;

import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.filter.CelFilter;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GET /api/v1/workspaces/{ws}/triggers}: the triggers of every automation of the workspace the
 * caller sees, in automation creation order and then as configured, with the {@code scope}, {@code type},
 * {@code event} and {@code automation_id} filters and a CEL {@code filter}, keyset-paginated.
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Automations")
class TriggerQueryController {

    /** The trigger fields a CEL filter may name. */
    static final Map<String, CelType> FIELDS = Map.of("id", SimpleType.STRING, "type", SimpleType.STRING,
            "event", SimpleType.STRING, "enabled", SimpleType.BOOL, "phase_type", SimpleType.STRING,
            "endpoint_slug", SimpleType.STRING, "automation_id", SimpleType.STRING, "scope", SimpleType.STRING);
    static final CelFilter FILTER = new CelFilter(FIELDS);

    private final AutomationStore automations;
    private final WorkspaceAccess access;
    private final WebhookEndpointReads webhooks;

    TriggerQueryController(AutomationStore automations, WorkspaceAccess access, WebhookEndpointReads webhooks) {
        this.automations = automations;
        this.access = access;
        this.webhooks = webhooks;
    }

    static final int BATCH = 200;

    /** One page being filled: {@link #collect} adds the matching triggers of one automation from an index. */
    private final class Page {
        final int size;
        final String ws;
        final String type;
        final String event;
        final String onlyAutomation;
        final Predicate<Map<String, Object>> predicate;
        final WorkspaceAccess.Grant grant;
        final ServerWebExchange exchange;
        final List<Map<String, Object>> out;
        String lastPosition;

        Page(int size, String ws, String type, String event, String onlyAutomation, Predicate<Map<String, Object>> predicate,
             WorkspaceAccess.Grant grant, ServerWebExchange exchange, List<Map<String, Object>> out) {
            this.size = size;
            this.ws = ws;
            this.type = type;
            this.event = event;
            this.onlyAutomation = onlyAutomation;
            this.predicate = predicate;
            this.grant = grant;
            this.exchange = exchange;
            this.out = out;
        }

        /** Answers whether the page is full and a further matching trigger exists. */
        boolean collect(AutomationView v, int from) {
            if (v.deleteTime() != null || !grant.coversTeam(v.teamId()) || (onlyAutomation != null && !onlyAutomation.equals(v.id()))) {
                return false;
            }
            for (int i = from; i < v.triggers().size(); i++) {
                TriggerSpec t = v.triggers().get(i);
                if ((type != null && !type.equals(t.type())) || (event != null && !event.equals(t.event()))
                        || !predicate.test(fields(v.id(), t))) {
                    continue;
                }
                if (out.size() == size) {
                    return true;
                }
                Map<String, Object> body = ScheduleQueryController.triggerBody(new dev.autoplane.platform.scheduling.SourceBook(), t);
                body.remove("next_run_times");
                body.put("automation_id", v.id());
                body.put("automation_name", v.name());
                body.put("scope", "workspace");
                webhooks.decorate(body, ws, t, exchange); // a global webhook trigger's scope is global
                out.add(body);
                lastPosition = v.id() + "|" + i;
            }
            return false;
        }
    }

    static Map<String, Object> fields(String automationId, TriggerSpec t) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", t.id() == null ? "" : t.id());
        m.put("type", t.type() == null ? "" : t.type());
        m.put("event", t.event() == null ? "" : t.event());
        m.put("enabled", t.enabled());
        m.put("phase_type", t.phaseType() == null ? "" : t.phaseType());
        m.put("endpoint_slug", t.config() != null && t.config().get("endpoint") instanceof String s ? s : "");
        m.put("automation_id", automationId);
        m.put("scope", "webhook".equals(t.type()) && t.config() != null && "global".equals(t.config().get("scope"))
                ? "global" : "workspace");
        return m;
    }

    @Operation(summary = "The triggers of the workspace's automations",
            description = "Every trigger of every automation the caller sees (not deleted), by automation creation order "
                    + "and then as configured, each with automation_id, automation_name and scope (global for a webhook "
                    + "trigger on a global endpoint, else workspace). Filters: scope (workspace | global), type, event, "
                    + "automation_id, and filter, a CEL expression over id, type, event, enabled, phase_type, "
                    + "endpoint_slug, automation_id and scope. page_size (default 50, at most 1000) and page_token.")
    @GetMapping("/triggers")
    Mono<Map<String, Object>> list(@PathVariable String ws,
                                   @RequestParam(name = "scope", required = false) String scope,
                                   @RequestParam(name = "type", required = false) String type,
                                   @RequestParam(name = "event", required = false) String event,
                                   @RequestParam(name = "automation_id", required = false) String automationId,
                                   @RequestParam(name = "filter", required = false) String filter,
                                   @RequestParam(name = "page_size", required = false) String pageSize,
                                   @RequestParam(name = "page_token", required = false) String pageToken,
                                   ServerWebExchange exchange) {
        ListParams p = new ListParams();
        String wantedScope = p.oneOf("scope", scope, List.of("workspace", "global"));
        Predicate<Map<String, Object>> inScope = f -> wantedScope == null || wantedScope.equals(f.get("scope"));
        String wantedType = p.oneOf("type", type, List.of("cron", "interval", "at", "webhook", "api"));
        String wantedEvent = p.text("event", event, 200);
        String onlyAutomation = p.id("automation_id", automationId);
        int size = p.pageSize(pageSize);
        String position = p.pageToken("t", pageToken);
        String afterAutomation = null;
        int afterIndex = -1;
        if (position != null) {
            int bar = position.lastIndexOf('|');
            try {
                afterAutomation = position.substring(0, bar);
                afterIndex = Integer.parseInt(position.substring(bar + 1));
            } catch (RuntimeException e) {
                p.require(false, "page_token", "is not a page token of this list");
            }
        }
        p.check();
        Predicate<Map<String, Object>> predicate = inScope.and(FILTER.compile(filter));
        String resumeAutomation = afterAutomation;
        int resumeIndex = afterIndex;
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(grant -> Mono.fromCallable(() -> {
            List<Map<String, Object>> out = new ArrayList<>();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("triggers", out);
            Page page = new Page(size, ws, wantedType, wantedEvent, onlyAutomation, predicate, grant, exchange, out);
            String cursor = resumeAutomation;
            int scanned = 0;
            boolean more = false;
            if (resumeAutomation != null) { // the rest of the automation the previous page ended in
                var v = automations.find(resumeAutomation).filter(a -> a.workspaceId().equals(ws));
                more = v.isPresent() && page.collect(v.get(), resumeIndex + 1);
            }
            while (!more) {
                List<AutomationView> batch = automations.page(ws, cursor, false, BATCH);
                for (AutomationView v : batch) {
                    cursor = v.id();
                    scanned++;
                    if (page.collect(v, 0)) {
                        more = true;
                        break;
                    }
                    page.lastPosition = v.id() + "|" + Integer.MAX_VALUE; // every trigger of it seen
                    if (scanned >= AutomationQueryController.MAX_SCAN) {
                        more = true; // a selective filter: the next page goes on from here
                        break;
                    }
                }
                if (batch.size() < BATCH) {
                    break;
                }
            }
            String lastPosition = page.lastPosition;
            if (more && lastPosition != null) {
                answer.put("next_page_token", PageToken.encode("t", lastPosition));
            }
            return answer;
        }).subscribeOn(Schedulers.boundedElastic()));
    }
}
