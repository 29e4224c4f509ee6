package dev.autoplane.standalone.seeds.seed002;

import dev.autoplane.command.web.AutomationCommandDoor;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.seeds.SeedWorkspaces;
import dev.autoplane.query.web.AutomationQueryDoor;
import dev.autoplane.standalone.seeds.SeedJson;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 002's door: {@code /api/v1/organizations/{org}/workspaces/{ws}/automations...} with its AIP-136 custom
 * methods ({@code {id}:query}, {@code :invoke}, {@code :addConnections}...), enum spellings and AIP-160 filters,
 * translated to the {@code /api/v1/workspaces/{ws}/...} endpoints (docs/seeds.md "Seed 002"). Hidden from the OpenAPI
 * document: an alias.
 */
@Hidden
@RestController
@RequestMapping(path = "/api/v1/organizations/{org}/workspaces/{ws}", produces = MediaType.APPLICATION_JSON_VALUE)
class Seed002AutomationController {

    /** The seed's default page size of the automation list. */
    static final int DEFAULT_PAGE_SIZE = 10;
    /** The most automations the list orders by update time (the /api/v1 page's maximum). */
    static final int ORDERED_WINDOW = 1000;

    private final AutomationCommandDoor commands;
    private final AutomationQueryDoor queries;
    private final SeedWorkspaces workspaces;
    private final SeedJson json;

    Seed002AutomationController(AutomationCommandDoor commands, AutomationQueryDoor queries, SeedWorkspaces workspaces,
                                SeedJson json) {
        this.commands = commands;
        this.queries = queries;
        this.workspaces = workspaces;
        this.json = json;
    }

    // --- automations

