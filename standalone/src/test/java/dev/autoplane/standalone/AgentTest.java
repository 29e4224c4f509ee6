package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Visible agents over HTTP: create, list, get, patch; unique names; the installation must be an
 * automation of the workspace; X-Agent-Name on service-account requests is recorded in the events'
 * metadata and refused when the agent is unknown, suspended or bound to another automation.
 */
class AgentTest extends ApiTest {

    private static final String AGENTS = "/workspaces/" + WS + "/agents";
    private static final String AUTOMATIONS = "/workspaces/" + WS + "/automations";

    @Test
    @SuppressWarnings("unchecked")
    void canCreateListGetAndChangeAgents() {
        Map<String, String> machine = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read")));
        String name = uniqueName("Reviewer bot");
        Map<String, Object> agent = body(post(adminToken, AGENTS, Map.of("name", name, "installation_id", machine.get("id"),
                "role", "editor")).expectStatus().isCreated().expectHeader().exists("ETag"));
        String id = (String) agent.get("id");
        assertThat(agent).containsEntry("name", name).containsEntry("installation_id", machine.get("id"))
                .containsEntry("role", "editor").containsEntry("suspended", false).containsEntry("team_scope", List.of());

        get(adminToken, AGENTS + "/" + id).exchange().expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo(name);
        List<Map<String, Object>> listed = (List<Map<String, Object>>) body(get(adminToken, AGENTS + "?page_size=1000")
                .exchange().expectStatus().isOk()).get("agents");
        assertThat(listed).anySatisfy(a -> assertThat(a.get("id")).isEqualTo(id));

        // names are unique per workspace, case-insensitively
        assertProblem(post(adminToken, AGENTS, Map.of("name", name.toUpperCase(), "installation_id", machine.get("id"))), 409);

        String renamed = uniqueName("Renamed bot");
        Map<String, Object> changed = body(patch(adminToken, AGENTS + "/" + id, Map.of("name", renamed, "role", "viewer",
                "suspended", true)).expectStatus().isOk());
        assertThat(changed).containsEntry("name", renamed).containsEntry("role", "viewer").containsEntry("suspended", true);
        // the old name is free again
        body(post(adminToken, AGENTS, Map.of("name", name, "installation_id", machine.get("id"))).expectStatus().isCreated());
        Map<String, Object> cleared = body(patch(adminToken, AGENTS + "/" + id, java.util.Collections.singletonMap("role", null))
                .expectStatus().isOk());
        assertThat(cleared.get("role")).isNull();
        assertProblem(http.patch().uri("/api/v1" + AGENTS + "/" + id).header("Authorization", "Bearer " + adminToken)
                .header("If-Match", "\"0\"").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("suspended", false))
                .exchange(), 412);
    }

    @Test
    void refusesBadAgentsWithFieldErrors() {
        Map<String, String> machine = createMachine(adminToken, WS, Map.of());
        assertProblem(post(adminToken, AGENTS, Map.of("installation_id", machine.get("id"))), 400, "name");
        assertProblem(post(adminToken, AGENTS, Map.of("name", "x")), 400, "installation_id");
        assertProblem(post(adminToken, AGENTS, Map.of("name", "x", "installation_id", "nope")), 400, "installation_id");
        assertProblem(post(adminToken, AGENTS, Map.of("name", "x", "installation_id", dev.autoplane.platform.Ids.newId())), 404);
        assertProblem(post(adminToken, AGENTS, Map.of("name", "x", "installation_id", machine.get("id"), "role", "boss")), 400, "role");
        assertProblem(post(adminToken, AGENTS, Map.of("name", "x", "installation_id", machine.get("id"),
                "team_scope", List.of(dev.autoplane.platform.Ids.newId()))), 400, "team_scope[0]");
        assertProblem(post(adminToken, AGENTS, Map.of("name", "x", "installation_id", machine.get("id"), "colour", "red")), 400);
        assertProblem(post(adminToken, AGENTS, Map.of("name", "x".repeat(101), "installation_id", machine.get("id"))), 400, "name");
        String id = (String) body(post(adminToken, AGENTS, Map.of("name", uniqueName("ok"), "installation_id", machine.get("id")))
                .expectStatus().isCreated()).get("id");
        assertProblem(patch(adminToken, AGENTS + "/" + id, Map.of("suspended", "yes")), 400, "suspended");
        assertProblem(patch(adminToken, AGENTS + "/" + id, Map.of("colour", "red")), 400, "colour");
        assertProblem(patch(adminToken, AGENTS + "/" + dev.autoplane.platform.Ids.newId(), Map.of("suspended", true)), 404);
        assertProblem(get(adminToken, AGENTS + "/nope").exchange(), 404);
        String viewer = member("agent-viewer-" + System.nanoTime(), "viewer");
        get(viewer, AGENTS + "/" + id).exchange().expectStatus().isOk();
        assertProblem(patch(viewer, AGENTS + "/" + id, Map.of("suspended", true)), 403);
    }

    @Test
    @SuppressWarnings("unchecked")
    void attributesServiceAccountRequestsToTheirAgent() {
        Map<String, String> machine = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read", "automation.write")));
        Map<String, String> another = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read")));
        String sa = accessToken(machine.get("id"), machine.get("secret"));
        String name = uniqueName("Drafter");
        String agentId = (String) body(post(adminToken, AGENTS, Map.of("name", name, "installation_id", machine.get("id")))
                .expectStatus().isCreated()).get("id");
        String foreign = uniqueName("Foreign");
        post(adminToken, AGENTS, Map.of("name", foreign, "installation_id", another.get("id"))).expectStatus().isCreated();
        String readOnly = uniqueName("Reader");
        post(adminToken, AGENTS, Map.of("name", readOnly, "installation_id", machine.get("id"), "role", "viewer"))
                .expectStatus().isCreated();

        Map<String, Object> created = body(asAgent(sa, name).post().uri("/api/v1" + AUTOMATIONS)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", uniqueName("by agent"), "kind", "scheduled"))
                .exchange().expectStatus().isCreated());
        issued((String) created.get("secret"));
        String id = (String) ((Map<String, Object>) created.get("automation")).get("id");
        List<Map<String, Object>> events = (List<Map<String, Object>>) body(get(adminToken, AUTOMATIONS + "/" + id + "/history")
                .exchange().expectStatus().isOk()).get("events");
        assertThat(events.get(0).toString()).contains("agent_name=" + name);

        // an agent's role narrows what the credential may do
        assertProblem(asAgent(sa, readOnly).patch().uri("/api/v1" + AUTOMATIONS + "/" + id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("description", "x")).exchange(), 403);
        asAgent(sa, readOnly).get().uri("/api/v1" + AUTOMATIONS + "/" + id).exchange().expectStatus().isOk();
        // unknown, bound to another automation, suspended
        assertProblem(asAgent(sa, "nobody " + System.nanoTime()).get().uri("/api/v1" + AUTOMATIONS).exchange(), 403);
        assertProblem(asAgent(sa, foreign).get().uri("/api/v1" + AUTOMATIONS).exchange(), 403);
        patch(adminToken, AGENTS + "/" + agentId, Map.of("suspended", true)).expectStatus().isOk();
        assertProblem(asAgent(sa, name).get().uri("/api/v1" + AUTOMATIONS).exchange(), 403);
        patch(adminToken, AGENTS + "/" + agentId, Map.of("suspended", false)).expectStatus().isOk();
        asAgent(sa, name).get().uri("/api/v1" + AUTOMATIONS).exchange().expectStatus().isOk();
        // people do not act as agents
        assertProblem(asAgent(adminToken, name).get().uri("/api/v1" + AUTOMATIONS).exchange(), 403);
    }

    private WebTestClient asAgent(String token, String agent) {
        return http.mutate().defaultHeader("Authorization", "Bearer " + token).defaultHeader("X-Agent-Name", agent).build();
    }
}
