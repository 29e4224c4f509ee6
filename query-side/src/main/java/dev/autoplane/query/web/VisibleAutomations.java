package dev.autoplane.query.web;

import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.query.automations.AutomationStore;

/** An automation as a caller may see it: in the workspace of the path and in the caller's teams, or 404. */
final class VisibleAutomations {

    private VisibleAutomations() {
    }

    static AutomationView require(AutomationStore automations, Grant grant, String ws, String id) {
        if (!Ids.isWellFormed(id)) {
            throw ApiProblem.notFound("automation not found");
        }
        return automations.find(id)
                .filter(v -> v.workspaceId().equals(ws) && grant.coversTeam(v.teamId()))
                .orElseThrow(() -> ApiProblem.notFound("automation " + id + " not found"));
    }
}
