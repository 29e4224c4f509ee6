package dev.autoplane.query.web;

import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.access.AccessDirectory;
import dev.autoplane.platform.web.auth.AuthenticatedPrincipal;
import dev.autoplane.platform.web.auth.UserAuthority;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.problem.ApiProblem;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query endpoints of workspaces, members, teams and the caller's tokens (never the token values). */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Identity")
class IdentityQueryController {

    private final AccessDirectory directory;
    private final WorkspaceAccess access;
    private final UserAuthority authority;

    IdentityQueryController(AccessDirectory directory, WorkspaceAccess access, UserAuthority authority) {
        this.directory = directory;
        this.access = access;
        this.authority = authority;
    }

    @Operation(summary = "Workspaces the caller belongs to",
            description = "With the caller's role in each; a service account sees its own workspace.")
    @GetMapping("/workspaces")
    Mono<Map<String, Object>> workspaces(ServerWebExchange exchange) {
        String userId = AuthenticatedPrincipal.of(exchange).actor().id();
        return Mono.fromCallable(() -> Map.<String, Object>of("workspaces", directory.workspacesOf(userId).stream()
                .map(w -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", w.workspaceId());
                    m.put("name", w.name());
                    m.put("organization_id", w.organizationId());
                    m.put("created_at", w.createdAt());
                    m.put("role", directory.membership(w.workspaceId(), userId).map(x -> x.role().wire()).orElse(null));
                    return m;
                }).toList())).subscribeOn(Schedulers.boundedElastic());
    }

    @Operation(summary = "Members of a workspace",
            description = "Every member with role and team_ids; readable by any member of the workspace.")
    @GetMapping("/workspaces/{ws}/members")
    Mono<Map<String, Object>> members(@PathVariable String ws, ServerWebExchange exchange) {
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(g -> Mono.fromCallable(
                () -> Map.<String, Object>of("members", directory.members(ws).stream().map(IdentityQueryController::member).toList()))
                .subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "One member of a workspace",
            description = "404 when the user is not a member of this workspace.")
    @GetMapping("/workspaces/{ws}/members/{userId}")
    Mono<Map<String, Object>> member(@PathVariable String ws, @PathVariable String userId, ServerWebExchange exchange) {
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(g -> Mono.fromCallable(
                () -> directory.membership(ws, userId).map(IdentityQueryController::member)
                        .orElseThrow(() -> dev.autoplane.platform.web.problem.ApiProblem.notFound(
                                "user " + userId + " is not a member of workspace " + ws)))
                .subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "Teams of a workspace",
            description = "Every team of the workspace; readable by any member.")
    @GetMapping("/workspaces/{ws}/teams")
    Mono<Map<String, Object>> teams(@PathVariable String ws, ServerWebExchange exchange) {
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(g -> Mono.fromCallable(
                () -> Map.<String, Object>of("teams", directory.teams(ws).stream().map(t -> Map.<String, Object>of(
                        "id", t.teamId(), "workspace_id", t.workspaceId(), "name", t.name(), "created_at", t.createdAt())).toList()))
                .subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "Personal access tokens (never their values): the caller's, or with user_id another user's",
            description = "Only people have personal access tokens (a service account gets 403). user_id other than "
                    + "the caller's needs authority over that user: an operator, or an admin of every workspace they "
                    + "belong to.")
    @GetMapping("/tokens")
    Mono<Map<String, Object>> tokens(@RequestParam(name = "user_id", required = false) String userId,
                                     ServerWebExchange exchange) {
        AuthenticatedPrincipal principal = AuthenticatedPrincipal.of(exchange);
        if (!principal.actor().isPerson()) {
            throw ApiProblem.forbidden("personal access tokens belong to people; this credential is a service account");
        }
        String owner = userId == null ? principal.actor().id() : userId;
        return Mono.fromCallable(() -> {
            if (!authority.over(principal.actor(), owner)) {
                throw UserAuthority.refusal(owner, "list their tokens");
            }
            return Map.<String, Object>of("tokens", directory.tokensOf(owner).stream().map(t -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", t.tokenId());
                m.put("name", t.name());
                m.put("user_id", t.userId());
                m.put("expires_at", t.expiresAt());
                m.put("revoked", t.revoked());
                m.put("created_at", t.createdAt());
                return m;
            }).toList());
        }).subscribeOn(Schedulers.boundedElastic());
    }

    static Map<String, Object> member(AccessDirectory.Membership m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workspace_id", m.workspaceId());
        out.put("user_id", m.userId());
        out.put("role", m.role().wire());
        out.put("team_ids", m.teamIds() == null ? List.of() : m.teamIds());
        out.put("updated_at", m.updatedAt());
        return out;
    }
}
