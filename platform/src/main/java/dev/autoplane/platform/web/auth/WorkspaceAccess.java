package dev.autoplane.platform.web.auth;

import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.access.AccessDirectory;
import dev.autoplane.platform.web.problem.ApiProblem;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Set;

/**
 * Authorisation, re-evaluated on every request from the access read model: a caller who is not a
 * member of the workspace gets {@code 404} (its existence is not revealed), a member without the
 * permission {@code 403}.
 */
@Component
public class WorkspaceAccess {

    /** What the caller may do in one workspace. */
    public record Grant(AuthenticatedPrincipal principal, String workspaceId, Set<Permission> permissions,
                        List<String> teamIds) {

        public boolean has(Permission permission) {
            return permissions.contains(permission);
        }

        /** A member limited to teams sees only automations of those teams. */
        public boolean coversTeam(String teamId) {
            return teamIds.isEmpty() || (teamId != null && teamIds.contains(teamId));
        }

        /** Whether the caller is limited to teams ({@link #teamIds()} then lists them). */
        public boolean teamLimited() {
            return !teamIds.isEmpty();
        }
    }

    private final AccessDirectory directory;

    public WorkspaceAccess(AccessDirectory directory) {
        this.directory = directory;
    }

    public Mono<Grant> require(ServerWebExchange exchange, String workspaceId, Permission permission) {
        AuthenticatedPrincipal principal = AuthenticatedPrincipal.of(exchange);
        return Mono.fromCallable(() -> grant(principal, workspaceId, permission))
                .subscribeOn(Schedulers.boundedElastic());
    }

    Grant grant(AuthenticatedPrincipal principal, String workspaceId, Permission permission) {
        AuthenticatedPrincipal.ServiceAccount account = principal.serviceAccount();
        if (account != null) {
            if (!account.workspaceId().equals(workspaceId)) {
                throw ApiProblem.notFound("workspace " + workspaceId + " not found");
            }
            if (!account.permissions().contains(permission)) {
                throw ApiProblem.forbidden("this needs the scope " + permission.wire() + "; this credential has "
                        + account.permissions().stream().map(Permission::wire).sorted().toList());
            }
            return new Grant(principal, workspaceId, account.permissions(), account.teamScope());
        }
        if (!principal.actor().isPerson()) {
            throw ApiProblem.notFound("workspace " + workspaceId + " not found");
        }
        AccessDirectory.Membership membership = directory.membership(workspaceId, principal.actor().id())
                .orElseThrow(() -> ApiProblem.notFound("workspace " + workspaceId + " not found"));
        Set<Permission> permissions = membership.role().permissions();
        if (!permissions.contains(permission)) {
            throw ApiProblem.forbidden("this needs the permission " + permission.wire() + " in workspace "
                    + workspaceId + "; your role is " + membership.role().wire());
        }
        return new Grant(principal, workspaceId, permissions, membership.teamIds());
    }
}
