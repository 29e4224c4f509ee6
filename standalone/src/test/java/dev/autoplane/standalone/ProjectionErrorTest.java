package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A read model that fails on an event does not go past it. The automation projection's table is taken
 * away while an automation changes: the projection's handler fails reading it, so its whole batch rolls
 * back with its token and the processor shows an error and tries again; once the table is back the
 * change is applied. (Axon's default for a listener's error, to log it and go on, committed the token
 * past the event and left the read model one change behind for good.)
 */
class ProjectionErrorTest extends ApiTest {

    @Test
    @SuppressWarnings("unchecked")
    void aHandlersFailureRollsItsBatchBackAndTheEventIsAppliedOnceTheCauseIsGone() {
        Map<String, Object> created = createDraft(uniqueName("held back"));
        String path = "/workspaces/" + WS + "/automations/" + created.get("id");
        jdbc.execute("ALTER TABLE automation_view RENAME TO automation_view_away");
        try {
            http.patch().uri("/api/v1" + path).header("Authorization", "Bearer " + adminToken)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("description", "applied after the retry"))
                    .exchange().expectStatus().isOk();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, Object> status = body(get(adminToken, "/admin/projections").exchange().expectStatus().isOk());
                Map<String, Object> automations = ((List<Map<String, Object>>) status.get("projections")).stream()
                        .filter(p -> p.get("name").equals("automations")).findFirst().orElseThrow();
                assertThat(automations).as("the projection shows its failure").containsEntry("error", true);
            });
        } finally {
            jdbc.execute("ALTER TABLE automation_view_away RENAME TO automation_view");
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                body(get(adminToken, path).exchange().expectStatus().isOk())).containsEntry("description", "applied after the retry"));
    }
}
