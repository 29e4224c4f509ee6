package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member limited to teams sees and changes only their teams' automations: every write is refused
 * by the aggregate ({@code 403 outside_team_scope}), including creating one outside their teams
 * and moving one of theirs to another team.
 */
class TeamScopeTest extends ApiTest {

    private static final String AUTOMATIONS = "/workspaces/" + WS + "/automations";

    @Test
    @SuppressWarnings("unchecked")
    void canOnlyReadAndWriteAutomationsOfTheirTeams() {
        String mine = team("mine");
        String theirs = team("theirs");
        String user = "limited-" + System.nanoTime();
        String token = member(user, "admin");
        http.put().uri("/api/v1/workspaces/" + WS + "/members/" + user).header("Authorization", "Bearer " + adminToken)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("role", "approver", "team_ids", List.of(mine))).exchange().expectStatus().isOk();
        String ours = (String) createAutomation(Map.of("name", uniqueName("ours"), "kind", "scheduled", "team_id", mine)).get("id");
        String other = (String) createAutomation(Map.of("name", uniqueName("other"), "kind", "scheduled", "team_id", theirs)).get("id");

        get(token, AUTOMATIONS + "/" + ours).exchange().expectStatus().isOk();
        assertProblem(get(token, AUTOMATIONS + "/" + other).exchange(), 403);
        List<Map<String, Object>> listed = (List<Map<String, Object>>) body(get(token, AUTOMATIONS + "?page_size=1000").exchange()
                .expectStatus().isOk()).get("automations");
        assertThat(listed).allSatisfy(a -> assertThat(a.get("team_id")).isEqualTo(mine));

        patch(token, AUTOMATIONS + "/" + ours, Map.of("description", "fine")).expectStatus().isOk();
        Map<String, Object> problem = assertProblem(patch(token, AUTOMATIONS + "/" + other, Map.of("description", "no")), 403);
        assertThat(problem.get("code")).isEqualTo("outside_team_scope");
        assertProblem(patch(token, AUTOMATIONS + "/" + ours, Map.of("team_id", theirs)), 403);
        for (String action : List.of("submit", "pause", "resume", "publish", "undelete", "approve", "reject")) {
            assertProblem(post(token, AUTOMATIONS + "/" + other + "/" + action, null), 403);
        }
        assertProblem(http.delete().uri("/api/v1" + AUTOMATIONS + "/" + other).header("Authorization", "Bearer " + token)
                .exchange(), 403);
        assertProblem(post(token, AUTOMATIONS, Map.of("name", uniqueName("new other"), "kind", "scheduled", "team_id", theirs)), 403);
        assertProblem(post(token, AUTOMATIONS, Map.of("name", uniqueName("no team"), "kind", "scheduled")), 403);
        issued((String) body(post(token, AUTOMATIONS, Map.of("name", uniqueName("new mine"), "kind", "scheduled", "team_id", mine))
                .expectStatus().isCreated()).get("secret"));
        // nothing was changed by the refused writes
        Map<String, Object> unchanged = body(get(adminToken, AUTOMATIONS + "/" + other).exchange().expectStatus().isOk());
        assertThat(unchanged).containsEntry("status", "draft").doesNotContainKey("description");
    }

    private String team(String name) {
        return (String) body(post(adminToken, "/workspaces/" + WS + "/teams", Map.of("name", uniqueName(name)))
                .expectStatus().isCreated()).get("id");
    }
}
