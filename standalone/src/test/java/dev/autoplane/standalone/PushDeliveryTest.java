package dev.autoplane.standalone;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Push delivery through the real stack (docs/runs.md "Push delivery"), against a local receiver that checks the
 * Standard Webhooks signature on its own: 2xx delegates (then the automation's own credential completes), 500 and
 * a reset record {@code delivery_error} and are tried again within the attempt, 429 waits its {@code Retry-After},
 * a hang ends in the (test-short) timeout, a 4xx fails the attempt; the rotation's grace sends both signatures;
 * the secret shows once. The suite runs with {@code autoplane.delivery.allow-private-networks=true}
 * ({@code ApiTest}); {@code DeliveryRestartTest} covers the refusal without it, and a restart.
 */
class PushDeliveryTest extends ApiTest {

    static final String RUNS = "/workspaces/" + WS + "/runs";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(30);

    WebhookReceiver receiver;

    @BeforeEach
    void receive() {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stopReceiving() {
        receiver.close();
    }

    /** An active automation whose runs go to {@code path}; answers {id, secret (its credential), signing_secret}. */
    @SuppressWarnings("unchecked")
    Map<String, String> pushAutomation(String path, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", uniqueName("pushed"), "kind", "scheduled",
                "status", "active", "scopes", List.of("run.write", "run.read"),
                "delivery", Map.of("url", receiver.url(path))));
        body.putAll(extra);
        Map<String, Object> answer = body(post(adminToken, "/workspaces/" + WS + "/automations", body)
                .expectStatus().isCreated());
        Map<String, Object> automation = (Map<String, Object>) answer.get("automation");
        Map<String, Object> delivery = (Map<String, Object>) automation.get("delivery");
        assertThat(delivery).containsEntry("url", receiver.url(path)).containsEntry("signing_secret_present", true);
        String signing = (String) delivery.get("signing_secret");
        assertThat(signing).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(signing.substring(6))).hasSize(32);
        issued(signing);
        issued(signing.substring(6));
        return Map.of("id", (String) automation.get("id"), "secret", issued((String) answer.get("secret")),
                "signing_secret", signing);
    }

    @SuppressWarnings("unchecked")
    String fire(String automationId) {
        Map<String, Object> answer = body(post(adminToken, "/workspaces/" + WS + "/automations/" + automationId
                + "/trigger", Map.of("inputs", Map.of("n", 1))).expectStatus().isAccepted());
        return (String) ((Map<String, Object>) answer.get("run")).get("id");
    }

    Map<String, Object> runView(String runId) {
        return body(get(adminToken, RUNS + "/" + runId).exchange().expectStatus().isOk());
    }

    WebhookReceiver.Delivery awaitDelivery(String path, int n) {
        await().atMost(WAIT).until(() -> receiver.received(path).size() >= n);
        return receiver.received(path).get(n - 1);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(WebhookReceiver.Delivery d) {
        return JSON.readValue(d.body(), Map.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDeliveredRunIsSignedDelegatedAndCompletedByTheAutomationsCredential() {
        Map<String, String> a = pushAutomation("/ok", Map.of("prompt", "Summarise the week"));
        Map<String, Object> read = body(get(adminToken, "/workspaces/" + WS + "/automations/" + a.get("id")).exchange()
                .expectStatus().isOk());
        assertThat((Map<String, Object>) read.get("delivery")).as("the secret shows once")
                .isEqualTo(Map.of("url", receiver.url("/ok"), "signing_secret_present", true));

        String runId = fire(a.get("id"));
        WebhookReceiver.Delivery d = awaitDelivery("/ok", 1);
        assertThat(WebhookReceiver.verifiedBy(d, List.of(a.get("signing_secret")))).hasSize(1);
        assertThat(WebhookReceiver.verifiedBy(d, List.of("whsec_" + java.util.Base64.getEncoder()
                .encodeToString(new byte[32])))).as("another secret does not verify").isEmpty();
        assertThat(d.header("webhook-id")).isEqualTo(runId + "_1");
        assertThat(Long.parseLong(d.header("webhook-timestamp")))
                .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(300L));
        assertThat(d.header("content-type")).startsWith("application/json");
        Map<String, Object> body = json(d);
        assertThat(body).containsEntry("id", runId).containsEntry("status", "running").containsEntry("attempt", 1)
                .containsEntry("automation_id", a.get("id")).containsKeys("lease_id", "lease_expires_at", "inputs");
        assertThat((String) body.get("lease_id")).startsWith("delivery:");
        assertThat((Map<String, Object>) body.get("definition")).containsEntry("prompt", "Summarise the week");

        await().atMost(WAIT).untilAsserted(() -> assertThat(runView(runId)).containsEntry("status", "delegated")
                .containsEntry("external_ref", "webhook " + runId + "_1"));
        String own = accessToken(a.get("id"), a.get("secret"));
        Map<String, Object> done = body(post(own, RUNS + "/" + runId + "/complete", Map.of("outputs", Map.of("rows", 3)))
                .expectStatus().isOk());
        assertThat(done).containsEntry("status", "completed").containsEntry("outputs", Map.of("rows", 3));
        assertThat(receiver.received("/ok")).as("delivered once").hasSize(1);
    }

    @Test
    void aPullExecutorDoesNotLeaseARunThatIsPushed() {
        receiver.answer("/slow", n -> WebhookReceiver.Answer.status(500));
        TestClock.INSTANCE.freeze(); // the retry never comes due
        Map<String, String> a = pushAutomation("/slow", Map.of());
        String runId = fire(a.get("id"));
        awaitDelivery("/slow", 1);
        assertThat(body(post(adminToken, RUNS + "/lease", Map.of("automation_id", a.get("id"))).expectStatus().isOk()))
                .containsEntry("runs", List.of());
        assertThat(runView(runId)).containsEntry("status", "running");
    }

    @Test
    void a500IsRecordedAndTriedAgainAfterTheBackoffWithinTheSameAttempt() {
        receiver.answer("/flaky", n -> WebhookReceiver.Answer.status(n == 1 ? 500 : 200));
        Instant t0 = TestClock.INSTANCE.freeze();
        Map<String, String> a = pushAutomation("/flaky", Map.of());
        String runId = fire(a.get("id"));
        awaitDelivery("/flaky", 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(runView(runId)).containsEntry("status", "running")
                .containsEntry("delivery_error", "HTTP 500").containsEntry("delivery_error_at", t0.toString())
                .containsEntry("attempt", 1));
        assertThat(receiver.received("/flaky")).as("not before the backoff").hasSize(1);

        TestClock.INSTANCE.advance(Duration.ofSeconds(5));
        WebhookReceiver.Delivery second = awaitDelivery("/flaky", 2);
        assertThat(second.header("webhook-id")).as("the same message, tried again").isEqualTo(runId + "_1");
        assertThat(WebhookReceiver.verifiedBy(second, List.of(a.get("signing_secret")))).hasSize(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(runView(runId)).containsEntry("status", "delegated")
                .containsEntry("attempt", 1));
    }

    @Test
    void a429WaitsItsRetryAfter() {
        receiver.answer("/busy", n -> n == 1 ? new WebhookReceiver.Answer(429, Map.of("Retry-After", "120"))
                : WebhookReceiver.Answer.status(202));
        Instant t0 = TestClock.INSTANCE.freeze();
        Map<String, String> a = pushAutomation("/busy", Map.of());
        String runId = fire(a.get("id"));
        awaitDelivery("/busy", 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(runView(runId)).containsEntry("delivery_error", "HTTP 429"));
        TestClock.INSTANCE.set(t0.plusSeconds(119));
        assertThat(runView(runId)).containsEntry("status", "running");
        TestClock.INSTANCE.set(t0.plusSeconds(120));
        awaitDelivery("/busy", 2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(runView(runId)).containsEntry("status", "delegated"));
    }

    @Test
    void aHangEndsInTheTimeoutAndAResetIsAConnectionFailureBothTriedAgain() {
        receiver.answer("/hang", n -> n == 1 ? WebhookReceiver.Answer.HANG : WebhookReceiver.Answer.status(200));
        receiver.answer("/reset", n -> n == 1 ? WebhookReceiver.Answer.RESET : WebhookReceiver.Answer.status(200));
        TestClock.INSTANCE.freeze();
        Map<String, String> hanging = pushAutomation("/hang", Map.of());
        Map<String, String> resetting = pushAutomation("/reset", Map.of());
        String hangRun = fire(hanging.get("id"));
        String resetRun = fire(resetting.get("id"));
        await().atMost(WAIT).untilAsserted(() -> assertThat((String) runView(hangRun).get("delivery_error"))
                .startsWith("timeout"));
        await().atMost(WAIT).untilAsserted(() -> assertThat((String) runView(resetRun).get("delivery_error"))
                .startsWith("connection failed"));
        TestClock.INSTANCE.advance(Duration.ofSeconds(5));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(runView(hangRun)).containsEntry("status", "delegated");
            assertThat(runView(resetRun)).containsEntry("status", "delegated");
        });
    }

    @Test
    void aDeadEndpointHoldsAtMostTwoSendsAndOtherAutomationsAreStillDelivered() {
        Instant t0 = TestClock.INSTANCE.freeze(); // a hung send's retry never comes due: every run is tried once
        Map<String, String> dead = pushAutomation("/dead", Map.of("overlap_policy", "allow"));
        // when the k-th send arrives, at least k - 2 earlier sends must have ended (their failure recorded)
        Map<Integer, Long> endedBefore = new java.util.concurrent.ConcurrentHashMap<>();
        receiver.answer("/dead", n -> {
            endedBefore.put(n, jdbc.queryForObject("SELECT COUNT(*) FROM run_queue WHERE automation_id = ?"
                    + " AND status = 'running' AND delivery_due_at > ?", Long.class, dead.get("id"),
                    java.sql.Timestamp.from(t0)));
            return WebhookReceiver.Answer.HANG;
        });
        List<String> deadRuns = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            deadRuns.add(fire(dead.get("id")));
        }
        Map<String, String> alive = pushAutomation("/alive", Map.of());
        String aliveRun = fire(alive.get("id"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(runView(aliveRun)).containsEntry("status", "delegated"));
        await().atMost(WAIT).untilAsserted(() -> deadRuns.forEach(r -> assertThat((String) runView(r)
                .get("delivery_error")).as(r).startsWith("timeout")));
        assertThat(receiver.received("/dead")).hasSize(6);
        assertThat(endedBefore).hasSize(6);
        endedBefore.forEach((k, ended) -> assertThat(ended).as("sends ended before send %d arrived", k)
                .isGreaterThanOrEqualTo(k - 2L));
    }

    @Test
    void a4xxFailsTheAttemptThroughTheRetryPolicy() {
        receiver.answer("/gone", n -> WebhookReceiver.Answer.status(n == 1 ? 404 : 200));
        receiver.answer("/moved", n -> new WebhookReceiver.Answer(302, Map.of("Location", receiver.url("/ok"))));
        Instant t0 = TestClock.INSTANCE.freeze();
        Map<String, String> a = pushAutomation("/gone", Map.of("retry", Map.of("strategy", "fixed", "max_retries", 1,
                "base_delay", "1m")));
        String runId = fire(a.get("id"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(runView(runId)).containsEntry("status", "scheduled")
                .containsEntry("error", "delivery rejected: HTTP 404")
                .containsEntry("next_attempt_at", t0.plusSeconds(60).toString()));
        TestClock.INSTANCE.advance(Duration.ofSeconds(60));
        WebhookReceiver.Delivery second = awaitDelivery("/gone", 2);
        assertThat(second.header("webhook-id")).as("a new attempt").isEqualTo(runId + "_2");
        await().atMost(WAIT).untilAsserted(() -> assertThat(runView(runId)).containsEntry("status", "delegated")
                .containsEntry("attempt", 2));

        Map<String, String> redirected = pushAutomation("/moved", Map.of());
        String moved = fire(redirected.get("id"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(runView(moved)).containsEntry("status", "failed")
                .containsEntry("error", "delivery rejected: HTTP 302 (redirects are not followed)"));
        assertThat(receiver.received("/ok")).as("the redirect was not followed").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void duringTheRotationGraceBothSignaturesAreSentThenOnlyTheNewOne() {
        Instant t0 = TestClock.INSTANCE.freeze();
        Map<String, String> a = pushAutomation("/rotated", Map.of());
        String old = a.get("signing_secret");
        Map<String, Object> rotated = body(post(adminToken, "/workspaces/" + WS + "/automations/" + a.get("id")
                + "/delivery/rotate-secret", Map.of("grace_period_seconds", 60)).expectStatus().isOk());
        String fresh = issued((String) rotated.get("signing_secret"));
        issued(fresh.substring(6));
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
        assertThat(rotated).containsEntry("previous_secret_valid_until", t0.plusSeconds(60).toString());
        assertThat((Map<String, Object>) ((Map<String, Object>) rotated.get("automation")).get("delivery"))
                .doesNotContainKey("signing_secret").containsEntry("signing_secret_present", true);

        fire(a.get("id"));
        WebhookReceiver.Delivery during = awaitDelivery("/rotated", 1);
        assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
        assertThat(WebhookReceiver.verifiedBy(during, List.of(old, fresh))).containsExactlyInAnyOrder(old, fresh);

        TestClock.INSTANCE.set(t0.plusSeconds(60));
        fire(a.get("id"));
        WebhookReceiver.Delivery after = awaitDelivery("/rotated", 2);
        assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
        assertThat(WebhookReceiver.verifiedBy(after, List.of(old, fresh))).containsExactly(fresh);
    }

    @Test
    void badDeliveryInputIsAProblemOnItsField() {
        String path = "/workspaces/" + WS + "/automations";
        assertProblem(post(adminToken, path, Map.of("name", uniqueName("bad"), "kind", "scheduled",
                "delivery", Map.of("url", "ftp://example.com/x"))), 400, "delivery.url");
        assertProblem(post(adminToken, path, Map.of("name", uniqueName("bad"), "kind", "scheduled",
                "delivery", Map.of("url", "not a url"))), 400, "delivery.url");
        assertProblem(post(adminToken, path, Map.of("name", uniqueName("bad"), "kind", "scheduled",
                "delivery", Map.of())), 400, "delivery.url");
        assertProblem(post(adminToken, path, Map.of("name", uniqueName("bad"), "kind", "scheduled",
                "delivery", Map.of("url", receiver.url("/x"), "secret", "mine"))), 400, "delivery.secret");
        assertProblem(post(adminToken, path, Map.of("name", uniqueName("bad"), "kind", "scheduled",
                "delivery", "https://example.com")), 400, "delivery");
        assertProblem(post(adminToken, path, Map.of("name", uniqueName("bad"), "kind", "scheduled",
                "delivery", Map.of("url", "https://no-such-host.invalid/runs"))), 400, "delivery.url");
        String id = (String) createDraft(uniqueName("undelivered")).get("id");
        assertProblem(post(adminToken, path + "/" + id + "/delivery/rotate-secret", Map.of()), 409);
        assertProblem(post(adminToken, path + "/" + id + "/delivery/rotate-secret",
                Map.of("grace_period_seconds", -1)), 400, "grace_period_seconds");
        assertProblem(post(adminToken, path + "/" + id + "/delivery/rotate-secret",
                Map.of("grace", 1)), 400, "grace");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPatchSetsOrSwitchesOffTheDelivery() {
        String id = (String) createDraft(uniqueName("patched")).get("id");
        String path = "/workspaces/" + WS + "/automations/" + id;
        Map<String, Object> set = body(patch(adminToken, path, Map.of("delivery", Map.of("url", receiver.url("/p"))))
                .expectStatus().isOk());
        String secret = issued((String) ((Map<String, Object>) set.get("delivery")).get("signing_secret"));
        issued(secret.substring(6));
        assertThat(secret).startsWith("whsec_");
        Map<String, Object> renamed = body(patch(adminToken, path, Map.of("description", "x")).expectStatus().isOk());
        assertThat(renamed.get("delivery")).isEqualTo(Map.of("url", receiver.url("/p"), "signing_secret_present", true));
        Map<String, Object> cleared = body(patch(adminToken, path, new HashMap<>(java.util.Collections.singletonMap(
                "delivery", null))).expectStatus().isOk());
        assertThat(cleared).doesNotContainKey("delivery");
    }
}
