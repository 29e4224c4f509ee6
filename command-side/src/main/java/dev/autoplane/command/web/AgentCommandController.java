package dev.autoplane.command.web;

import dev.autoplane.events.agent.AgentCommands.CreateAgentCommand;
import dev.autoplane.events.agent.AgentCommands.UpdateAgentCommand;
import dev.autoplane.events.common.DomainException.FieldViolation;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.events.identity.Role;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.access.AccessDirectory;
import dev.autoplane.platform.access.AgentBody;
import dev.autoplane.platform.axon.CommandDispatcher;
import dev.autoplane.platform.text.TextRules;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.json.Given;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.request.CommandMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openapitools.jackson.nullable.JsonNullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command endpoints of visible agents (automation.manage). The installation must be a live
 * automation of the workspace ({@code 404 installation_not_found} otherwise), the team scope teams of
 * the workspace; a caller limited to teams may only use installations of their teams.
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}/agents", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Agents", description = "Visible agents acting under an automation's credential")
class AgentCommandController {

    private static final Set<String> PATCHABLE = Set.of("name", "installation_id", "team_scope", "role", "suspended");

    private final CommandDispatcher commands;
    private final WorkspaceAccess access;
    private final AccessDirectory directory;
    private final Clock clock;

    AgentCommandController(CommandDispatcher commands, WorkspaceAccess access, AccessDirectory directory, Clock clock) {
        this.commands = commands;
        this.access = access;
        this.directory = directory;
        this.clock = clock;
    }

    record CreateAgentRequest(String name, String installationId, List<String> teamScope, String role) {
    }

    /** Body of the agent PATCH: an undefined field stays, {@code role: null} removes the role. */
    @Schema(name = "AgentChange")
    record AgentChange(@Schema(maxLength = 100) JsonNullable<String> name, JsonNullable<String> installationId,
                       JsonNullable<List<String>> teamScope,
                       @Schema(allowableValues = {"viewer", "editor", "approver", "auditor", "admin"}) JsonNullable<String> role,
                       JsonNullable<Boolean> suspended) {
    }

