package dev.autoplane.standalone;

import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleSetEvent;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Teams and members, projection operations (status and replay: the automation, run and occurrence read
 * models rebuilt from the log equal the ones built live), metrics and the OpenAPI document.
 */
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

    @Autowired
    EventStore eventStore;

    @Test
    @SuppressWarnings("unchecked")
    void aReplayedReadModelEqualsTheOneBuiltLive() {
        String scheduled = null;
        for (int i = 0; i < 5; i++) {
            Map<String, Object> a = createDraft(uniqueName("replay"));
            patch(adminToken, "/workspaces/" + WS + "/automations/" + a.get("id"), Map.of("description", "v" + i)).expectStatus().isOk();
            scheduled = (String) a.get("id");
        }
        // a schedule, a fire and a skip, as the scheduling engine records them, so runs and occurrences have rows
        String aid = scheduled;
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        String fireId = FireIds.of(aid, "schedule", at);
        long seq = eventStore.lastSequenceNumberFor(aid).orElseThrow();
        eventStore.publish(
                new GenericDomainEventMessage<>("Automation", aid, seq + 1, new AutomationScheduleSetEvent(aid, WS,
                        new ScheduleSpec(null, "PT1H", null, "UTC", at, ScheduleSpec.NEVER, 0, 60, "skip", "allow"), true,
                        Instant.now(), 0, Actor.user("admin"), Instant.now())),
                new GenericDomainEventMessage<>("Automation", aid, seq + 2, new JobFiredEvent(aid, WS, fireId,
                        FireIds.runId(fireId, at), "schedule", "schedule", "schedule", at, at, "0.1", "draft", Map.of(),
                        null, 1, "fired", List.of(), null, Actor.SYSTEM)),
                new GenericDomainEventMessage<>("Automation", aid, seq + 3, new OccurrenceSkippedEvent(aid, WS,
                        FireIds.of(aid, "schedule", at.plusSeconds(3600)), "schedule", "schedule", at.plusSeconds(3600),
                        at.plusSeconds(3600), "missed", "the server was down")));
        String occurrences = "/workspaces/" + WS + "/automations/" + aid + "/occurrences";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat((List<?>) body(get(adminToken, occurrences).exchange().expectStatus().isOk()).get("occurrences")).hasSize(2);
            assertThat(everyRun()).containsKey(FireIds.runId(fireId, at));
            assertThat(everyAutomation().get(aid)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("last_run_at", "2030-01-01T00:00:00Z");
        });
        Map<String, Object> before = everyAutomation();
        Map<String, Object> runsBefore = everyRun();
        Map<String, Object> occurrencesBefore = body(get(adminToken, occurrences).exchange().expectStatus().isOk());
        Map<String, Object> scheduleBefore = body(get(adminToken, "/workspaces/" + WS + "/automations/" + aid + "/schedule")
                .exchange().expectStatus().isOk());
        Map<String, Object> status = body(get(adminToken, "/admin/projections").exchange().expectStatus().isOk());
        assertThat((List<Map<String, Object>>) status.get("projections")).extracting(p -> p.get("name"))
                .contains("automations", "revisions", "access", "runs", "occurrences");

        assertThat((List<Map<String, Object>>) status.get("projections"))
                .filteredOn(p -> List.of("automations", "revisions", "runs", "occurrences").contains(p.get("name")))
                .as("the read models share one event stream").extracting(p -> p.get("processor")).containsOnly("read-models");
        // one replay rebuilds the five read models of the shared stream; another while it catches up is refused
        Map<String, Object> replay = body(http.post().uri("/api/v1/admin/projections/runs/replay")
                .header("Authorization", "Bearer " + adminToken).exchange().expectStatus().isAccepted());
        assertThat(replay).containsEntry("processor", "read-models")
                .containsEntry("rebuilt", List.of("automations", "revisions", "runs", "occurrences", "visualizations"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> s = body(get(adminToken, "/admin/projections").exchange().expectStatus().isOk());
            for (String projection : List.of("automations", "runs", "occurrences")) {
                Map<String, Object> p = ((List<Map<String, Object>>) s.get("projections")).stream()
                        .filter(x -> x.get("name").equals(projection)).findFirst().orElseThrow();
                assertThat(p.get("lag")).as(projection).isEqualTo(0);
            }
            assertThat(everyAutomation()).isEqualTo(before);
            assertThat(everyRun()).isEqualTo(runsBefore);
            assertThat(body(get(adminToken, occurrences).exchange().expectStatus().isOk())).isEqualTo(occurrencesBefore);
            assertThat(body(get(adminToken, "/workspaces/" + WS + "/automations/" + aid + "/schedule").exchange()
                    .expectStatus().isOk())).isEqualTo(scheduleBefore);
        });
        // the audit log rides on the same stream and is written once: the replay passed it by, whole
        Map<String, Object> verified = body(get(adminToken, "/workspaces/" + WS + "/audit/verify").exchange()
                .expectStatus().isOk());
        assertThat(verified.get("first_broken")).isNull();
        assertThat(((Number) verified.get("verified")).longValue()).isPositive();
        assertThat(assertProblem(http.post().uri("/api/v1/admin/projections/audit-log/replay")
                .header("Authorization", "Bearer " + adminToken).exchange(), 409)).containsEntry("code", "not_replayable");
        assertProblem(http.post().uri("/api/v1/admin/projections/nope/replay").header("Authorization", "Bearer " + adminToken)
                .exchange(), 404);
        assertProblem(get(member("otto", "approver"), "/admin/projections").exchange(), 403);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> everyRun() {
        List<Map<String, Object>> all = (List<Map<String, Object>>) body(get(adminToken, "/workspaces/" + WS
                + "/runs?page_size=1000").exchange().expectStatus().isOk()).get("runs");
        return all.stream().collect(Collectors.toMap(r -> (String) r.get("id"), r -> r));
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
                .value(b -> assertThat(b).contains("http_server_requests")
                        .containsPattern("autoplane_projection_lag\\{processor=\"read-models\"} [0-9.E]+\n")
                        .containsPattern("autoplane_projection_position\\{processor=\"read-models\"} [0-9.E]+\n")
                        .containsPattern("autoplane_projection_lag\\{processor=\"access\"} [0-9.E]+\n"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDescribesEveryEndpointWithSchemasAndErrors() throws Exception {
        String raw = http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "openapi.json"), raw); // .ci/lint-openapi.sh lints it
        Map<String, Object> doc = new com.fasterxml.jackson.databind.ObjectMapper().readValue(raw, Map.class);
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        assertThat(paths).containsKeys("/api/v1/workspaces/{ws}/automations", "/api/v1/workspaces/{ws}/automations/{id}",
                "/api/v1/workspaces/{ws}/automations/{id}/approve", "/api/v1/workspaces/{ws}/automations/{id}/history",
                "/api/v1/workspaces/{ws}/automations/{id}/revisions/{rev}", "/api/v1/tokens", "/api/v1/workspaces/{ws}/members/{userId}");
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        assertThat(schemas).containsKeys("AutomationView", "AutomationWrite", "AutomationCreated", "Problem", "AutomationPage");
        assertThat(((Map<String, Object>) ((Map<String, Object>) schemas.get("AutomationView")).get("properties")))
                .containsKeys("workspace_id", "latest_published_version", "oauth_token_present", "delivery");
        assertThat(paths).containsKey("/api/v1/workspaces/{ws}/automations/{id}/delivery/rotate-secret");
        assertThat(schemas).containsKeys("DeliverySecretRotated", "RotateDeliverySecretRequest", "DeliveryWrite");
        Map<String, Object> create = (Map<String, Object>) ((Map<String, Object>) paths.get("/api/v1/workspaces/{ws}/automations")).get("post");
        assertThat((Map<String, Object>) create.get("responses")).containsKeys("201", "400", "401", "403", "409", "413", "415");
    }
}
