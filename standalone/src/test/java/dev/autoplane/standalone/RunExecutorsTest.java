package dev.autoplane.standalone;

import dev.autoplane.command.run.LeaseSweeper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pull executors through the real stack (docs/runs.md "Executors"): lease, heartbeat, complete, fail and
 * retry, delegate, cancel; who may; one winner when executors race; a waiting lease wakes when a run is
 * fired; an expired lease comes back as a new attempt.
 */
class RunExecutorsTest extends ApiTest {

    static final String RUNS = "/workspaces/" + WS + "/runs";

    @Autowired
    LeaseSweeper sweeper;

    /** An active automation of the admin (extra fields added); answers its id. */
    String activeAutomation(Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", uniqueName("executed"), "kind", "scheduled",
                "status", "active", "default_inputs", Map.of("greeting", "hello")));
        body.putAll(extra);
        return (String) createAutomation(body).get("id");
    }

    @SuppressWarnings("unchecked")
    String fire(String token, String automationId) {
        Map<String, Object> answer = body(post(token, "/workspaces/" + WS + "/automations/" + automationId + "/trigger",
                Map.of("inputs", Map.of("n", 1))).expectStatus().isAccepted());
        return (String) ((Map<String, Object>) answer.get("run")).get("id");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> lease(String token, Map<String, Object> body) {
        return (List<Map<String, Object>>) body(post(token, RUNS + "/lease", body).expectStatus().isOk()).get("runs");
    }

    Map<String, Object> report(String token, String runId, String report, Map<String, Object> body) {
        return body(post(token, RUNS + "/" + runId + "/" + report, body).expectStatus().isOk());
    }

    Map<String, Object> runView(String runId) {
        return body(get(adminToken, RUNS + "/" + runId).exchange().expectStatus().isOk());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLeasedRunCarriesItsDefinitionAndIsHeartbeatedAndCompletedByItsHolder() {
        String id = activeAutomation(Map.of("prompt", "Summarise the week", "config", Map.of("channel", "general")));
        String runId = fire(adminToken, id);
        List<Map<String, Object>> leased = lease(adminToken, Map.of("automation_id", id, "max_runs", 10));
        assertThat(leased).hasSize(1);
        Map<String, Object> run = leased.get(0);
        assertThat(run).containsEntry("id", runId).containsEntry("status", "running").containsEntry("attempt", 1)
                .containsEntry("max_attempts", 1).containsEntry("automation_id", id)
                .containsEntry("inputs", Map.of("greeting", "hello", "n", 1)).containsKeys("lease_id", "lease_expires_at");
        assertThat((Map<String, Object>) run.get("definition")).containsEntry("kind", "scheduled")
                .containsEntry("prompt", "Summarise the week").containsEntry("config", Map.of("channel", "general"));
        String leaseId = (String) run.get("lease_id");
        assertThat(lease(adminToken, Map.of("automation_id", id))).as("leased once").isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(automation(id))
                .as("the automation's runs while one runs").containsEntry("last_run_status", "running")
                .containsEntry("run_counts", Map.of("scheduled", 0, "running", 1, "delegated", 0, "completed", 0,
                        "failed", 0, "canceled", 0)));

        Map<String, Object> beat = report(adminToken, runId, "heartbeat", Map.of("lease_id", leaseId));
        assertThat(beat).containsEntry("status", "running").containsKey("lease_expires_at");

        String stranger = member("executor-stranger-" + System.nanoTime(), "editor");
        Map<String, Object> refused = assertProblem(post(stranger, RUNS + "/" + runId + "/complete", Map.of()), 409);
        assertThat(refused).containsEntry("current_status", "running");

        Map<String, Object> done = report(adminToken, runId, "complete", Map.of("outputs", Map.of("rows", 3),
                "lease_id", leaseId));
        assertThat(done).containsEntry("status", "completed").containsEntry("outputs", Map.of("rows", 3));
        assertThat(report(adminToken, runId, "complete", Map.of("outputs", Map.of("rows", 3), "lease_id", leaseId)))
                .as("a repeated identical report answers the same").isEqualTo(done);
        assertThat(assertProblem(post(adminToken, RUNS + "/" + runId + "/complete", Map.of("outputs", Map.of("rows", 4))),
                409)).containsEntry("current_status", "completed");
        assertThat(assertProblem(post(adminToken, RUNS + "/" + runId + "/heartbeat", Map.of()), 409))
                .containsEntry("current_status", "completed");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> view = runView(runId);
            assertThat(view).containsEntry("status", "completed").containsEntry("attempt", 1)
                    .containsEntry("outputs", Map.of("rows", 3)).containsKey("ended_at");
            assertThat((List<Map<String, Object>>) view.get("attempts")).singleElement()
                    .satisfies(a -> assertThat(a).containsEntry("attempt", 1).containsEntry("outcome", "completed"));
            assertThat(automation(id)).containsEntry("last_run_status", "completed")
                    .containsEntry("run_counts", Map.of("scheduled", 0, "running", 0, "delegated", 0, "completed", 1,
                            "failed", 0, "canceled", 0));
            List<Map<String, Object>> listed = (List<Map<String, Object>>) body(http.get()
                    .uri("/api/v1/workspaces/{ws}/automations?filter={f}", WS, "id == \"" + id + "\"")
                    .header("Authorization", "Bearer " + adminToken).exchange().expectStatus().isOk()).get("automations");
            assertThat(listed).singleElement().satisfies(a -> assertThat(a).containsEntry("last_run_status", "completed"));
        });
    }

    Map<String, Object> automation(String id) {
        return body(get(adminToken, "/workspaces/" + WS + "/automations/" + id).exchange().expectStatus().isOk());
    }

    @Test
    void aRetryableFailureSchedulesTheNextAttemptAndTheLastOneFailsTheRun() {
        String id = activeAutomation(Map.of("retry", Map.of("strategy", "fixed", "max_retries", 1, "base_delay", "1s")));
        String runId = fire(adminToken, id);
        Map<String, Object> first = lease(adminToken, Map.of("automation_id", id)).get(0);
        assertThat(first).containsEntry("attempt", 1).containsEntry("max_attempts", 2);
        Map<String, Object> failed = report(adminToken, runId, "fail", Map.of("error", "disk full"));
        assertThat(failed).containsEntry("status", "scheduled").containsEntry("error", "disk full")
                .containsKey("next_attempt_at");
        assertThat(report(adminToken, runId, "fail", Map.of("error", "disk full"))).as("repeated").isEqualTo(failed);

        List<Map<String, Object>> again = lease(adminToken, Map.of("automation_id", id, "wait_seconds", 15));
        assertThat(again).singleElement().satisfies(r -> assertThat(r).containsEntry("attempt", 2));
        Map<String, Object> end = report(adminToken, runId, "fail", Map.of("error", "disk still full"));
        assertThat(end).containsEntry("status", "failed").containsEntry("error", "disk still full");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(body(get(adminToken,
                "/workspaces/" + WS + "/automations/" + id).exchange().expectStatus().isOk()))
                .as("the automation's last_error").containsEntry("last_error", "disk still full"));
    }

    @Test
    void aRunThatIsNotRetryableFailsAtOnceAndADelegatedOneCompletesLater() {
        String id = activeAutomation(Map.of("retry", Map.of("strategy", "exponential", "max_retries", 3, "base_delay", "1m")));
        String failing = fire(adminToken, id);
        lease(adminToken, Map.of("automation_id", id));
        assertThat(report(adminToken, failing, "fail", Map.of("error", "bad input", "retryable", false)))
                .containsEntry("status", "failed");

        String delegated = fire(adminToken, id);
        lease(adminToken, Map.of("automation_id", id));
        assertThat(report(adminToken, delegated, "delegate", Map.of("external_ref", "job-77")))
                .containsEntry("status", "delegated").containsEntry("external_ref", "job-77")
                .doesNotContainKey("lease_expires_at");
        assertThat(report(adminToken, delegated, "delegate", Map.of("external_ref", "job-77"))).as("repeated")
                .containsEntry("status", "delegated");
        assertThat(report(adminToken, delegated, "complete", Map.of())).containsEntry("status", "completed");
    }

    @Test
    void anOpenRunCanBeCanceledAndIsThenNeitherLeasedNorReported() {
        String id = activeAutomation(Map.of());
        String runId = fire(adminToken, id);
        Map<String, Object> canceled = report(adminToken, runId, "cancel", Map.of("reason", "not needed"));
        assertThat(canceled).containsEntry("status", "canceled").containsEntry("reason", "not needed");
        assertThat(report(adminToken, runId, "cancel", Map.of())).containsEntry("status", "canceled");
        assertThat(lease(adminToken, Map.of("automation_id", id))).isEmpty();

        String running = fire(adminToken, id);
        lease(adminToken, Map.of("automation_id", id));
        report(adminToken, running, "cancel", Map.of());
        assertThat(assertProblem(post(adminToken, RUNS + "/" + running + "/complete", Map.of()), 409))
                .containsEntry("current_status", "canceled");
    }

    @Test
    void anAutomationsOwnCredentialLeasesAndCancelsItsOwnRunsOnly() {
        Map<String, String> machine = createMachine(adminToken, WS, Map.of("status", "active",
                "scopes", List.of("run.write", "run.read")));
        String token = accessToken(machine.get("id"), machine.get("secret"));
        String runId = fire(adminToken, machine.get("id"));
        String other = activeAutomation(Map.of());
        String otherRun = fire(adminToken, other);

        assertProblem(post(token, RUNS + "/lease", Map.of("automation_id", other)), 403);
        List<Map<String, Object>> leased = lease(token, Map.of("max_runs", 100));
        assertThat(leased).extracting(r -> r.get("id")).containsExactly(runId);
        assertThat(report(token, runId, "complete", Map.of())).containsEntry("status", "completed");
        assertProblem(post(token, RUNS + "/" + otherRun + "/cancel", Map.of()), 404);

        String second = fire(adminToken, machine.get("id"));
        assertThat(report(token, second, "cancel", Map.of())).containsEntry("status", "canceled");
        report(adminToken, otherRun, "cancel", Map.of());
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        String id = activeAutomation(Map.of());
        String runId = fire(adminToken, id);
        assertProblem(post(adminToken, RUNS + "/lease", Map.of("wait_seconds", 31)), 400, "wait_seconds");
        assertProblem(post(adminToken, RUNS + "/lease", Map.of("max_runs", 0)), 400, "max_runs");
        assertProblem(post(adminToken, RUNS + "/lease", Map.of("max_runs", "ten")), 400, "max_runs");
        assertProblem(post(adminToken, RUNS + "/lease", Map.of("automation_id", "nope")), 400, "automation_id");
        assertProblem(post(adminToken, RUNS + "/lease", Map.of("colour", "blue")), 400, "colour");
        assertProblem(post(adminToken, RUNS + "/lease", Map.of("wait_seconds", -1, "max_runs", 101, "colour", "blue")),
                400, "wait_seconds", "max_runs", "colour");
        assertProblem(post(adminToken, RUNS + "/" + runId + "/fail", Map.of()), 400, "error");
        assertProblem(post(adminToken, RUNS + "/" + runId + "/fail", Map.of("error", "x", "retryable", "yes")), 400,
                "retryable");
        assertProblem(post(adminToken, RUNS + "/" + runId + "/delegate", Map.of()), 400, "external_ref");
        assertProblem(post(adminToken, RUNS + "/" + runId + "/complete", Map.of("outputs", List.of(1))), 400, "outputs");
        assertProblem(post(adminToken, RUNS + "/not-a-run/cancel", Map.of()), 404);
        assertProblem(post(adminToken, RUNS + "/01900000-0000-7000-8000-00000000dead/cancel", Map.of()), 404);
        assertThat(lease(adminToken, Map.of("automation_id", id))).extracting(r -> r.get("attempt")).containsExactly(1);
    }

    @Test
    void twoExecutorsRacingForOneRunLeaseItOnceTwentyTimesInARow() throws Exception {
        String id = activeAutomation(Map.of());
        String one = member("racer-one-" + System.nanoTime(), "editor");
        String two = member("racer-two-" + System.nanoTime(), "editor");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String runId = fire(adminToken, id);
                CyclicBarrier start = new CyclicBarrier(2);
                List<CompletableFuture<List<Map<String, Object>>>> racers = new ArrayList<>();
                for (String token : List.of(one, two)) {
                    racers.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            start.await(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return lease(token, Map.of("automation_id", id, "max_runs", 5));
                    }, pool));
                }
                List<Object> won = new ArrayList<>();
                for (var racer : racers) {
                    racer.get(60, TimeUnit.SECONDS).forEach(r -> won.add(r.get("id")));
                }
                assertThat(won).as("round %d", round).containsExactly(runId);
                report(adminToken, runId, "cancel", Map.of());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWaitingLeaseWakesWhenARunIsFired() throws Exception {
        String id = activeAutomation(Map.of());
        long started = System.nanoTime();
        CompletableFuture<List<Map<String, Object>>> waiting = CompletableFuture.supplyAsync(() ->
                lease(adminToken, Map.of("automation_id", id, "wait_seconds", 25)));
        await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - started > 500_000_000L);
        assertThat(waiting).isNotDone();
        long fired = System.nanoTime();
        String runId = fire(adminToken, id);
        List<Map<String, Object>> leased = waiting.get(30, TimeUnit.SECONDS);
        long answeredAfterFire = System.nanoTime() - fired;
        assertThat(leased).extracting(r -> r.get("id")).containsExactly(runId);
        assertThat(Duration.ofNanos(answeredAfterFire)).as("answered on the fire, not when the wait ended")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(lease(adminToken, Map.of("automation_id", id))).as("an empty wait answers an empty list").isEmpty();
    }

    @Test
    void anExpiredLeaseReturnsTheRunAsANewAttemptAndFailsItWhenAttemptsAreSpent() {
        String id = activeAutomation(Map.of("retry", Map.of("strategy", "fixed", "max_retries", 1, "base_delay", "1s")));
        String runId = fire(adminToken, id);
        assertThat(lease(adminToken, Map.of("automation_id", id))).hasSize(1);
        Instant now = TestClock.INSTANCE.freeze();
        TestClock.INSTANCE.set(now.plusSeconds(120));
        sweeper.sweepOnce();
        Map<String, Object> back = runViewAfter(runId, "scheduled");
        assertThat(back).containsEntry("attempt", 1);
        TestClock.INSTANCE.set(now.plusSeconds(130));
        assertThat(lease(adminToken, Map.of("automation_id", id))).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("attempt", 2));
        TestClock.INSTANCE.set(now.plusSeconds(300));
        sweeper.sweepOnce();
        Map<String, Object> failed = runViewAfter(runId, "failed");
        assertThat((String) failed.get("error")).contains("lease expired");
    }

    private Map<String, Object> runViewAfter(String runId, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(runView(runId)).containsEntry("status", status));
        return runView(runId);
    }
}
