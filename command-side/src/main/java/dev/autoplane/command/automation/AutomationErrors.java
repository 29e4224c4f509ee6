package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationStatus;
import dev.autoplane.events.common.DomainException;

import java.util.Map;

/** The automation's business errors, each with a stable code. */
final class AutomationErrors {

    private AutomationErrors() {
    }

    static DomainException illegalTransition(String automationId, AutomationStatus from, AutomationStatus to) {
        return DomainException.conflict("illegal_transition", "automation " + automationId + " is " + from.wire()
                        + " and cannot become " + to.wire(),
                Map.of("current_status", from.wire(), "requested_status", to.wire()));
    }

    static DomainException notPending(String automationId, AutomationStatus status, String action) {
        return DomainException.conflict("not_pending_approval", "automation " + automationId + " is " + status.wire()
                + "; only a pending_approval automation can be " + action, Map.of("current_status", status.wire()));
    }

    static DomainException selfApproval(String automationId) {
        return DomainException.forbidden("self_approval",
                "the author of a proposal cannot approve or reject it (automation " + automationId + ")");
    }

    static DomainException needsApprover() {
        return DomainException.forbidden("approval_required",
                "this needs a person with the automation.approve permission");
    }

    static DomainException serviceAccountOauthToken() {
        return DomainException.forbidden("service_account_oauth_token", "service accounts may not set oauth_token");
    }

    static DomainException deleted(String automationId) {
        return DomainException.notFound("automation_not_found", "automation " + automationId + " not found");
    }

    static DomainException revisionMismatch(String automationId, String proposed, String requested) {
        return DomainException.conflict("revision_mismatch", "automation " + automationId + " proposes revision "
                + proposed + ", not " + requested, Map.of("proposed_revision", proposed));
    }

    static DomainException outsideTeams(java.util.List<String> teams) {
        return DomainException.forbidden("outside_team_scope",
                "you are limited to the teams " + teams + ": this automation's team_id must be one of them");
    }

    static DomainException nameTaken(String name) {
        return DomainException.conflict("name_taken", "an automation named '" + name + "' already exists in this workspace",
                Map.of());
    }
}
