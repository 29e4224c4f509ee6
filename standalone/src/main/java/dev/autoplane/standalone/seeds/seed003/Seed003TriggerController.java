package dev.autoplane.standalone.seeds.seed003;

import dev.autoplane.command.web.AutomationCommandDoor;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.seeds.SeedWorkspaces;
import dev.autoplane.query.web.AutomationQueryDoor;
import dev.autoplane.standalone.seeds.SeedJson;
import dev.autoplane.standalone.seeds.SeedStatus;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seed 003's triggers: {@code /api/automation/triggers...} in the token's workspace. A seed trigger is an automation
 * (kind {@code agent_prompt}: its {@code name}, {@code prompt}, {@code agent_name}) with one {@code webhook} trigger
 * (its {@code event}, {@code filter} path map, {@code endpoint_slug}, {@code scope}, {@code fire_limit},
 * {@code retry}); the seed trigger's id is that webhook trigger's id. Translated to the {@code /api/v1} automation,
 * trigger and run endpoints (docs/seeds.md "Seed 003"). Hidden from the OpenAPI document: an alias.
 */
@Hidden
@RestController
@RequestMapping(path = "/api/automation/triggers", produces = MediaType.APPLICATION_JSON_VALUE)
class Seed003TriggerController {

    /** The seed trigger's fields that are the automation's (the rest are the webhook trigger's). */
    private static final Set<String> AUTOMATION_FIELDS = Set.of("name", "prompt", "agent_name", "enabled", "description");
    private static final Set<String> TRIGGER_FIELDS = Set.of("event", "filter", "endpoint_slug", "scope", "fire_limit", "retry");

    private final AutomationCommandDoor commands;
    private final AutomationQueryDoor queries;
    private final SeedWorkspaces workspaces;
    private final WorkspaceAccess access;
    private final SeedJson json;

    Seed003TriggerController(AutomationCommandDoor commands, AutomationQueryDoor queries, SeedWorkspaces workspaces,
                             WorkspaceAccess access, SeedJson json) {
        this.commands = commands;
        this.queries = queries;
        this.workspaces = workspaces;
        this.access = access;
        this.json = json;
    }

