package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests made with an automation's access token are service-account requests, end to end over
 * HTTP: exactly the automation's scopes, its workspace and team scope; whatever they create or
 * change waits for a person's approval, which applies to the exact revision proposed.
 */
class ServiceAccountTest extends ApiTest {

    private static final String AUTOMATIONS = "/workspaces/" + WS + "/automations";

    @Test
    @SuppressWarnings("unchecked")
    void canProposeAnAutomationThatWaitsForAPersonsApprovalOfThatRevision() {
        Map<String, String> machine = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read", "automation.write")));
        String sa = accessToken(machine.get("id"), machine.get("secret"));

        Map<String, Object> created = body(post(sa, AUTOMATIONS, Map.of("name", uniqueName("proposed"), "kind", "scheduled",
                "status", "active", "description", "please review")).expectStatus().isCreated());
        issued((String) created.get("secret"));
        Map<String, Object> proposal = (Map<String, Object>) created.get("automation");
        String id = (String) proposal.get("id");
        assertThat(proposal).containsEntry("status", "pending_approval")
                .containsEntry("created_by_service_account_id", machine.get("id"));
        assertThat((Map<String, Object>) proposal.get("config")).containsEntry("proposal_note", "please review");

        // the service account cannot set oauth_token, nor approve
        assertProblem(post(sa, AUTOMATIONS, Map.of("name", uniqueName("oauth"), "kind", "scheduled", "oauth_token", "x")), 403);
        assertProblem(post(sa, AUTOMATIONS + "/" + id + "/approve", null), 403);

        // the author (the service account) cannot approve; a person with automation.approve can, for the exact revision
        String approver = member("approver-" + System.nanoTime(), "approver");
        Map<String, Object> latest = body(get(adminToken, AUTOMATIONS + "/" + id + "/revisions/latest").exchange().expectStatus().isOk());
        String proposed = (String) latest.get("revision");
        patch(sa, AUTOMATIONS + "/" + id, Map.of("description", "second thoughts")).expectStatus().isOk();
        assertProblem(post(approver, AUTOMATIONS + "/" + id + "/approve", Map.of("revision", proposed)), 409);
        Map<String, Object> now = body(get(adminToken, AUTOMATIONS + "/" + id + "/revisions/latest").exchange().expectStatus().isOk());
        Map<String, Object> approved = body(post(approver, AUTOMATIONS + "/" + id + "/approve",
                Map.of("revision", now.get("revision"))).expectStatus().isOk());
        assertThat(approved).containsEntry("status", "active");

        // any later change of the definition by the service account needs a new approval
        Map<String, Object> edited = body(patch(sa, AUTOMATIONS + "/" + id, Map.of("config", Map.of("cron", "0 9 * * MON")))
                .expectStatus().isOk());
        assertThat(edited).containsEntry("status", "pending_approval");

        // the history records the service account as the actor
        Map<String, Object> history = body(get(adminToken, AUTOMATIONS + "/" + id + "/history").exchange().expectStatus().isOk());
        assertThat(history.toString()).contains("service_account").contains(machine.get("id"));
    }

