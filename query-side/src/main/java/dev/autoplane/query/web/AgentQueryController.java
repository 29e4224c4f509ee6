package dev.autoplane.query.web;

import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.access.AccessDirectory;
import dev.autoplane.platform.access.AccessDirectory.AgentRecord;
import dev.autoplane.platform.access.AgentBody;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Query endpoints of visible agents (automation.read). A caller limited to teams sees the agents
 * whose installation belongs to one of their teams ({@code 403} for another's).
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}/agents", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Agents")
class AgentQueryController {

    private final AccessDirectory directory;
    private final WorkspaceAccess access;

    AgentQueryController(AccessDirectory directory, WorkspaceAccess access) {
        this.directory = directory;
        this.access = access;
    }

    @Operation(summary = "List the workspace's visible agents (keyset pages by id)",
            description = "Members limited to teams see the agents installed on automations of their teams only.")
    @GetMapping
    Mono<Map<String, Object>> list(@PathVariable String ws,
                                   @RequestParam(name = "page_size", required = false) Integer pageSize,
                                   @RequestParam(name = "page_token", required = false) String pageToken,
                                   ServerWebExchange exchange) {
        int size = PageToken.size(pageSize);
        String after = PageToken.decode("g", pageToken);
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(grant -> Mono.fromCallable(() -> {
            List<Map<String, Object>> page = new ArrayList<>();
            String cursor = after;
            boolean more = false;
            outer:
            while (true) {
                List<AgentRecord> batch = directory.agents(ws, cursor, 500);
                for (AgentRecord a : batch) {
                    cursor = a.agentId();
                    if (!visible(grant, a)) {
                        continue;
                    }
                    if (page.size() == size) {
                        more = true;
                        break outer;
                    }
                    page.add(AgentBody.of(a));
                }
                if (batch.size() < 500) {
                    break;
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("agents", page);
            if (more) {
                answer.put("next_page_token", PageToken.encode("g", (String) page.get(page.size() - 1).get("id")));
            }
            return answer;
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "One visible agent",
            description = "404 when the agent belongs to another workspace; 403 when it is outside the caller's teams.")
    @GetMapping("/{agentId}")
    Mono<ResponseEntity<Map<String, Object>>> get(@PathVariable String ws, @PathVariable String agentId,
                                                  ServerWebExchange exchange) {
        if (!Ids.isWellFormed(agentId)) {
            throw ApiProblem.notFound("agent not found");
        }
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(grant -> Mono.fromCallable(() -> {
            AgentRecord agent = directory.agent(agentId).filter(a -> a.workspaceId().equals(ws))
                    .orElseThrow(() -> ApiProblem.notFound("agent " + agentId + " not found"));
            if (!visible(grant, agent)) {
                throw ApiProblem.forbidden("this agent's installation belongs to a team you are not limited to");
            }
            return ResponseEntity.ok().eTag("\"" + agent.version() + "\"").body(AgentBody.of(agent));
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    private boolean visible(Grant grant, AgentRecord agent) {
        return !grant.teamLimited() || grant.coversTeam(directory.automation(agent.installationId())
                .map(AccessDirectory.AutomationCredential::teamId).orElse(null));
    }
}
