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

    static DomainException serviceAccountDelivery() {
        return DomainException.forbidden("service_account_delivery", "service accounts may not set delivery");
    }

    static DomainException noDelivery(String automationId) {
        return DomainException.conflict("no_delivery", "automation " + automationId + " has no delivery url: set "
                + "delivery: {url} first", Map.of());
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

    static DomainException notActive(String automationId, AutomationStatus status, String what) {
        return DomainException.conflict("not_active", "automation " + automationId + " is " + status.wire()
                + ": only an active automation " + what, Map.of("current_status", status.wire()));
    }

    static DomainException notEnabled(String automationId) {
        return DomainException.conflict("not_enabled", "automation " + automationId + " is not enabled", Map.of());
    }

    static DomainException draftRunForbidden() {
        return DomainException.forbidden("draft_run_forbidden", "test runs of the draft need automation.write");
    }

    static DomainException triggerNotFound(String automationId, String triggerId) {
        return DomainException.notFound("trigger_not_found", "automation " + automationId + " has no trigger " + triggerId);
    }

    static DomainException notWebhookTrigger(String automationId, String triggerId) {
        return DomainException.conflict("not_a_webhook_trigger", "trigger " + triggerId + " of automation " + automationId
                + " is not a webhook trigger on this endpoint", Map.of());
    }

    static DomainException scheduleNotFound(String automationId) {
        return DomainException.notFound("schedule_not_found", "automation " + automationId + " has no schedule");
    }

    static DomainException backfillTooLarge(int max) {
        return DomainException.invalid("end_time", "the window holds more than " + max + " occurrences; backfill it in parts");
    }

    static DomainException createdRejected() {
        return DomainException.invalid("status", "an automation cannot be created as rejected");
    }

    static DomainException publishNeedsPerson() {
        return DomainException.forbidden("publish_needs_person",
                "a service account cannot publish; its proposals are published when a person approves them");
    }

    static DomainException pendingApproval(String automationId, AutomationStatus status) {
        return DomainException.conflict("pending_approval", "automation " + automationId
                + " is pending approval: approve or reject it first", Map.of("current_status", status.wire()));
    }

    static DomainException nothingToPublish(String draftRevision, String publishedRevision) {
        return DomainException.conflict("nothing_to_publish", "revision " + draftRevision
                + " is already published", Map.of("latest_published_version", publishedRevision));
    }

    static DomainException notDeleted(String automationId) {
        return DomainException.conflict("not_deleted", "automation " + automationId + " is not deleted", Map.of());
    }

    static DomainException triggerIdAssigned() {
        return DomainException.invalid("id", "is assigned by the server");
    }

    static DomainException triggerIdFixed() {
        return DomainException.invalid("id", "cannot be changed");
    }

    static DomainException graceOutOfRange(long max) {
        return DomainException.invalid("grace_period_seconds", "must be 0 to " + max);
    }
}