    @Test
    void hasExactlyItsScopesInItsWorkspaceAndTeams() {
        String team = (String) body(post(adminToken, "/workspaces/" + WS + "/teams", Map.of("name", uniqueName("sa-team")))
                .expectStatus().isCreated()).get("id");
        String other = (String) body(post(adminToken, "/workspaces/" + WS + "/teams", Map.of("name", uniqueName("sa-other")))
                .expectStatus().isCreated()).get("id");
        Map<String, String> machine = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read", "automation.write"),
                "team_scope", List.of(team), "team_id", team));
        String inTeam = (String) createAutomation(Map.of("name", uniqueName("in"), "kind", "scheduled", "team_id", team)).get("id");
        String outside = (String) createAutomation(Map.of("name", uniqueName("out"), "kind", "scheduled", "team_id", other)).get("id");
        String sa = accessToken(machine.get("id"), machine.get("secret"));

        get(sa, AUTOMATIONS + "/" + inTeam).exchange().expectStatus().isOk();
        assertProblem(get(sa, AUTOMATIONS + "/" + outside).exchange(), 403);
        assertProblem(patch(sa, AUTOMATIONS + "/" + outside, Map.of("description", "x")), 403);
        assertProblem(post(sa, AUTOMATIONS, Map.of("name", uniqueName("elsewhere"), "kind", "scheduled", "team_id", other)), 403);
        assertProblem(post(sa, AUTOMATIONS, Map.of("name", uniqueName("teamless"), "kind", "scheduled")), 403);
        // no automation.manage: no credential fields, no rotation; no workspace.admin: no members
        assertProblem(patch(sa, AUTOMATIONS + "/" + inTeam, Map.of("scopes", List.of("automation.read"))), 403);
        assertProblem(post(sa, AUTOMATIONS + "/" + inTeam + "/secret/rotate", Map.of()), 403);
        assertProblem(http.put().uri("/api/v1/workspaces/" + WS + "/members/x").header("Authorization", "Bearer " + sa)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "viewer")).exchange(), 403);
        // people-only endpoints
        assertProblem(post(sa, "/tokens", Map.of("name", "nope")), 403);
        assertProblem(post(sa, "/workspaces", Map.of("name", "nope")), 403);

        // lowering the automation's scopes takes effect on the token's next request
        patch(adminToken, AUTOMATIONS + "/" + machine.get("id"), Map.of("scopes", List.of("automation.write"))).expectStatus().isOk();
        assertProblem(get(sa, AUTOMATIONS + "/" + inTeam).exchange(), 403);
    }

    @Test
    void cannotGrantScopesItDoesNotHold() {
        Map<String, String> machine = createMachine(adminToken, WS,
                Map.of("scopes", List.of("automation.read", "automation.write", "automation.manage")));
        String sa = accessToken(machine.get("id"), machine.get("secret"));
        assertProblem(post(sa, AUTOMATIONS, Map.of("name", uniqueName("escalate"), "kind", "scheduled",
                "scopes", List.of("workspace.admin"))), 403);
        Map<String, Object> ok = body(post(sa, AUTOMATIONS, Map.of("name", uniqueName("fine"), "kind", "scheduled",
                "scopes", List.of("automation.read"))).expectStatus().isCreated());
        issued((String) ok.get("secret"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void onlyAutomationManageSetsTheCredentialFields() {
        String editor = member("credential-editor-" + System.nanoTime(), "editor");
        String team = (String) body(post(adminToken, "/workspaces/" + WS + "/teams", Map.of("name", uniqueName("cred")))
                .expectStatus().isCreated()).get("id");
        Map<String, Object> fields = Map.of("scopes", List.of("files.read"), "team_scope", List.of(team),
                "provider_type", "github", "credential_label", "release bot", "suspended", true);
        String id = (String) createDraft(uniqueName("credential")).get("id");
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            assertProblem(post(editor, AUTOMATIONS, Map.of("name", uniqueName("c"), "kind", "scheduled",
                    field.getKey(), field.getValue())), 403);
            assertProblem(patch(editor, AUTOMATIONS + "/" + id, Map.of(field.getKey(), field.getValue())), 403);
        }
        Map<String, Object> changed = body(patch(adminToken, AUTOMATIONS + "/" + id, fields).expectStatus().isOk());
        assertThat(changed).containsEntry("scopes", List.of("automation.read")).containsEntry("team_scope", List.of(team))
                .containsEntry("provider_type", "github").containsEntry("credential_label", "release bot")
                .containsEntry("suspended", true);
        assertProblem(patch(adminToken, AUTOMATIONS + "/" + id, Map.of("scopes", List.of("root"))), 400, "scopes[0]");
    }
}
