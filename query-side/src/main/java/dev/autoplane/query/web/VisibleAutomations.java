package dev.autoplane.query.web;

import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.query.automations.AutomationStore;

/**
 * An automation as a caller may see it: one of another workspace (or none) is 404, its existence not
 * revealed; one of the workspace outside the caller's teams is 403.
 */
final class VisibleAutomations {

    private VisibleAutomations() {
    }

    static AutomationView require(AutomationStore automations, Grant grant, String ws, String id) {
        if (!Ids.isWellFormed(id)) {
            throw ApiProblem.notFound("automation not found");
        }
        AutomationView view = automations.find(id).filter(v -> v.workspaceId().equals(ws))
                .orElseThrow(() -> ApiProblem.notFound("automation " + id + " not found"));
        if (!grant.coversTeam(view.teamId())) {
            throw outsideTeams(grant);
        }
        return view;
    }

    static ApiProblem outsideTeams(Grant grant) {
        return new ApiProblem(403, "outside_team_scope", "Forbidden",
                "you are limited to the teams " + grant.teamIds() + " and this automation belongs to another", null, null);
    }
}
