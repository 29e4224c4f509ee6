package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, item 5: a retry of an {@code Idempotency-Key} request whose command committed but whose
 * answer was never recorded (the server was killed in between). The test leaves the key as such a
 * crash does (reserved, command committed, no answer) and moves the clock past the wait for a first
 * attempt still answering. The retry answers the original answer's shape for what exists — never a
 * 500, never a second effect — and the key stays taken. Creates and invocations share one flow.
 */
class IdempotencyRecoveryTest extends ApiTest {

    private static final String AUTOMATIONS = "/workspaces/" + WS + "/automations";

    @Test
    @SuppressWarnings("unchecked")
    void aCreateCommittedButNeverAnsweredIsAnsweredWithoutItsSecretAndCreatesNothingMore() {
        String key = "crashed-create-" + System.nanoTime();
        Map<String, Object> request = Map.of("name", uniqueName("crashed"), "kind", "scheduled", "status", "active");
        Map<String, Object> first = body(create(key, request).expectStatus().isCreated());
        issued((String) first.get("secret"));
        String id = (String) ((Map<String, Object>) first.get("automation")).get("id");
        long before = countAutomations();
        forgetAnswer(key);

        for (int retry = 0; retry < 2; retry++) {
            Map<String, Object> again = body(create(key, request).expectStatus().isCreated()
                    .expectHeader().valueEquals("Idempotent-Replayed", "true"));
            assertThat(((Map<String, Object>) again.get("automation")).get("id")).isEqualTo(id);
            assertThat(((Map<String, Object>) again.get("automation")).get("status")).isEqualTo("active");
            assertThat(again).doesNotContainKey("secret");
            assertThat((String) again.get("secret_unavailable")).contains("rotate");
        }
        assertThat(countAutomations()).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT resource_id FROM idempotency_key WHERE idem_key = ?", String.class, key))
                .as("the key of a committed command is never released").isEqualTo(id);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCreateReservedBeforeCommitMarksExistedIsAnsweredToo() {
        String key = "crashed-legacy-" + System.nanoTime();
        Map<String, Object> request = Map.of("name", uniqueName("legacy"), "kind", "scheduled");
        Map<String, Object> first = body(create(key, request).expectStatus().isCreated());
        issued((String) first.get("secret"));
        forgetAnswer(key);
        jdbc.update("UPDATE idempotency_key SET committed_at = NULL WHERE idem_key = ?", key);

        Map<String, Object> again = body(create(key, request).expectStatus().isCreated());
        assertThat(((Map<String, Object>) again.get("automation")).get("id"))
                .isEqualTo(((Map<String, Object>) first.get("automation")).get("id"));
        assertThat(again).doesNotContainKey("secret").containsKey("secret_unavailable");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInvocationCommittedButNeverAnsweredIsAnsweredWithItsRunAndRunsOnce() {
        Map<String, Object> automation = createAutomation(Map.of("name", uniqueName("invoked"), "kind", "scheduled",
                "status", "active"));
        String id = (String) automation.get("id");
        String key = "crashed-invoke-" + System.nanoTime();
        String runId = (String) body(invoke(id, key).expectStatus().isAccepted()).get("run_id");
        forgetAnswer(key);

        for (int retry = 0; retry < 2; retry++) {
            assertThat(body(invoke(id, key).expectStatus().isAccepted()
                    .expectHeader().valueEquals("Idempotent-Replayed", "true")).get("run_id")).isEqualTo(runId);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " AND payload_type LIKE '%$JobFiredEvent'", Long.class, id)).as("runs of %s", id).isEqualTo(1L);
    }

    @Test
    void aRequestWhoseCommandFailedReleasesItsKey() {
        String key = "failed-create-" + System.nanoTime();
        assertProblem(create(key, Map.of("name", " ", "kind", "scheduled")), 400, "name");
        create(key, Map.of("name", uniqueName("second try"), "kind", "scheduled")).expectStatus().isCreated();
        String edgeRefused = "refused-at-the-edge-" + System.nanoTime();
        assertProblem(create(edgeRefused, Map.of("name", uniqueName("bad token"), "kind", "scheduled", "oauth_token", " ")),
                400, "oauth_token");
        create(edgeRefused, Map.of("name", uniqueName("third try"), "kind", "scheduled")).expectStatus().isCreated();
    }

    /** What a kill -9 between the command and its recorded answer leaves; then time passes. */
    private void forgetAnswer(String key) {
        assertThat(jdbc.update("UPDATE idempotency_key SET response_status = NULL, response_body = NULL WHERE idem_key = ?",
                key)).isEqualTo(1);
        TestClock.INSTANCE.advance(Duration.ofMinutes(1));
    }

    private WebTestClient.ResponseSpec create(String key, Map<String, Object> request) {
        return http.post().uri("/api/v1" + AUTOMATIONS).header("Authorization", "Bearer " + adminToken)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).bodyValue(request).exchange();
    }

    private WebTestClient.ResponseSpec invoke(String id, String key) {
        return http.post().uri("/api/v1" + AUTOMATIONS + "/" + id + "/invoke").header("Authorization", "Bearer " + adminToken)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("inputs", Map.of("n", 1))).exchange();
    }
}
