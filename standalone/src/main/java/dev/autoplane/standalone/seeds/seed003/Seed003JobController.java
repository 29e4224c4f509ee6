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

import java.util.List;
import java.util.Map;

/**
 * Seed 003's jobs and runs: {@code /api/automation/jobs...} and {@code /api/automation/runs...} in the token's
 * workspace (or {@code workspace_id}, when a list names it), translated to the {@code /api/v1} automation and run
 * endpoints (docs/seeds.md "Seed 003"). Hidden from the OpenAPI document: an alias.
 */
@Hidden
@RestController
@RequestMapping(path = "/api/automation", produces = MediaType.APPLICATION_JSON_VALUE)
class Seed003JobController {

    private final AutomationCommandDoor commands;
    private final AutomationQueryDoor queries;
    private final SeedWorkspaces workspaces;
    private final WorkspaceAccess access;
    private final SeedJson json;

    Seed003JobController(AutomationCommandDoor commands, AutomationQueryDoor queries, SeedWorkspaces workspaces,
                         WorkspaceAccess access, SeedJson json) {
        this.commands = commands;
        this.queries = queries;
        this.workspaces = workspaces;
        this.access = access;
        this.json = json;
    }

    @GetMapping("/jobs")
    Mono<ResponseEntity<Object>> list(@RequestParam(name = "scope", required = false) String scope,
                                      @RequestParam(name = "workspace_id", required = false) String workspaceId,
                                      @RequestParam(name = "source", required = false) String source,
                                      @RequestParam(name = "limit", required = false) Integer limit,
                                      ServerWebExchange exchange) {
        if (scope != null && !List.of("global", "workspace").contains(scope)) {
            throw ApiProblem.invalid("scope", "must be global or workspace");
        }
        if (source != null && !List.of("config", "dynamic").contains(source)) {
            throw ApiProblem.invalid("source", "must be config or dynamic");
        }
        boolean none = "global".equals(scope) || "config".equals(source); // every job is a workspace's, made by the API
        return workspace(workspaceId, exchange)
                .flatMap(ws -> queries.list(ws, limit == null ? 1000 : limit, null, null, exchange))
                .map(page -> json.answer(HttpStatus.OK, null, Map.of("jobs", none ? List.of()
                        : json.list(page, "automations").stream().map(Seed003Shapes::job).toList())));
    }

    @PostMapping(path = "/jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> create(@RequestBody Map<String, Object> body, ServerWebExchange exchange) {
        Map<String, Object> fields = Seed003Shapes.jobFields(body);
        fields.putIfAbsent("kind", Seed003Shapes.JOB_KIND);
        return workspaces.ofToken(exchange).flatMap(ws -> access.require(exchange, ws, Permission.AUTOMATION_WRITE)
                .flatMap(grant -> commands.create(ws, SeedStatus.requested(fields, grant), exchange))
                .map(created -> json.answer(HttpStatus.CREATED, created.getHeaders(), Map.of("job",
                        Seed003Shapes.job(SeedJson.object(json.fields(created.getBody()), "automation"))))));
    }

    @GetMapping("/jobs/{id}")
    Mono<ResponseEntity<Object>> get(@PathVariable String id, ServerWebExchange exchange) {
        return workspaces.ofToken(exchange).flatMap(ws -> queries.get(ws, id, null, exchange))
                .map(found -> json.answer(HttpStatus.OK, found.getHeaders(),
                        Map.of("job", Seed003Shapes.job(json.fields(found.getBody())))));
    }

    @PatchMapping(path = "/jobs/{id}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    Mono<ResponseEntity<Object>> update(@PathVariable String id, @RequestBody Map<String, Object> body,
                                        ServerWebExchange exchange) {
        Map<String, Object> fields = Seed003Shapes.jobFields(body);
        return workspaces.ofToken(exchange).flatMap(ws -> commands.update(ws, id, fields, exchange))
                .map(updated -> json.answer(HttpStatus.OK, updated.getHeaders(),
                        Map.of("job", Seed003Shapes.job(json.fields(updated.getBody())))));
    }

    @DeleteMapping("/jobs/{id}")
    Mono<ResponseEntity<Object>> delete(@PathVariable String id, ServerWebExchange exchange) {
        return workspaces.ofToken(exchange).flatMap(ws -> commands.delete(ws, id, false, exchange))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @PostMapping("/jobs/{id}/trigger")
    Mono<ResponseEntity<Object>> trigger(@PathVariable String id, ServerWebExchange exchange) {
        return workspaces.ofToken(exchange).flatMap(ws -> commands.trigger(ws, id, Map.of(), exchange))
                .map(fired -> json.answer(HttpStatus.ACCEPTED, fired.getHeaders(),
                        Map.of("run", Seed003Shapes.run(SeedJson.object(json.fields(fired.getBody()), "run")))));
    }

    @GetMapping("/jobs/{id}/runs")
    Mono<ResponseEntity<Object>> jobRuns(@PathVariable String id,
                                         @RequestParam(name = "status", required = false) String status,
                                         @RequestParam(name = "since", required = false) String since,
                                         @RequestParam(name = "until", required = false) String until,
                                         @RequestParam(name = "limit", required = false) String limit,
                                         ServerWebExchange exchange) {
        return runs(null, id, null, status, since, until, limit, exchange);
    }

    @GetMapping("/runs")
    Mono<ResponseEntity<Object>> runs(@RequestParam(name = "workspace_id", required = false) String workspaceId,
                                      @RequestParam(name = "job_id", required = false) String jobId,
                                      @RequestParam(name = "trigger_id", required = false) String triggerId,
                                      @RequestParam(name = "status", required = false) String status,
                                      @RequestParam(name = "since", required = false) String since,
                                      @RequestParam(name = "until", required = false) String until,
                                      @RequestParam(name = "limit", required = false) String limit,
                                      ServerWebExchange exchange) {
        return workspace(workspaceId, exchange)
                .flatMap(ws -> queries.runs(ws, jobId, triggerId, status, since, until, limit, exchange))
                .map(page -> json.answer(HttpStatus.OK, null,
                        Map.of("runs", json.list(page, "runs").stream().map(Seed003Shapes::run).toList())));
    }

    @GetMapping("/runs/{id}")
    Mono<ResponseEntity<Object>> run(@PathVariable String id, ServerWebExchange exchange) {
        return workspaces.ofToken(exchange).flatMap(ws -> queries.run(ws, id, exchange))
                .map(run -> json.answer(HttpStatus.OK, null, Map.of("run", Seed003Shapes.run(json.fields(run)))));
    }

    private Mono<String> workspace(String workspaceId, ServerWebExchange exchange) {
        return workspaceId != null ? Mono.just(workspaceId) : workspaces.ofToken(exchange);
    }
}