    @GetMapping("/automations/{id}")
    Mono<ResponseEntity<Object>> get(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                     ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> queries.get(ws, id, null, exchange))
                .map(found -> ok(Seed002Names.automation(json.fields(found.getBody()), org)));
    }

    @GetMapping("/automations/{id}:query")
    Mono<ResponseEntity<Object>> query(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                       @RequestParam(name = "stage", required = false) String stage,
                                       ServerWebExchange exchange) {
        String wanted = Seed002Names.stage("stage", stage);
        return in(org, ws).flatMap(w -> queries.get(ws, id, wanted == null ? null : wanted.toLowerCase(java.util.Locale.ROOT),
                        exchange))
                .map(found -> ok(Seed002Names.automation(json.fields(found.getBody()), org)));
    }

    @GetMapping("/automations")
    Mono<ResponseEntity<Object>> list(@PathVariable String org, @PathVariable String ws,
                                      @RequestParam(name = "page_size", required = false) Integer pageSize,
                                      @RequestParam(name = "page_token", required = false) String pageToken,
                                      @RequestParam(name = "show_deleted", defaultValue = "false") boolean showDeleted,
                                      @RequestParam(name = "filter", required = false) String filter,
                                      @RequestParam(name = "order_by", required = false) String orderBy,
                                      ServerWebExchange exchange) {
        if (pageSize != null && pageSize < 0) {
            throw ApiProblem.invalid("page_size", "must not be negative");
        }
        int size = pageSize == null || pageSize == 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, 1000);
        int offset = offset(pageToken);
        return in(org, ws).flatMap(w -> queries.list(ws, ORDERED_WINDOW, null, Seed002Names.cel(filter), showDeleted, exchange))
                .map(page -> {
                    List<Map<String, Object>> all = new ArrayList<>(json.list(page, "automations"));
                    // the seed's order: update_time desc (then id, for a stable page)
                    all.sort(Comparator.comparing((Map<String, Object> a) -> String.valueOf(a.get("updated_at")))
                            .thenComparing(a -> String.valueOf(a.get("id"))).reversed());
                    List<Map<String, Object>> out = all.stream().skip(offset).limit(size)
                            .map(a -> Seed002Names.automation(a, org)).toList();
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("automations", out);
                    if (offset + size < all.size()) {
                        answer.put("next_page_token", Base64.getUrlEncoder().withoutPadding()
                                .encodeToString(("o" + (offset + size)).getBytes(StandardCharsets.UTF_8)));
                    }
                    return ok(answer);
                });
    }

    @GetMapping("/automations/{id}/revisions")
    Mono<ResponseEntity<Object>> revisions(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                           @RequestParam(name = "page_size", required = false) Integer pageSize,
                                           @RequestParam(name = "page_token", required = false) String pageToken,
                                           @RequestParam(name = "filter", required = false) String filter,
                                           ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> queries.revisions(ws, id, Seed002Names.cel(filter), pageSize, pageToken, exchange))
                .map(page -> {
                    Map<String, Object> answer = json.fields(page);
                    answer.put("revisions", json.list(page, "revisions").stream()
                            .map(r -> revision(r, org, ws, id)).toList());
                    return ok(answer);
                });
    }

    @GetMapping("/automations/{id}/revisions/{rev}")
    Mono<ResponseEntity<Object>> revision(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                          @PathVariable String rev, ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> queries.revision(ws, id, rev, exchange))
                .map(r -> ok(revision(json.fields(r), org, ws, id)));
    }

    @PostMapping("/automations/{id}:invoke")
    Mono<ResponseEntity<Object>> invoke(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                        @RequestBody(required = false) Map<String, Object> body,
                                        ServerWebExchange exchange) {
        Map<String, Object> b = new LinkedHashMap<>(body == null ? Map.of() : body);
        String stage = Seed002Names.stage("stage", b.remove("stage"));
        if (stage != null) {
            b.put("stage", stage.toLowerCase(java.util.Locale.ROOT));
        }
        return in(org, ws).flatMap(w -> commands.invoke(ws, id, b, exchange))
                .map(invoked -> ok(json.fields(invoked.getBody())));
    }

    @GetMapping("/automations/{id}:listDefaultInputsHistory")
    Mono<ResponseEntity<Object>> defaultInputsHistory(@PathVariable String org, @PathVariable String ws,
                                                      @PathVariable String id,
                                                      @RequestParam(name = "stage", required = false) String stage,
                                                      @RequestParam(name = "filter", required = false) String filter,
                                                      @RequestParam(name = "page_size", required = false) Integer pageSize,
                                                      @RequestParam(name = "page_token", required = false) String pageToken,
                                                      ServerWebExchange exchange) {
        String wanted = stage != null ? Seed002Names.stage("stage", stage) : Seed002Names.stageOfFilter(filter);
        return in(org, ws).flatMap(w -> queries.defaultInputsHistory(ws, id, wanted, pageSize, pageToken, exchange))
                .map(page -> ok(json.fields(page)));
    }

    @GetMapping("/automations/{id}/visualization")
    Mono<ResponseEntity<Object>> visualization(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                               ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> queries.visualization(ws, id, exchange)).map(v -> {
            Map<String, Object> m = json.fields(v);
            m.put("name", "organizations/" + org + "/workspaces/" + ws + "/automations/" + id + "/visualization");
            if (m.get("state") != null) {
                m.put("state", "VISUALIZATION_STATE_" + m.get("state"));
            }
            m.putIfAbsent("error_message", null);
            return ok(m);
        });
    }

    // --- connections

    @PostMapping("/automations:countConnectionUsage")
    Mono<ResponseEntity<Object>> countConnectionUsage(@PathVariable String org, @PathVariable String ws,
                                                      @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> commands.countConnectionUsage(ws, body, exchange))
                .map(counted -> ok(json.fields(counted.getBody())));
    }

    @PostMapping("/automations:traceConnectionUsage")
    Mono<ResponseEntity<Object>> traceConnectionUsage(@PathVariable String org, @PathVariable String ws,
                                                      @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        for (String key : body.keySet()) {
            if (!key.equals("connection_id")) {
                throw ApiProblem.invalid(key, "unknown field");
            }
        }
        if (!(body.get("connection_id") instanceof String cid)) {
            throw ApiProblem.invalid("connection_id", "is required");
        }
        return in(org, ws).flatMap(w -> commands.traceConnectionUsage(ws, cid, exchange))
                .map(traced -> ok(json.fields(traced.getBody())));
    }

    @DeleteMapping("/automations:deleteConnection")
    Mono<ResponseEntity<Object>> deleteConnection(@PathVariable String org, @PathVariable String ws,
                                                  @RequestParam(name = "connection_id") String connectionId,
                                                  ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> commands.deleteConnection(ws, connectionId, exchange))
                .map(deleted -> ok(json.fields(deleted.getBody())));
    }

    @GetMapping("/automations/{id}:extractCodeConnections")
    Mono<ResponseEntity<Object>> extractCodeConnections(@PathVariable String org, @PathVariable String ws,
                                                        @PathVariable String id,
                                                        @RequestParam(name = "filter", required = false) String filter,
                                                        ServerWebExchange exchange) {
        String stage = Seed002Names.stageOfFilter(filter);
        return in(org, ws).flatMap(w -> queries.codeConnections(ws, id, stage, exchange)).map(c -> ok(json.fields(c)));
    }

    @PostMapping("/automations/{id}:addConnections")
    Mono<ResponseEntity<Object>> addConnections(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                                @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        return connections(org, ws, id, "add", body, exchange);
    }

    @PostMapping("/automations/{id}:removeConnections")
    Mono<ResponseEntity<Object>> removeConnections(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                                   @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        return connections(org, ws, id, "remove", body, exchange);
    }

    @PostMapping("/automations/{id}:upgradeConnections")
    Mono<ResponseEntity<Object>> upgradeConnections(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                                    @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        return connections(org, ws, id, "upgrade", body, exchange);
    }

    @PostMapping("/automations/{id}:switchConnections")
    Mono<ResponseEntity<Object>> switchConnections(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                                   @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        return connections(org, ws, id, "switch", body, exchange);
    }

    private Mono<ResponseEntity<Object>> connections(String org, String ws, String id, String edit,
                                                     Map<String, Object> body, ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> commands.editConnections(ws, id, edit, body, exchange))
                .map(edited -> ok(Map.of("automation", Seed002Names.automation(json.fields(edited.getBody()), org))));
    }

    // --- schedule

    @GetMapping("/automations/{id}/schedule")
    Mono<ResponseEntity<Object>> schedule(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                          ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> queries.schedule(ws, id, exchange)).map(s -> ok(schedule(json.fields(s), org, ws, id)));
    }

    @PostMapping("/automations/{id}/schedule")
    Mono<ResponseEntity<Object>> createSchedule(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                                @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> commands.setSchedule(ws, id, scheduleFields(body), exchange))
                .map(set -> ok(schedule(json.fields(set.getBody()), org, ws, id)));
    }

    @PatchMapping(path = "/automations/{id}/schedule", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    Mono<ResponseEntity<Object>> updateSchedule(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                                @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> commands.changeSchedule(ws, id, scheduleFields(body), exchange))
                .map(set -> ok(schedule(json.fields(set.getBody()), org, ws, id)));
    }

    @DeleteMapping("/automations/{id}/schedule")
    Mono<ResponseEntity<Object>> deleteSchedule(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                                ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> commands.removeSchedule(ws, id, exchange)).thenReturn(ok(Map.of()));
    }

    @PostMapping("/automations/{id}:disableAutomationSchedule")
    Mono<ResponseEntity<Object>> disableSchedule(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                                 @RequestBody(required = false) Map<String, Object> body,
                                                 ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> commands.enableSchedule(ws, id, false, exchange))
                .map(set -> ok(schedule(json.fields(set.getBody()), org, ws, id)));
    }

    @PostMapping("/automations/{id}:enableAutomationSchedule")
    Mono<ResponseEntity<Object>> enableSchedule(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                                @RequestBody(required = false) Map<String, Object> body,
                                                ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> commands.enableSchedule(ws, id, true, exchange))
                .map(set -> ok(schedule(json.fields(set.getBody()), org, ws, id)));
    }

    // --- triggers

    @GetMapping("/automations/{id}/triggers")
    Mono<ResponseEntity<Object>> triggers(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                          @RequestParam(name = "page_size", required = false) String pageSize,
                                          @RequestParam(name = "page_token", required = false) String pageToken,
                                          @RequestParam(name = "filter", required = false) String filter,
                                          ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> queries.automationTriggers(ws, id, pageSize, pageToken, Seed002Names.cel(filter),
                exchange)).map(page -> ok(json.fields(page)));
    }

    @PostMapping("/automations/{id}/triggers")
    Mono<ResponseEntity<Object>> addTrigger(@PathVariable String org, @PathVariable String ws, @PathVariable String id,
                                            @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        return in(org, ws).flatMap(w -> commands.addTrigger(ws, id, body, exchange))
                .map(added -> ok(json.fields(added.getBody())));
    }

    // --- helpers

    private Mono<String> in(String org, String ws) {
        return workspaces.inOrganization(org, ws);
    }

    private ResponseEntity<Object> ok(Object body) {
        return json.answer(HttpStatus.OK, null, body);
    }

    /** The seed's schedule body: our fields, at the top level or under {@code config}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> scheduleFields(Map<String, Object> body) {
        Map<String, Object> fields = new LinkedHashMap<>(body);
        fields.remove("name"); // the resource name: the path says it
        if (fields.remove("config") instanceof Map<?, ?> config) {
            ((Map<String, Object>) config).forEach(fields::putIfAbsent);
        }
        return fields;
    }

    private static Map<String, Object> schedule(Map<String, Object> s, String org, String ws, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "organizations/" + org + "/workspaces/" + ws + "/automations/" + id + "/schedule");
        m.put("enabled", s.get("enabled"));
        m.put("summary", s.get("summary") != null ? s.get("summary") : summary(s));
        m.put("next_run_times", s.get("next_run_times"));
        m.put("remaining_occurrences", s.get("remaining_occurrences"));
        s.forEach(m::putIfAbsent);
        return m;
    }

    private static String summary(Map<String, Object> s) {
        Object timing = s.get("cron") != null ? "cron " + s.get("cron") : s.get("interval") != null
                ? "every " + s.get("interval") : s.get("at") != null ? "at " + s.get("at") : null;
        return timing == null ? null : timing + " (" + (s.get("timezone") != null ? s.get("timezone") : "UTC") + ")";
    }

    private static Map<String, Object> revision(Map<String, Object> r, String org, String ws, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "organizations/" + org + "/workspaces/" + ws + "/automations/" + id + "/revisions/" + r.get("revision"));
        m.put("create_time", r.get("created_at"));
        m.put("alternate_ids", List.of());
        Map<String, Object> snapshot = new LinkedHashMap<>(r);
        if (snapshot.get("stage") instanceof String stage) {
            snapshot.put("stage", "AUTOMATION_STAGE_" + stage);
        }
        m.put("snapshot", snapshot);
        r.forEach(m::putIfAbsent);
        m.put("stage", snapshot.get("stage"));
        return m;
    }

    private static int offset(String pageToken) {
        if (pageToken == null || pageToken.isBlank()) {
            return 0;
        }
        try {
            String t = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
            if (t.startsWith("o")) {
                return Integer.parseInt(t.substring(1));
            }
        } catch (RuntimeException e) {
            // below
        }
        throw ApiProblem.invalid("page_token", "is not a page token of this list");
    }
}
