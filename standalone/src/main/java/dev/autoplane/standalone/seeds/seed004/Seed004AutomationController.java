package dev.autoplane.standalone.seeds.seed004;

import dev.autoplane.command.web.AutomationCommandDoor;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.seeds.SeedWorkspaces;
import dev.autoplane.standalone.seeds.SeedJson;
import dev.autoplane.standalone.seeds.SeedStatus;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 004's door: {@code POST /v1/automations} in the token's workspace, translated to
 * {@code POST /api/v1/workspaces/{ws}/automations} (docs/seeds.md "Seed 004"). Without {@code kind} the automation is
 * an {@code agent_prompt} (the seed's automations send a prompt to a coding agent); {@code enabled} (default true)
 * asks for {@code active} when the caller may approve, else for {@code pending_approval}. Hidden from the OpenAPI
 * document: an alias.
 */
@Hidden
@RestController
@RequestMapping(path = "/v1/automations", produces = MediaType.APPLICATION_JSON_VALUE)
class Seed004AutomationController {

    /** The kind of an automation created here without one. */
    static final String DEFAULT_KIND = "agent_prompt";

    private final AutomationCommandDoor commands;
    private final SeedWorkspaces workspaces;
    private final WorkspaceAccess access;
    private final SeedJson json;

    Seed004AutomationController(AutomationCommandDoor commands, SeedWorkspaces workspaces, WorkspaceAccess access,
                                SeedJson json) {
        this.commands = commands;
        this.workspaces = workspaces;
        this.access = access;
        this.json = json;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> create(@RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        return workspaces.ofToken(exchange).flatMap(ws -> access.require(exchange, ws, Permission.AUTOMATION_WRITE)
                .flatMap(grant -> {
                    Map<String, Object> fields = new LinkedHashMap<>(body);
                    fields.putIfAbsent("kind", DEFAULT_KIND);
                    SeedStatus.requested(fields, grant);
                    String org = workspaces.organizationOf(ws);
                    fields.putIfAbsent("organization_id", org);
                    return commands.create(ws, fields, exchange).map(created -> {
                        Map<String, Object> answer = json.fields(created.getBody());
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("automation", shape(SeedJson.object(answer, "automation"), org));
                        out.put("secret", answer.get("secret")); // the automation's credential, shown once
                        return json.answer(HttpStatus.CREATED, created.getHeaders(), out);
                    });
                }));
    }

    /** The {@code /api/v1} automation under seed 004's names. */
    static Map<String, Object> shape(Map<String, Object> a, String org) {
        Map<String, Object> cron = cronTrigger(a);
        Map<String, Object> cronConfig = SeedJson.object(cron, "config");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.get("id"));
        m.put("organization_id", a.get("organization_id") != null ? a.get("organization_id") : org);
        m.put("name", a.get("name"));
        m.put("description", a.get("description"));
        m.put("triggers", a.get("triggers") != null ? a.get("triggers") : List.of());
        m.put("prompt", a.get("prompt"));
        m.put("repository_ids", a.get("repository_ids") != null ? a.get("repository_ids") : List.of());
        m.put("repository_set_id", a.get("repository_set_id"));
        m.put("enabled", "active".equals(a.get("status")) && !Boolean.FALSE.equals(a.get("enabled")));
        m.put("cron_expression", cronConfig.get("schedule"));
        m.put("cron_timezone", cron.isEmpty() ? null : cronConfig.getOrDefault("timezone", "UTC"));
        m.put("cron_next_fire_at", cron.isEmpty() ? null : a.get("next_run_at"));
        m.put("created_by", SeedJson.object(a, "created_by").get("id"));
        m.put("workspace_lifecycle_policy", a.get("workspace_lifecycle_policy"));
        m.put("workspace_auto_stop_minutes", a.get("workspace_auto_stop_minutes"));
        m.put("created_at", a.get("created_at"));
        m.put("updated_at", a.get("updated_at"));
        m.put("workspace_id", a.get("workspace_id"));
        m.put("kind", a.get("kind"));
        m.put("status", a.get("status"));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cronTrigger(Map<String, Object> a) {
        if (a.get("triggers") instanceof List<?> triggers) {
            for (Object t : triggers) {
                if (t instanceof Map<?, ?> m && "cron".equals(m.get("type"))) {
                    return (Map<String, Object>) m;
                }
            }
        }
        return Map.of();
    }
}
