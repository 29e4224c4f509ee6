package dev.autoplane.standalone.seeds.seed001;

import dev.autoplane.command.web.AutomationCommandDoor;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 001's door: {@code /api/v1/organizations/{org}/spaces/{space}/automations}, a space being a workspace. It
 * checks that the space belongs to the organization, translates to the {@code /api/v1} automation endpoints and
 * renames their answer's fields to the seed's (docs/seeds.md "Seed 001"). Hidden from the OpenAPI document: an alias.
 */
@Hidden
@RestController
@RequestMapping(path = "/api/v1/organizations/{org}/spaces/{space}/automations", produces = MediaType.APPLICATION_JSON_VALUE)
class Seed001AutomationController {

    private final AutomationCommandDoor commands;
    private final AutomationQueryDoor queries;
    private final SeedWorkspaces workspaces;
    private final SeedJson json;

    Seed001AutomationController(AutomationCommandDoor commands, AutomationQueryDoor queries, SeedWorkspaces workspaces,
                                SeedJson json) {
        this.commands = commands;
        this.queries = queries;
        this.workspaces = workspaces;
        this.json = json;
    }

    @GetMapping
    Mono<ResponseEntity<Object>> list(@PathVariable String org, @PathVariable String space,
                                   @RequestParam(name = "page_size", required = false) Integer pageSize,
                                   @RequestParam(name = "page_token", required = false) String pageToken,
                                   ServerWebExchange exchange) {
        return workspaces.inOrganization(org, space)
                .flatMap(ws -> queries.list(ws, pageSize == null ? 1000 : pageSize, pageToken, null, exchange))
                .map(page -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("automations", json.list(page, "automations").stream().map(a -> shape(a, org)).toList());
                    if (page.get("next_page_token") != null) {
                        answer.put("next_page_token", page.get("next_page_token"));
                    }
                    return json.answer(HttpStatus.OK, null, answer);
                });
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> create(@PathVariable String org, @PathVariable String space,
                                        @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        Map<String, Object> fields = new LinkedHashMap<>(body);
        fields.putIfAbsent("organization_id", org); // the automation records its organization
        return workspaces.inOrganization(org, space)
                .flatMap(ws -> commands.create(ws, fields, exchange))
                .map(created -> {
                    Map<String, Object> answer = json.fields(created.getBody());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("automation", shape(SeedJson.object(answer, "automation"), org));
                    out.put("secret", answer.get("secret")); // the automation's credential, shown once (seed 000)
                    return json.answer(HttpStatus.CREATED, created.getHeaders(), out);
                });
    }

    @PatchMapping(path = "/{id}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    Mono<ResponseEntity<Object>> update(@PathVariable String org, @PathVariable String space, @PathVariable String id,
                                        @RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        return workspaces.inOrganization(org, space)
                .flatMap(ws -> commands.update(ws, id, body, exchange))
                .map(updated -> json.answer(HttpStatus.OK, updated.getHeaders(),
                        Map.of("automation", shape(json.fields(updated.getBody()), org))));
    }

    @DeleteMapping(path = "/{id}")
    Mono<ResponseEntity<Object>> delete(@PathVariable String org, @PathVariable String space, @PathVariable String id,
                                        @RequestParam(name = "purge", defaultValue = "false") boolean purge,
                                        ServerWebExchange exchange) {
        return workspaces.inOrganization(org, space)
                .flatMap(ws -> commands.delete(ws, id, purge, exchange))
                .thenReturn(ResponseEntity.noContent().build());
    }

    /** The {@code /api/v1} automation under seed 001's names (its fields first, the rest of ours after them). */
    static Map<String, Object> shape(Map<String, Object> a, String org) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.get("id"));
        m.put("organization_id", a.get("organization_id") != null ? a.get("organization_id") : org);
        m.put("space_id", a.get("workspace_id"));
        m.put("name", a.get("name"));
        m.put("kind", a.get("kind"));
        m.put("config", a.get("config") != null ? a.get("config") : Map.of());
        m.put("status", a.get("status"));
        m.put("created_by_user_id", SeedJson.userOf(a));
        m.put("created_by_service_account_id", a.get("created_by_service_account_id"));
        m.put("reviewed_by_user_id", a.get("reviewed_by"));
        m.put("reviewed_at", a.get("reviewed_at"));
        m.put("rejection_reason", a.get("rejection_reason"));
        m.put("last_run_at", a.get("last_run_at"));
        m.put("last_error", a.get("last_error"));
        m.put("created_at", a.get("created_at"));
        m.put("updated_at", a.get("updated_at"));
        for (String extra : List.of("description", "version", "revision", "next_run_at", "enabled")) {
            if (a.containsKey(extra)) {
                m.put(extra, a.get(extra));
            }
        }
        return m;
    }
}
