package dev.autoplane.platform.web.seeds;

import dev.autoplane.platform.access.AccessDirectory;
import dev.autoplane.platform.web.auth.AuthenticatedPrincipal;
import dev.autoplane.platform.web.problem.ApiProblem;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;

/**
 * Where the seed doors find their workspace (docs/seeds.md "Organizations and the caller's workspace").
 * <ul>
 *   <li>An <b>organization</b> is the parent of workspaces: a workspace belongs to the organization named by its
 *   {@code organization_id}, or to {@link #DEFAULT_ORGANIZATION} when it has none (the bootstrapped workspace
 *   included). A path naming an organization and a workspace of another one answers {@code 404}, as an unknown
 *   workspace does.</li>
 *   <li>Doors without a workspace in the path (seeds 003 and 004) take the <b>token's workspace</b>: a service
 *   account's own, or a person's home workspace (the first that added them), or their only one.</li>
 * </ul>
 * Membership and permissions are checked afterwards, by the same {@code WorkspaceAccess} as on {@code /api/v1}.
 */
@Component
public class SeedWorkspaces {

    /** The organization of every workspace created without an {@code organization_id}. */
    public static final String DEFAULT_ORGANIZATION = "default";

    private final AccessDirectory directory;

    public SeedWorkspaces(AccessDirectory directory) {
        this.directory = directory;
    }

    /** The workspace's organization ({@link #DEFAULT_ORGANIZATION} when it names none); 404 for an unknown workspace. */
    public String organizationOf(String workspaceId) {
        return directory.workspace(workspaceId)
                .map(w -> w.organizationId() == null || w.organizationId().isBlank() ? DEFAULT_ORGANIZATION : w.organizationId())
                .orElseThrow(() -> ApiProblem.notFound("workspace " + workspaceId + " not found"));
    }

    /** Completes with the workspace when it belongs to {@code organizationId}; 404 otherwise. */
    public Mono<String> inOrganization(String organizationId, String workspaceId) {
        return Mono.fromCallable(() -> {
            if (!organizationOf(workspaceId).equals(organizationId)) {
                throw ApiProblem.notFound("workspace " + workspaceId + " not found in organization " + organizationId);
            }
            return workspaceId;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** The caller's workspace as its token says (see the class comment); 404 when the token names none. */
    public Mono<String> ofToken(ServerWebExchange exchange) {
        AuthenticatedPrincipal principal = AuthenticatedPrincipal.of(exchange);
        if (principal.serviceAccount() != null) {
            return Mono.just(principal.serviceAccount().workspaceId());
        }
        return Mono.fromCallable(() -> {
            String userId = principal.actor().id();
            String home = directory.user(userId).map(AccessDirectory.UserRecord::homeWorkspaceId).orElse(null);
            if (home != null && directory.membership(home, userId).isPresent()) {
                return home;
            }
            List<AccessDirectory.WorkspaceRecord> all = directory.workspacesOf(userId);
            if (all.size() == 1) {
                return all.get(0).workspaceId();
            }
            throw ApiProblem.notFound("this token names no workspace: use /api/v1/workspaces/{ws}/...");
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
