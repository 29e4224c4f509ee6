package dev.autoplane.standalone;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live run status over Server-Sent Events through the real stack (docs/runs.md "Live run status"): the
 * changes of a run as it is fired, leased and completed, the filters, team limits, resuming with
 * Last-Event-ID, the single-run stream, bad input.
 */
class RunStreamTest extends ApiTest {

    static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String RUNS = "/workspaces/" + WS + "/runs";
    final ObjectMapper json = new ObjectMapper();

    /** An active automation of the admin (extra fields added); answers its id. */
    String activeAutomation(Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", uniqueName("streamed"), "kind", "scheduled",
                "status", "active"));
        body.putAll(extra);
        return (String) createAutomation(body).get("id");
    }

    @SuppressWarnings("unchecked")
    String fire(String token, String automationId) {
        Map<String, Object> answer = body(post(token, "/workspaces/" + WS + "/automations/" + automationId + "/trigger",
                Map.of()).expectStatus().isAccepted());
        return (String) ((Map<String, Object>) answer.get("run")).get("id");
    }

    void lease(String token, Map<String, Object> body) {
        post(token, RUNS + "/lease", body).expectStatus().isOk();
    }

    void report(String token, String runId, String report, Map<String, Object> body) {
        post(token, RUNS + "/" + runId + "/" + report, body).expectStatus().isOk();
    }

    /** The run events (heartbeats left out) of a stream. */
    Flux<ServerSentEvent<String>> events(String token, String path, String lastEventId) {
        var spec = http.mutate().responseTimeout(Duration.ofMinutes(2)).build().get().uri("/api/v1" + path)
                .header("Authorization", "Bearer " + token).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            spec = spec.header("Last-Event-ID", lastEventId);
        }
        return spec.exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .filter(e -> e.event() != null);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> data(ServerSentEvent<String> event) {
        try {
            return json.readValue(event.data(), Map.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Fires, leases and completes a run of the automation; answers its id. */
    String fireLeaseComplete(String automationId) {
        String runId = fire(adminToken, automationId);
        lease(adminToken, Map.of("automation_id", automationId));
        report(adminToken, runId, "complete", Map.of("outputs", Map.of("ok", true)));
        return runId;
    }

    @Test
    void aRunsChangesAreStreamedFilteredAndResumedAfterTheLastEventId() {
        String id = activeAutomation(Map.of());
        List<ServerSentEvent<String>> seen = new ArrayList<>();
        String[] runId = new String[1];
        StepVerifier.create(events(adminToken, RUNS + "/stream?automation_id=" + id, null).take(3))
                .then(() -> runId[0] = fireLeaseComplete(id))
                .recordWith(() -> seen)
                .expectNextCount(3)
                .expectComplete()
                .verify(WAIT);
        assertThat(seen).allSatisfy(e -> assertThat(e.event()).isEqualTo("run"));
        assertThat(seen).extracting(e -> data(e).get("status")).containsExactly("scheduled", "running", "completed");
        assertThat(seen).extracting(e -> data(e).get("id")).containsOnly(runId[0]);
        assertThat(data(seen.get(2))).containsEntry("outputs", Map.of("ok", true)).containsEntry("attempt", 1);
        List<Long> ids = seen.stream().map(e -> Long.parseLong(e.id())).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();

        // resuming after the first change: exactly the later ones, in order
        StepVerifier.create(events(adminToken, RUNS + "/stream?automation_id=" + id, seen.get(0).id()).take(2))
                .assertNext(e -> assertThat(e.id()).isEqualTo(seen.get(1).id()))
                .assertNext(e -> assertThat(e.id()).isEqualTo(seen.get(2).id()))
                .expectComplete()
                .verify(WAIT);
        // and nothing more after the last one: the next change seen is a new run's
        StepVerifier.create(events(adminToken, RUNS + "/stream?automation_id=" + id, seen.get(2).id()).take(1))
                .then(() -> fire(adminToken, id))
                .assertNext(e -> assertThat(data(e)).containsEntry("status", "scheduled")
                        .doesNotContainEntry("id", runId[0]))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void whatChangedWhileNobodyListenedIsReplayedToOneWhoResumesAfterIt() {
        String id = activeAutomation(Map.of());
        List<ServerSentEvent<String>> first = new ArrayList<>();
        StepVerifier.create(events(adminToken, RUNS + "/stream?automation_id=" + id, null).take(1))
                .then(() -> fire(adminToken, id))
                .recordWith(() -> first)
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);
        // no stream is open now: the tailer folds nothing of these changes
        lease(adminToken, Map.of("automation_id", id));
        String runId = (String) data(first.get(0)).get("id");
        report(adminToken, runId, "complete", Map.of("outputs", Map.of("ok", true)));

        StepVerifier.create(events(adminToken, RUNS + "/stream?automation_id=" + id, first.get(0).id()).take(3))
                .assertNext(e -> assertThat(data(e)).containsEntry("id", runId).containsEntry("status", "running"))
                .assertNext(e -> assertThat(data(e)).containsEntry("id", runId).containsEntry("status", "completed"))
                .then(() -> fire(adminToken, id)) // and goes on live once replayed
                .assertNext(e -> assertThat(data(e)).containsEntry("status", "scheduled").doesNotContainEntry("id", runId))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void anIdBeyondTheLogResumesFromItsEnd() {
        String id = activeAutomation(Map.of());
        StepVerifier.create(events(adminToken, RUNS + "/stream?automation_id=" + id, "9000000000000000").take(1))
                .then(() -> fire(adminToken, id))
                .assertNext(e -> assertThat(data(e)).containsEntry("status", "scheduled"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void theStatusFilterAndTeamLimitsApply() {
        String team = (String) body(post(adminToken, "/workspaces/" + WS + "/teams", Map.of("name", uniqueName("sse")))
                .expectStatus().isCreated()).get("id");
        String other = (String) body(post(adminToken, "/workspaces/" + WS + "/teams", Map.of("name", uniqueName("sse b")))
                .expectStatus().isCreated()).get("id");
        String id = activeAutomation(Map.of("team_id", team));
        String user = "sse-limited-" + System.nanoTime();
        String limited = member(user, "viewer");
        http.put().uri("/api/v1/workspaces/" + WS + "/members/" + user).header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "viewer", "team_ids", List.of(other)))
                .exchange().expectStatus().isOk();
        String visibleToLimited = activeAutomation(Map.of("team_id", other));

        StepVerifier.create(events(adminToken, RUNS + "/stream?status=completed&automation_id=" + id, null).take(1))
                .then(() -> fireLeaseComplete(id))
                .assertNext(e -> assertThat(data(e)).containsEntry("status", "completed"))
                .expectComplete()
                .verify(WAIT);
        // the limited member sees nothing of the first automation's run, only the one of their team
        StepVerifier.create(events(limited, RUNS + "/stream", null).take(1))
                .then(() -> {
                    fireLeaseComplete(id);
                    fire(adminToken, visibleToLimited);
                })
                .assertNext(e -> assertThat(data(e)).containsEntry("automation_id", visibleToLimited))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void theSingleRunStreamEndsWhenTheRunEnds() {
        String id = activeAutomation(Map.of());
        String runId = fire(adminToken, id);
        StepVerifier.create(events(adminToken, RUNS + "/" + runId + "/stream", null))
                .assertNext(e -> assertThat(data(e)).containsEntry("status", "scheduled").containsEntry("id", runId))
                .then(() -> {
                    lease(adminToken, Map.of("automation_id", id));
                    report(adminToken, runId, "complete", Map.of());
                })
                .assertNext(e -> assertThat(data(e)).containsEntry("status", "running"))
                .assertNext(e -> assertThat(data(e)).containsEntry("status", "completed"))
                .expectComplete()
                .verify(WAIT);
        // an ended run: its state, then the end
        StepVerifier.create(events(adminToken, RUNS + "/" + runId + "/stream", null))
                .assertNext(e -> assertThat(data(e)).containsEntry("status", "completed"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aStreamOpensWithAKeepAliveCommentAndHeartbeatsAreNotChanges() {
        var spec = http.get().uri("/api/v1" + RUNS + "/stream").header("Authorization", "Bearer " + adminToken)
                .accept(MediaType.TEXT_EVENT_STREAM);
        StepVerifier.create(spec.exchange().expectStatus().isOk().returnResult(SSE).getResponseBody().take(1))
                .assertNext(e -> {
                    assertThat(e.comment()).isEqualTo("keep-alive");
                    assertThat(e.event()).isNull();
                })
                .expectComplete()
                .verify(WAIT);
        // a lease heartbeat moves no status: the next change after the lease is the completion
        String id = activeAutomation(Map.of());
        String runId = fire(adminToken, id);
        StepVerifier.create(events(adminToken, RUNS + "/" + runId + "/stream", null))
                .assertNext(e -> assertThat(data(e)).containsEntry("status", "scheduled"))
                .then(() -> lease(adminToken, Map.of("automation_id", id)))
                .assertNext(e -> assertThat(data(e)).containsEntry("status", "running"))
                .then(() -> {
                    report(adminToken, runId, "heartbeat", Map.of());
                    report(adminToken, runId, "complete", Map.of());
                })
                .assertNext(e -> assertThat(data(e)).containsEntry("status", "completed"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void badInputIsAProblem() {
        assertProblem(get(adminToken, RUNS + "/stream?status=sleeping").accept(MediaType.TEXT_EVENT_STREAM).exchange(),
                400, "status");
        assertProblem(get(adminToken, RUNS + "/stream?automation_id=nope").accept(MediaType.TEXT_EVENT_STREAM).exchange(),
                400, "automation_id");
        assertProblem(get(adminToken, RUNS + "/stream").header("Last-Event-ID", "yesterday")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange(), 400, "Last-Event-ID");
        assertProblem(get(adminToken, RUNS + "/01900000-0000-7000-8000-00000000dead/stream")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange(), 404);
        assertProblem(get(adminToken, RUNS + "/not-a-run/stream").accept(MediaType.TEXT_EVENT_STREAM).exchange(), 404);
    }
}
