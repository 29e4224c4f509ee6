package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Teams and members, projection operations (status and replay), metrics and the OpenAPI document. */
class OperationsTest extends ApiTest {

    @Test
    @SuppressWarnings("unchecked")
    void teamsAndMembers() {
        Map<String, Object> team = body(post(adminToken, "/workspaces/" + WS + "/teams", Map.of("name", uniqueName("ops")))
                .expectStatus().isCreated());
        assertThat((List<Map<String, Object>>) body(get(adminToken, "/workspaces/" + WS + "/teams").exchange()
                .expectStatus().isOk()).get("teams")).anySatisfy(t -> assertThat(t.get("id")).isEqualTo(team.get("id")));
        http.put().uri("/api/v1/workspaces/" + WS + "/members/tess").header("Authorization", "Bearer " + adminToken)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("role", "editor", "team_ids", List.of(team.get("id")))).exchange().expectStatus().isOk();
        Map<String, Object> member = body(get(adminToken, "/workspaces/" + WS + "/members/tess").exchange().expectStatus().isOk());
        assertThat(member).containsEntry("role", "editor").containsEntry("team_ids", List.of(team.get("id")));
        assertThat((List<Map<String, Object>>) body(get(adminToken, "/workspaces/" + WS + "/members").exchange()
                .expectStatus().isOk()).get("members")).extracting(m -> m.get("user_id")).contains("admin", "tess");
        assertProblem(get(adminToken, "/workspaces/" + WS + "/members/nobody").exchange(), 404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReplayedReadModelEqualsTheOneBuiltLive() {
        for (int i = 0; i < 5; i++) {
            Map<String, Object> a = createDraft(uniqueName("replay"));
            patch(adminToken, "/workspaces/" + WS + "/automations/" + a.get("id"), Map.of("description", "v" + i)).expectStatus().isOk();
        }
        Map<String, Object> before = everyAutomation();
        Map<String, Object> status = body(get(adminToken, "/admin/projections").exchange().expectStatus().isOk());
        assertThat((List<Map<String, Object>>) status.get("projections")).extracting(p -> p.get("name"))
                .contains("automations", "revisions", "access");

        http.post().uri("/api/v1/admin/projections/automations/replay").header("Authorization", "Bearer " + adminToken)
                .exchange().expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> s = body(get(adminToken, "/admin/projections").exchange().expectStatus().isOk());
            Map<String, Object> automations = ((List<Map<String, Object>>) s.get("projections")).stream()
                    .filter(p -> p.get("name").equals("automations")).findFirst().orElseThrow();
            assertThat(automations.get("lag")).isEqualTo(0);
            assertThat(everyAutomation()).isEqualTo(before);
        });
        assertProblem(http.post().uri("/api/v1/admin/projections/nope/replay").header("Authorization", "Bearer " + adminToken)
                .exchange(), 404);
        assertProblem(get(member("otto", "approver"), "/admin/projections").exchange(), 403);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> everyAutomation() {
        List<Map<String, Object>> all = (List<Map<String, Object>>) body(get(adminToken, "/workspaces/" + WS
                + "/automations?page_size=1000&show_deleted=true").exchange().expectStatus().isOk()).get("automations");
        return all.stream().collect(Collectors.toMap(a -> (String) a.get("id"), a -> a));
    }

    @Test
    void metricsAndHealth() {
        http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody(String.class)
                .value(b -> assertThat(b).contains("UP"));
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(b -> assertThat(b).contains("http_server_requests"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDescribesEveryEndpointWithSchemasAndErrors() {
        Map<String, Object> doc = body(http.get().uri("/v3/api-docs").exchange().expectStatus().isOk());
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        assertThat(paths).containsKeys("/api/v1/workspaces/{ws}/automations", "/api/v1/workspaces/{ws}/automations/{id}",
                "/api/v1/workspaces/{ws}/automations/{id}/approve", "/api/v1/workspaces/{ws}/automations/{id}/history",
                "/api/v1/workspaces/{ws}/automations/{id}/revisions/{rev}", "/api/v1/tokens", "/api/v1/workspaces/{ws}/members/{userId}");
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        assertThat(schemas).containsKeys("AutomationView", "AutomationWrite", "AutomationCreated", "Problem", "AutomationPage");
        assertThat(((Map<String, Object>) ((Map<String, Object>) schemas.get("AutomationView")).get("properties")))
                .containsKeys("workspace_id", "latest_published_version", "oauth_token_present");
        Map<String, Object> create = (Map<String, Object>) ((Map<String, Object>) paths.get("/api/v1/workspaces/{ws}/automations")).get("post");
        assertThat((Map<String, Object>) create.get("responses")).containsKeys("201", "400", "401", "403", "409", "413", "415");
    }
}