    @GetMapping
    Mono<ResponseEntity<Object>> list(@RequestParam(name = "scope", required = false) String scope,
                                      @RequestParam(name = "workspace_id", required = false) String workspaceId,
                                      @RequestParam(name = "source", required = false) String source,
                                      @RequestParam(name = "event", required = false) String event,
                                      @RequestParam(name = "limit", required = false) String limit,
                                      ServerWebExchange exchange) {
        if (source != null && !List.of("config", "dynamic").contains(source)) {
            throw ApiProblem.invalid("source", "must be config or dynamic");
        }
        boolean none = "config".equals(source); // every trigger here was made by the API
        return (workspaceId != null ? Mono.just(workspaceId) : workspaces.ofToken(exchange))
                .flatMap(ws -> queries.triggers(ws, scope, "webhook", event, null, null, limit, exchange)
                        .flatMap(page -> withAutomations(ws, json.list(page, "triggers"), exchange)))
                .map(list -> json.answer(HttpStatus.OK, null, Map.of("triggers", none ? List.of() : list)));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> create(@RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Object> trigger = new LinkedHashMap<>(Map.of("type", "webhook"));
        split(body, fields, trigger);
        fields.put("triggers", List.of(trigger));
        fields.putIfAbsent("kind", Seed003Shapes.JOB_KIND);
        return workspaces.ofToken(exchange).flatMap(ws -> access.require(exchange, ws, Permission.AUTOMATION_WRITE)
                .flatMap(grant -> commands.create(ws, SeedStatus.requested(fields, grant), exchange))
                .flatMap(created -> {
                    Map<String, Object> answer = json.fields(created.getBody());
                    Map<String, Object> automation = SeedJson.object(answer, "automation");
                    Map<String, Object> secrets = SeedJson.object(answer, "webhook_secrets");
                    return find(ws, (String) automation.get("id"), null, exchange).map(t -> {
                        Object secret = secrets.get(t.get("endpoint_slug"));
                        if (secret != null) {
                            t.put("webhook_secret", secret); // shown once, as on /api/v1
                        }
                        return json.answer(HttpStatus.CREATED, created.getHeaders(), Map.of("trigger", t));
                    });
                }));
    }

    @GetMapping("/{id}")
    Mono<ResponseEntity<Object>> get(@PathVariable String id, ServerWebExchange exchange) {
        return workspaces.ofToken(exchange).flatMap(ws -> find(ws, null, id, exchange))
                .map(t -> json.answer(HttpStatus.OK, null, Map.of("trigger", t)));
    }

    @PatchMapping(path = "/{id}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    Mono<ResponseEntity<Object>> update(@PathVariable String id, @RequestBody Map<String, Object> body,
                                        ServerWebExchange exchange) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Object> trigger = new LinkedHashMap<>();
        split(body, fields, trigger);
        return workspaces.ofToken(exchange).flatMap(ws -> find(ws, null, id, exchange).flatMap(current -> {
            String automationId = (String) current.get("automation_id");
            Mono<?> change = Mono.empty();
            if (!fields.isEmpty()) {
                change = commands.update(ws, automationId, fields, exchange);
            }
            if (!trigger.isEmpty()) {
                change = change.then(commands.changeTrigger(ws, automationId, id, trigger, exchange));
            }
            return change.then(Mono.defer(() -> find(ws, automationId, id, exchange)));
        })).map(t -> json.answer(HttpStatus.OK, null, Map.of("trigger", t)));
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Object>> delete(@PathVariable String id, ServerWebExchange exchange) {
        return workspaces.ofToken(exchange).flatMap(ws -> find(ws, null, id, exchange)
                        .flatMap(t -> commands.delete(ws, (String) t.get("automation_id"), false, exchange)))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping("/{id}/runs")
    Mono<ResponseEntity<Object>> runs(@PathVariable String id,
                                      @RequestParam(name = "status", required = false) String status,
                                      @RequestParam(name = "since", required = false) String since,
                                      @RequestParam(name = "until", required = false) String until,
                                      @RequestParam(name = "limit", required = false) String limit,
                                      ServerWebExchange exchange) {
        return workspaces.ofToken(exchange).flatMap(ws -> find(ws, null, id, exchange)
                        .flatMap(t -> queries.runs(ws, (String) t.get("automation_id"), id, status, since, until, limit,
                                exchange)))
                .map(page -> json.answer(HttpStatus.OK, null,
                        Map.of("runs", json.list(page, "runs").stream().map(Seed003Shapes::run).toList())));
    }

    /** The body's automation fields into {@code fields}, its webhook trigger's into {@code trigger}. */
    private static void split(Map<String, Object> body, Map<String, Object> fields, Map<String, Object> trigger) {
        Map<String, Object> config = new LinkedHashMap<>();
        body.forEach((key, value) -> {
            if (AUTOMATION_FIELDS.contains(key)) {
                fields.put(key, value);
            } else if (key.equals("endpoint_slug")) {
                config.put("endpoint", value);
            } else if (key.equals("filter")) {
                config.put("filter", value);
            } else if (key.equals("scope")) {
                if (!"global".equals(value) && !"workspace".equals(value)) {
                    throw ApiProblem.invalid("scope", "must be global or workspace");
                }
                if ("global".equals(value)) {
                    config.put("scope", "global");
                }
            } else if (TRIGGER_FIELDS.contains(key)) {
                trigger.put(key, value);
            } else {
                fields.put(key, value); // the /api/v1 rules judge it (an unknown field is a 400)
            }
        });
        if (!config.isEmpty()) {
            trigger.put("config", config);
        }
    }

    /**
     * The seed trigger: the webhook trigger {@code triggerId} (or the first of {@code automationId}) with its
     * automation's fields; 404 when there is none.
     */
    private Mono<Map<String, Object>> find(String ws, String automationId, String triggerId, ServerWebExchange exchange) {
        if (triggerId != null && !triggerId.matches("[A-Za-z0-9_-]{1,64}")) {
            return Mono.error(ApiProblem.notFound("trigger " + triggerId + " not found"));
        }
        String filter = triggerId == null ? null : "id == \"" + triggerId + "\"";
        return queries.triggers(ws, null, "webhook", null, automationId, filter, "1000", exchange)
                .flatMap(page -> withAutomations(ws, json.list(page, "triggers"), exchange))
                .flatMap(list -> list.isEmpty()
                        ? Mono.error(ApiProblem.notFound("trigger " + (triggerId != null ? triggerId : "of " + automationId)
                        + " not found")) : Mono.just(list.get(0)));
    }

    /** Each {@code /api/v1} trigger with its automation's fields, in seed 003's shape. */
    private Mono<List<Map<String, Object>>> withAutomations(String ws, List<Map<String, Object>> triggers,
                                                            ServerWebExchange exchange) {
        return reactor.core.publisher.Flux.fromIterable(triggers)
                .concatMap(t -> queries.get(ws, (String) t.get("automation_id"), null, exchange)
                        .map(found -> trigger(t, json.fields(found.getBody()))))
                .collectList();
    }

    private static Map<String, Object> trigger(Map<String, Object> t, Map<String, Object> a) {
        Map<String, Object> config = SeedJson.object(t, "config");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent_name", a.get("agent_name"));
        m.put("created_at", a.get("created_at"));
        m.put("enabled", !Boolean.FALSE.equals(t.get("enabled")) && "active".equals(a.get("status"))
                && !Boolean.FALSE.equals(a.get("enabled")));
        m.put("endpoint_slug", t.get("endpoint_slug") != null ? t.get("endpoint_slug") : config.get("endpoint"));
        m.put("event", t.get("event"));
        Map<String, Object> filter = new LinkedHashMap<>();
        flatten("", SeedJson.object(config, "filter"), filter);
        m.put("filter", filter);
        m.put("fire_limit", t.get("fire_limit"));
        m.put("id", t.get("id"));
        m.put("name", a.get("name"));
        m.put("prompt", a.get("prompt"));
        m.put("retry", t.get("retry"));
        m.put("scope", t.get("scope"));
        m.put("source", "dynamic");
        m.put("updated_at", a.get("updated_at"));
        m.put("webhook_id", t.get("webhook_id"));
        m.put("webhook_secret_hash", t.get("webhook_secret_hash"));
        m.put("webhook_secret_present", t.get("webhook_secret_present"));
        m.put("workspace_id", a.get("workspace_id"));
        m.put("automation_id", a.get("id"));
        m.put("endpoint_url", t.get("endpoint_url"));
        return m;
    }

    /** The filter as the seed shows it: dotted paths to strings (stored nested). */
    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> nested, Map<String, Object> out) {
        nested.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                flatten(prefix + k + ".", (Map<String, Object>) m, out);
            } else {
                out.put(prefix + k, v);
            }
        });
    }
}