    @Operation(summary = "Create a visible agent {name, installation_id, team_scope?, role?}",
            description = "Names are unique per workspace (409). installation_id is an automation of the workspace "
                    + "whose credential the agent acts under.")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> create(@PathVariable String ws, @RequestBody CreateAgentRequest body,
                                        ServerWebExchange exchange) {
        List<FieldViolation> violations = new ArrayList<>();
        String name = name(body.name(), violations);
        String installation = installationId(body.installationId(), violations);
        List<String> teams = teamScope(body.teamScope(), violations);
        Role role = role(body.role(), violations);
        failOn(violations);
        String agentId = Ids.newId();
        return access.require(exchange, ws, Permission.AUTOMATION_MANAGE)
                .flatMap(grant -> Mono.fromRunnable(() -> checkReferences(grant, ws, installation, teams))
                        .subscribeOn(Schedulers.boundedElastic())
                        .then(commands.<AccessDirectory.AgentRecord>send(new CreateAgentCommand(agentId, ws, name, installation,
                                        teams, role, grant.principal().actor(), clock.instant()),
                                CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)))))
                .map(AgentCommandController::answer)
                .map(view -> ResponseEntity.created(URI.create("/api/v1/workspaces/" + ws + "/agents/" + agentId))
                        .eTag("\"" + view.get("version") + "\"").body((Object) view));
    }

    @Operation(summary = "Change a visible agent: name, installation_id, team_scope, role (null removes it), suspended",
            description = "With If-Match, a stale version answers 412.")
    @PatchMapping(path = "/{agentId}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    Mono<ResponseEntity<Object>> update(@PathVariable String ws, @PathVariable String agentId,
                                        @RequestBody Given<AgentChange> given,
                                        @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        if (!Ids.isWellFormed(agentId)) {
            throw ApiProblem.notFound("agent not found");
        }
        Map<String, Object> body = given.fields(); // as sent: the rules below report every violation at once
        List<FieldViolation> violations = new ArrayList<>();
        for (String key : body.keySet()) {
            if (!PATCHABLE.contains(key)) {
                violations.add(new FieldViolation(key, "is not a field of an agent (name, installation_id, team_scope, role, suspended)"));
            }
        }
        String name = body.containsKey("name") ? name(body.get("name"), violations) : null;
        String installation = body.containsKey("installation_id")
                ? installationId(text(body, "installation_id", violations), violations) : null;
        List<String> teams = body.containsKey("team_scope") ? teamScope(list(body, "team_scope", violations), violations) : null;
        boolean clearRole = body.containsKey("role") && body.get("role") == null;
        Role role = body.get("role") == null ? null : role(text(body, "role", violations), violations);
        Boolean suspended = null;
        if (body.containsKey("suspended")) {
            if (body.get("suspended") instanceof Boolean b) {
                suspended = b;
            } else {
                violations.add(new FieldViolation("suspended", "must be true or false"));
            }
        }
        failOn(violations);
        Long version = Preconditions.expectedVersion(ifMatch);
        Boolean suspend = suspended;
        return access.require(exchange, ws, Permission.AUTOMATION_MANAGE)
                .flatMap(grant -> Mono.fromRunnable(() -> {
                            AccessDirectory.AgentRecord agent = directory.agent(agentId)
                                    .filter(a -> a.workspaceId().equals(ws))
                                    .orElseThrow(() -> ApiProblem.notFound("agent " + agentId + " not found"));
                            requireTeamOf(grant, agent.installationId());
                            checkReferences(grant, ws, installation, teams);
                        }).subscribeOn(Schedulers.boundedElastic())
                        .then(commands.<AccessDirectory.AgentRecord>send(new UpdateAgentCommand(agentId, ws, version, name,
                                        installation, teams, role, clearRole, suspend, grant.principal().actor(), clock.instant()),
                                CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)))))
                .map(AgentCommandController::answer)
                .map(view -> ResponseEntity.ok().eTag("\"" + view.get("version") + "\"").body((Object) view));
    }

    /** The agent as the command left it, answered by its aggregate. */
    private static Map<String, Object> answer(java.util.Optional<AccessDirectory.AgentRecord> result) {
        return AgentBody.of(result.orElseThrow(() -> new IllegalStateException("the agent's command returned no answer")));
    }

    /** The installation (when given) is a live automation of this workspace in the caller's teams; the teams exist. */
    private void checkReferences(Grant grant, String ws, String installation, List<String> teams) {
        if (installation != null) {
            directory.automation(installation).filter(a -> a.workspaceId().equals(ws) && !a.deleted())
                    .orElseThrow(() -> new ApiProblem(404, "installation_not_found", "Not found",
                            "installation_id " + installation + " is not an automation of workspace " + ws, null, null));
            requireTeamOf(grant, installation);
        }
        if (teams != null && !teams.isEmpty()) {
            Set<String> known = new java.util.HashSet<>();
            directory.teams(ws).forEach(t -> known.add(t.teamId()));
            List<FieldViolation> violations = new ArrayList<>();
            for (int i = 0; i < teams.size(); i++) {
                if (!known.contains(teams.get(i))) {
                    violations.add(new FieldViolation("team_scope[" + i + "]", "is not a team of this workspace"));
                }
            }
            failOn(violations);
            if (grant.teamLimited() && !grant.teamIds().containsAll(teams)) {
                throw ApiProblem.forbidden("team_scope must stay within your teams " + grant.teamIds());
            }
        }
    }

    private void requireTeamOf(Grant grant, String installation) {
        String team = directory.automation(installation).map(AccessDirectory.AutomationCredential::teamId).orElse(null);
        if (!grant.coversTeam(team)) {
            throw ApiProblem.forbidden("this agent's installation belongs to a team you are not limited to");
        }
    }

    private static String name(Object raw, List<FieldViolation> violations) {
        return TextRules.AGENT_NAME.required("name", raw, violations);
    }

    private static String installationId(String raw, List<FieldViolation> violations) {
        if (raw == null || !Ids.isWellFormed(raw)) {
            violations.add(new FieldViolation("installation_id", "must be the id of an automation of this workspace"));
            return null;
        }
        return raw;
    }

    private static List<String> teamScope(List<String> raw, List<FieldViolation> violations) {
        if (raw == null) {
            return List.of();
        }
        if (raw.size() > 100) {
            violations.add(new FieldViolation("team_scope", "must list at most 100 teams"));
            return List.of();
        }
        for (int i = 0; i < raw.size(); i++) {
            if (raw.get(i) == null || !Ids.isWellFormed(raw.get(i))) {
                violations.add(new FieldViolation("team_scope[" + i + "]", "must be a team id"));
            }
        }
        return raw.stream().distinct().toList();
    }

    private static Role role(String raw, List<FieldViolation> violations) {
        if (raw == null) {
            return null;
        }
        return Role.fromWire(raw).orElseGet(() -> {
            violations.add(new FieldViolation("role", "must be one of viewer, editor, approver, auditor, admin"));
            return null;
        });
    }

    private static String text(Map<String, Object> body, String field, List<FieldViolation> violations) {
        Object v = body.get(field);
        if (v != null && !(v instanceof String)) {
            violations.add(new FieldViolation(field, "must be a string"));
            return null;
        }
        return (String) v;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> body, String field, List<FieldViolation> violations) {
        Object v = body.get(field);
        if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
            return (List<String>) l;
        }
        violations.add(new FieldViolation(field, "must be a list of team ids"));
        return null;
    }

    private static void failOn(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            String detail = violations.size() == 1 ? violations.get(0).field() + ": " + violations.get(0).message()
                    : violations.size() + " fields are invalid";
            throw new ApiProblem(400, "validation_failed", "Validation failed", detail, violations, null);
        }
    }
}
