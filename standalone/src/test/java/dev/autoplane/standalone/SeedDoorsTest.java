package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed doors' own rules beyond the examples (docs/seeds.md): the organization of the path, the token's workspace,
 * the same permissions as on /api/v1, and bad input answered as problem+json with field errors, never a 500.
 */
class SeedDoorsTest extends ApiTest {

    private WebTestClient.ResponseSpec send(String token, String method, String path, String json) {
        var spec = http.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .header("Authorization", "Bearer " + token);
        return json == null ? spec.exchange() : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    @Test
    void aWorkspaceOutsideThePathsOrganizationIsNotFound() {
        assertProblem(send(adminToken, "GET", "/api/v1/organizations/acme/spaces/" + WS + "/automations", null), 404);
        assertProblem(send(adminToken, "GET", "/api/v1/organizations/acme/workspaces/" + WS + "/automations", null), 404);
        assertProblem(send(adminToken, "POST", "/api/v1/organizations/acme/spaces/" + WS + "/automations",
                "{\"name\": \"x\", \"kind\": \"scheduled\"}"), 404);
        assertProblem(send(adminToken, "GET", "/api/v1/organizations/default/spaces/00000000-0000-7000-8000-00000000ffff/automations",
                null), 404);
        send(adminToken, "GET", "/api/v1/organizations/default/spaces/" + WS + "/automations", null).expectStatus().isOk();
    }

    @Test
    void theDoorsNeedATokenAndTheSamePermissionsAsApiV1() {
        http.post().uri("/v1/automations").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/api/automation/jobs").exchange().expectStatus().isUnauthorized();
        String viewer = member("seed-viewer-" + System.nanoTime(), "viewer");
        send(viewer, "GET", "/api/v1/organizations/default/spaces/" + WS + "/automations", null).expectStatus().isOk();
        send(viewer, "GET", "/api/automation/jobs", null).expectStatus().isOk();
        assertProblem(send(viewer, "POST", "/api/v1/organizations/default/spaces/" + WS + "/automations",
                "{\"name\": \"" + uniqueName("viewer") + "\", \"kind\": \"scheduled\"}"), 403);
        assertProblem(send(viewer, "POST", "/v1/automations",
                "{\"name\": \"" + uniqueName("viewer") + "\", \"prompt\": \"p\", \"triggers\": [{\"type\": \"api\"}]}"), 403);
        assertProblem(send(viewer, "POST", "/api/automation/jobs",
                "{\"name\": \"" + uniqueName("viewer") + "\", \"prompt\": \"p\", \"schedule\": {\"mode\": \"cron\", \"expr\": \"@daily\"}}"),
                403);
    }

    @Test
    @SuppressWarnings("unchecked")
    void enabledMeansActiveOnlyForACallerWhoMayApprove() {
        String editor = member("seed-editor-" + System.nanoTime(), "editor");
        Map<String, Object> created = body(send(editor, "POST", "/v1/automations",
                "{\"name\": \"" + uniqueName("editor") + "\", \"prompt\": \"p\", \"triggers\": [{\"type\": \"cron\", "
                        + "\"config\": {\"schedule\": \"0 9 * * 1-5\"}}]}").expectStatus().isCreated());
        Map<String, Object> automation = (Map<String, Object>) created.get("automation");
        assertThat(automation).containsEntry("status", "pending_approval").containsEntry("enabled", false)
                .containsEntry("kind", "agent_prompt").containsEntry("cron_expression", "0 9 * * 1-5")
                .containsEntry("cron_timezone", "UTC").containsEntry("organization_id", "default");
        Map<String, Object> byAdmin = (Map<String, Object>) body(send(adminToken, "POST", "/v1/automations",
                "{\"name\": \"" + uniqueName("admin") + "\", \"prompt\": \"p\", \"triggers\": [{\"type\": \"cron\", "
                        + "\"config\": {\"schedule\": \"0 9 * * 1-5\", \"timezone\": \"America/New_York\"}}]}")
                .expectStatus().isCreated()).get("automation");
        assertThat(byAdmin).containsEntry("status", "active").containsEntry("enabled", true)
                .containsEntry("cron_timezone", "America/New_York").containsEntry("created_by", "admin");
        assertThat(byAdmin.get("cron_next_fire_at")).isNotNull();
    }

    @Test
    void badInputIsAProblemWithFieldErrorsNeverA500() {
        assertProblem(send(adminToken, "POST", "/v1/automations", "{\"name\": 5, \"prompt\": \"p\", \"triggers\": \"x\"}"),
                400, "name", "triggers");
        assertProblem(send(adminToken, "POST", "/v1/automations", "[1]"), 400);
        assertProblem(send(adminToken, "POST", "/api/automation/jobs", "{\"name\": \"j\", \"prompt\": \"p\", \"schedule\": \"x\"}"),
                400, "schedule");
        assertProblem(send(adminToken, "POST", "/api/automation/jobs",
                "{\"name\": \"j\", \"prompt\": \"p\", \"scope\": \"moon\", \"schedule\": {\"mode\": \"cron\", \"expr\": \"@daily\"}}"),
                400, "scope");
        assertProblem(send(adminToken, "POST", "/api/automation/jobs",
                "{\"name\": \"j\", \"prompt\": \"p\", \"schedule\": {\"mode\": \"sometimes\"}}"), 400, "schedule.mode");
        assertProblem(send(adminToken, "GET", "/api/automation/jobs?scope=moon", null), 400, "scope");
        assertProblem(send(adminToken, "POST", "/api/automation/triggers", "{\"name\": \"t\", \"prompt\": \"p\", \"scope\": 3}"),
                400, "scope");
        assertProblem(send(adminToken, "GET", "/api/automation/triggers/a%22b", null), 404);
        assertProblem(send(adminToken, "POST", "/api/v1/organizations/default/spaces/" + WS + "/automations",
                "{\"name\": \"" + uniqueName("bad") + "\", \"kind\": \"scheduled\", \"config\": {\"cron\": \"every day\"}}"),
                400, "config.cron");
        String base = "/api/v1/organizations/default/workspaces/" + WS + "/automations";
        assertProblem(send(adminToken, "GET", base + "?page_size=-1", null), 400, "page_size");
        assertProblem(send(adminToken, "GET", base + "?page_token=nope", null), 400, "page_token");
        assertProblem(send(adminToken, "GET", base + "?filter=state ==", null), 400);
        String id = createDraft(uniqueName("seed 002 bad")).get("id").toString();
        assertProblem(send(adminToken, "GET", base + "/" + id + ":query?stage=SOMETIMES", null), 400, "stage");
        assertProblem(send(adminToken, "POST", base + "/" + id + ":invoke", "{\"stage\": 7}"), 400, "stage");
        assertProblem(send(adminToken, "GET", base + "/" + id + ":extractCodeConnections?filter=kind = \"x\"", null), 400, "filter");
        assertProblem(send(adminToken, "POST", base + ":traceConnectionUsage", "{}"), 400, "connection_id");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAip160FilterWithEqualsIsTheCelFilterWithDoubleEquals() {
        String name = uniqueName("seed 002 filter");
        createDraft(name);
        List<Object> aip = (List<Object>) listed("name = \"" + name + "\"").get("automations");
        List<Object> cel = (List<Object>) listed("name == \"" + name + "\"").get("automations");
        assertThat(cel).hasSize(1);
        assertThat(aip).isEqualTo(cel);
        assertThat(((Map<String, Object>) cel.get(0))).containsEntry("display_name", name)
                .containsEntry("activation_state", "AUTOMATION_ACTIVATION_STATE_UNSPECIFIED");
        assertThat((List<Object>) listed("state = \"DRAFT\" && name = \"" + name + "\"").get("automations")).hasSize(1);
        assertThat((List<Object>) listed("state = \"PUBLISHED\" && name = \"" + name + "\"").get("automations")).isEmpty();
    }

    private Map<String, Object> listed(String filter) {
        return body(http.get().uri(b -> b.path("/api/v1/organizations/default/workspaces/" + WS + "/automations")
                        .queryParam("page_size", 1000).queryParam("filter", "{f}").build(filter))
                .header("Authorization", "Bearer " + adminToken).exchange().expectStatus().isOk());
    }
}
