package dev.autoplane.standalone;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Inbound signed webhooks through the real stack: webhook triggers get an endpoint and a secret shown
 * once; deliveries in both header families are signed here independently (the Standard Webhooks
 * library for one, the JDK's {@code Mac} for the other) and fire the matching automations through
 * the normal path.
 */
class InboundWebhookTest extends ApiTest {

    static final String BASE = "/workspaces/" + WS;

    // --- helpers

    Map<String, Object> automation(String status) {
        Map<String, Object> body = new HashMap<>(Map.of("name", uniqueName("webhook"), "kind", "scheduled"));
        if (status != null) {
            body.put("status", status);
        }
        return createAutomation(body);
    }

    /** Adds a webhook trigger; answers the trigger as created (with webhook_secret when the endpoint is new). */
    Map<String, Object> webhookTrigger(String automationId, Map<String, Object> trigger) {
        Map<String, Object> body = new HashMap<>(trigger);
        body.put("type", "webhook");
        Map<String, Object> answer = body(post(adminToken, BASE + "/automations/" + automationId + "/triggers", body)
                .expectStatus().isCreated());
        issued((String) answer.get("webhook_secret"));
        return answer;
    }

    static String slug(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String standardSignature(String secret, String id, long ts, String body) {
        try {
            return new Webhook(secret).sign(id, ts, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seed's family, computed with the JDK: hex HMAC-SHA256 of "timestamp.body", keyed by the secret string. */
    static String aghSignature(String secret, long ts, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal((ts + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    WebTestClient.ResponseSpec deliverStandard(String slug, String secret, String id, long ts, String body) {
        return http.post().uri("/api/webhooks/workspaces/" + WS + "/" + slug)
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(ts))
                .header("webhook-signature", standardSignature(secret, id, ts, body))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    WebTestClient.ResponseSpec deliverAgh(String slug, String secret, String id, long ts, String body) {
        var spec = http.post().uri("/api/webhooks/workspaces/" + WS + "/" + slug)
                .header("X-AGH-Webhook-Timestamp", Long.toString(ts))
                .header("X-AGH-Webhook-Signature", aghSignature(secret, ts, body));
        if (id != null) {
            spec = spec.header("X-AGH-Webhook-Id", id);
        }
        return spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> result(Map<String, Object> answer) {
        return (Map<String, Object>) answer.get("result");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> runs(Map<String, Object> answer) {
        return (List<Map<String, Object>>) result(answer).get("runs");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> outcomes(Map<String, Object> answer) {
        return (List<Map<String, Object>>) result(answer).get("outcomes");
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    // --- tests

    @Test
    void aStandardWebhooksDeliveryFiresTheTriggerAndTheSecretIsShownOnce() {
        String aid = (String) automation("active").get("id");
        String slug = slug("std");
        Map<String, Object> trigger = webhookTrigger(aid, Map.of("event", "order.created", "config", Map.of("endpoint", slug)));
        String secret = (String) trigger.get("webhook_secret");
        assertThat(secret).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(trigger).containsEntry("endpoint_slug", slug).containsEntry("webhook_secret_present", true)
                .containsKeys("webhook_id", "webhook_secret_hash", "endpoint_url");
        assertThat((String) trigger.get("endpoint_url")).endsWith("/api/webhooks/workspaces/" + WS + "/" + slug);
        assertThat(trigger.get("webhook_secret_hash")).isNotEqualTo(secret);

        String id = "msg_" + UUID.randomUUID();
        Map<String, Object> answer = body(deliverStandard(slug, secret, id, now(), "{\"event\":\"order.created\",\"n\":1}")
                .expectStatus().isAccepted());
        assertThat(result(answer)).containsEntry("matched", 1);
        Map<String, Object> run = runs(answer).get(0);
        assertThat(run).containsEntry("trigger_type", "webhook").containsEntry("trigger_id", trigger.get("id"))
                .containsEntry("automation_id", aid).containsEntry("status", "scheduled");
        assertThat((String) run.get("fire_id")).endsWith("/webhook/" + id);
        await().untilAsserted(() -> assertThat(body(get(adminToken, BASE + "/runs/" + run.get("id")).exchange()
                .expectStatus().isOk())).containsEntry("trigger_type", "webhook"));

        // a second trigger on the same endpoint shares its secret: none is shown again
        String other = (String) automation("active").get("id");
        Map<String, Object> second = webhookTrigger(other, Map.of("config", Map.of("endpoint", slug)));
        assertThat(second).doesNotContainKey("webhook_secret").containsEntry("webhook_secret_hash", trigger.get("webhook_secret_hash"));
        // and the automation's trigger reads never show it
        assertThat(get(adminToken, BASE + "/automations/" + aid + "/triggers").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).doesNotContain(secret);
    }

    @Test
    void theSeedsHeaderFamilyFiresToo() {
        String aid = (String) automation("active").get("id");
        String slug = slug("agh");
        String secret = (String) webhookTrigger(aid, Map.of("config", Map.of("endpoint", slug))).get("webhook_secret");
        Map<String, Object> answer = body(deliverAgh(slug, secret, "agh-" + UUID.randomUUID(), now(), "{\"type\":\"push\"}")
                .expectStatus().isAccepted());
        assertThat(result(answer)).containsEntry("matched", 1);
        assertThat(runs(answer)).hasSize(1);
        // without an id header the signature is the delivery id: the same request again is a repeat
        long ts = now();
        Map<String, Object> first = body(deliverAgh(slug, secret, null, ts, "{\"type\":\"push\",\"k\":2}").expectStatus().isAccepted());
        deliverAgh(slug, secret, null, ts, "{\"type\":\"push\",\"k\":2}").expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(Map.class).isEqualTo(first);
    }

    @Test
    void timestampsWithinFiveMinutesVerifyAndOutsideAreRejectedAlike() {
        String aid = (String) automation("active").get("id");
        String slug = slug("tol");
        String secret = (String) webhookTrigger(aid, Map.of("config", Map.of("endpoint", slug))).get("webhook_secret");
        long now = TestClock.INSTANCE.freeze().getEpochSecond();
        String body = "{\"event\":\"x\"}";
        deliverStandard(slug, secret, "t1-" + UUID.randomUUID(), now - 300, body).expectStatus().isAccepted();
        deliverStandard(slug, secret, "t2-" + UUID.randomUUID(), now + 300, body).expectStatus().isAccepted();
        Map<String, Object> old = rejection(deliverStandard(slug, secret, "t3-" + UUID.randomUUID(), now - 301, body));
        Map<String, Object> future = rejection(deliverAgh(slug, secret, "t4-" + UUID.randomUUID(), now + 301, body));
        Map<String, Object> badSignature = rejection(deliverStandard(slug, "whsec_" + java.util.Base64.getEncoder()
                .encodeToString(new byte[32]), "t5-" + UUID.randomUUID(), now, body));
        Map<String, Object> unknown = rejection(deliverStandard(slug("nope"), secret, "t6-" + UUID.randomUUID(), now, body));
        Map<String, Object> unsigned = rejection(http.post().uri("/api/webhooks/workspaces/" + WS + "/" + slug)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange());
        unknown.remove("instance");
        old.remove("instance");
        for (Map<String, Object> other : List.of(future, badSignature, unsigned)) {
            other.remove("instance");
            assertThat(other).isEqualTo(old);
        }
        assertThat(unknown).isEqualTo(old);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_delivery WHERE endpoint_key = ?", Integer.class,
                WS + "/" + slug)).isEqualTo(2);
    }

    /** A 401 problem with the request id removed (the one part that differs per request). */
    Map<String, Object> rejection(WebTestClient.ResponseSpec response) {
        Map<String, Object> problem = new HashMap<>(assertProblem(response, 401));
        problem.remove("request_id");
        return problem;
    }

    @Test
    void aRepeatedDeliveryAnswersTheFirstAnswerAndFiresNothing() {
        String aid = (String) automation("active").get("id");
        String slug = slug("dup");
        String secret = (String) webhookTrigger(aid, Map.of("config", Map.of("endpoint", slug))).get("webhook_secret");
        String id = "dup-" + UUID.randomUUID();
        String body = "{\"event\":\"e\"}";
        Map<String, Object> first = body(deliverStandard(slug, secret, id, now(), body).expectStatus().isAccepted());
        Map<String, Object> again = body(deliverStandard(slug, secret, id, now(), body).expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true"));
        assertThat(again).isEqualTo(first);
        await().untilAsserted(() -> assertThat(runsOf(aid)).hasSize(1));
        // the answer record gone, the automation still remembers the fire: nothing new
        jdbc.update("DELETE FROM webhook_delivery WHERE delivery_id = ?", id);
        Map<String, Object> third = body(deliverStandard(slug, secret, id, now(), body).expectStatus().isAccepted());
        assertThat(runs(third)).isEmpty();
        assertThat(outcomes(third)).extracting(o -> o.get("outcome")).containsExactly("duplicate");
        assertThat(runsOf(aid)).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> runsOf(String automationId) {
        return (List<Map<String, Object>>) body(get(adminToken, BASE + "/runs?automation_id=" + automationId).exchange()
                .expectStatus().isOk()).get("runs");
    }

    @Test
    void rotationKeepsThePreviousSecretForItsGraceOnly() {
        String aid = (String) automation("active").get("id");
        String slug = slug("rot");
        Map<String, Object> trigger = webhookTrigger(aid, Map.of("config", Map.of("endpoint", slug)));
        String old = (String) trigger.get("webhook_secret");
        Instant t0 = TestClock.INSTANCE.freeze();
        Map<String, Object> rotated = body(post(adminToken, BASE + "/automations/" + aid + "/triggers/" + trigger.get("id")
                + "/rotate-secret", Map.of("grace_period_seconds", 60)).expectStatus().isOk());
        String fresh = issued((String) rotated.get("webhook_secret"));
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
        assertThat(rotated.get("webhook_secret_hash")).isNotEqualTo(trigger.get("webhook_secret_hash"));
        long now = t0.getEpochSecond();
        deliverStandard(slug, fresh, "r1-" + UUID.randomUUID(), now, "{}").expectStatus().isAccepted();
        deliverStandard(slug, old, "r2-" + UUID.randomUUID(), now, "{}").expectStatus().isAccepted();
        TestClock.INSTANCE.advance(java.time.Duration.ofSeconds(60));
        assertProblem(deliverStandard(slug, old, "r3-" + UUID.randomUUID(), now + 60, "{}"), 401);
        deliverAgh(slug, fresh, "r4-" + UUID.randomUUID(), now + 60, "{}").expectStatus().isAccepted();
        // a trigger that is not a webhook trigger has no secret to rotate
        Map<String, Object> cron = body(post(adminToken, BASE + "/automations/" + aid + "/triggers",
                Map.of("type", "cron", "config", Map.of("schedule", "0 9 * * 1"))).expectStatus().isCreated());
        assertProblem(post(adminToken, BASE + "/automations/" + aid + "/triggers/" + cron.get("id") + "/rotate-secret",
                Map.of()), 409);
    }

    @Test
    void aDeliveryFansOutToTheMatchingTriggersAndRecordsWhyOthersDidNotRun() {
        String slug = slug("fan");
        String a = (String) automation("active").get("id");
        String b = (String) automation("active").get("id");
        String c = (String) automation("active").get("id");
        String paused = (String) automation("paused").get("id");
        String draft = (String) automation(null).get("id");
        String secret = (String) webhookTrigger(a, Map.of("event", "deploy", "config",
                Map.of("endpoint", slug, "filter", Map.of("env.name", "prod")))).get("webhook_secret");
        webhookTrigger(b, Map.of("event", "deploy", "config", Map.of("endpoint", slug)));
        webhookTrigger(c, Map.of("event", "deploy", "config", Map.of("endpoint", slug, "filter", Map.of("env.name", "staging"))));
        webhookTrigger(paused, Map.of("config", Map.of("endpoint", slug)));
        webhookTrigger(draft, Map.of("event", "deploy", "config", Map.of("endpoint", slug)));

        Map<String, Object> answer = body(deliverStandard(slug, secret, "fan-" + UUID.randomUUID(), now(),
                "{\"event\":\"deploy\",\"env\":{\"name\":\"prod\"}}").expectStatus().isAccepted());
        assertThat(runs(answer)).extracting(r -> r.get("automation_id")).containsExactlyInAnyOrder(a, b);
        assertThat(result(answer)).containsEntry("matched", 4);
        Map<Object, Object> byAutomation = new HashMap<>();
        outcomes(answer).forEach(o -> byAutomation.put(o.get("automation_id"), o.get("outcome")));
        assertThat(byAutomation).containsEntry(a, "fired").containsEntry(b, "fired")
                .containsEntry(paused, "skipped_paused").containsEntry(draft, "skipped_inactive").doesNotContainKey(c);
        await().untilAsserted(() -> {
            assertThat(occurrenceOutcomes(paused)).containsExactly("skipped_paused");
            assertThat(occurrenceOutcomes(draft)).containsExactly("skipped_inactive");
        });
        assertThat(runsOf(paused)).isEmpty();
        assertThat(runsOf(draft)).isEmpty();
        assertThat(runsOf(c)).isEmpty();

        // a CEL filter over the body: checked when written, evaluated per delivery
        String d = (String) automation("active").get("id");
        assertProblem(post(adminToken, BASE + "/automations/" + d + "/triggers", Map.of("type", "webhook", "filter", "body.n >",
                "config", Map.of("endpoint", slug))), 400, "filter");
        webhookTrigger(d, Map.of("event", "deploy", "filter", "body.env.name == \"prod\" && body.n > 2", "config", Map.of("endpoint", slug)));
        Map<String, Object> low = body(deliverStandard(slug, secret, "cel1-" + UUID.randomUUID(), now(),
                "{\"event\":\"deploy\",\"env\":{\"name\":\"prod\"},\"n\":1}").expectStatus().isAccepted());
        assertThat(runs(low)).extracting(r -> r.get("automation_id")).doesNotContain(d);
        Map<String, Object> high = body(deliverStandard(slug, secret, "cel2-" + UUID.randomUUID(), now(),
                "{\"event\":\"deploy\",\"env\":{\"name\":\"prod\"},\"n\":3}").expectStatus().isAccepted());
        assertThat(runs(high)).extracting(r -> r.get("automation_id")).contains(d);

        // an event nobody listens to matches nothing and fires nothing
        Map<String, Object> none = body(deliverStandard(slug, secret, "none-" + UUID.randomUUID(), now(),
                "{\"event\":\"other\"}").expectStatus().isAccepted());
        assertThat(result(none)).containsEntry("matched", 1); // the paused automation's trigger takes every event
        assertThat(runs(none)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    List<Object> occurrenceOutcomes(String automationId) {
        List<Map<String, Object>> list = (List<Map<String, Object>>) body(get(adminToken, BASE + "/automations/" + automationId
                + "/occurrences").exchange().expectStatus().isOk()).get("occurrences");
        return list.stream().map(o -> o.get("outcome")).toList();
    }

    @Test
    void aFireLimitOnTheWebhookTriggerThrottlesDeliveries() {
        String aid = (String) automation("active").get("id");
        String slug = slug("lim");
        String secret = (String) webhookTrigger(aid, Map.of("config", Map.of("endpoint", slug),
                "fire_limit", Map.of("max", 1, "window", "1h"))).get("webhook_secret");
        Map<String, Object> first = body(deliverStandard(slug, secret, "l1-" + UUID.randomUUID(), now(), "{}")
                .expectStatus().isAccepted());
        assertThat(runs(first)).hasSize(1);
        Map<String, Object> second = body(deliverStandard(slug, secret, "l2-" + UUID.randomUUID(), now(), "{}")
                .expectStatus().isAccepted());
        assertThat(runs(second)).isEmpty();
        assertThat(outcomes(second)).extracting(o -> o.get("outcome")).containsExactly("throttled");
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedBeforeAnything() {
        String aid = (String) automation("active").get("id");
        String slug = slug("big");
        String secret = (String) webhookTrigger(aid, Map.of("config", Map.of("endpoint", slug))).get("webhook_secret");
        String big = "{\"p\":\"" + "a".repeat(1024 * 1024 + 1 - 8) + "\"}";
        assertThat(big.getBytes(StandardCharsets.UTF_8)).hasSize(1024 * 1024 + 1);
        assertProblem(deliverStandard(slug, secret, "big-" + UUID.randomUUID(), now(), big), 413);
        assertThat(runsOf(aid)).isEmpty();
    }

    @Test
    void badInputNeverFailsTheServer() {
        String aid = (String) automation("active").get("id");
        String slug = slug("bad");
        String secret = (String) webhookTrigger(aid, Map.of("config", Map.of("endpoint", slug))).get("webhook_secret");
        long ts = now();
        List<WebTestClient.ResponseSpec> responses = new ArrayList<>();
        String path = "/api/webhooks/workspaces/" + WS + "/" + slug;
        responses.add(http.post().uri(path).header("webhook-id", "x").header("webhook-timestamp", "soon")
                .header("webhook-signature", "v1,????").bodyValue("{}").exchange());
        responses.add(http.post().uri(path).header("webhook-id", "x").header("webhook-timestamp", Long.toString(ts))
                .header("webhook-signature", "v2,abc v1").bodyValue("{}").exchange());
        responses.add(http.post().uri(path).header("X-AGH-Webhook-Timestamp", Long.toString(ts))
                .header("X-AGH-Webhook-Signature", "sha256=zz").bodyValue("{}").exchange());
        responses.add(http.post().uri(path).header("X-AGH-Webhook-Timestamp", "-1")
                .header("X-AGH-Webhook-Signature", "md5=00").bodyValue("{}").exchange());
        responses.add(http.post().uri(path).header("webhook-id", "").header("webhook-timestamp", "99999999999999999999999")
                .header("webhook-signature", "v1," + "A".repeat(10_000)).bodyValue("{}").exchange());
        responses.add(http.post().uri("/api/webhooks/workspaces/" + WS + "/" + "x".repeat(300)).bodyValue("{}").exchange());
        responses.add(http.post().uri("/api/webhooks/workspaces/%2e%2e/" + slug).bodyValue("{}").exchange());
        responses.add(http.post().uri("/api/webhooks/workspaces/" + WS).bodyValue("{}").exchange());
        responses.add(http.get().uri(path).exchange());
        // verified, but not a JSON object
        for (String body : List.of("[1,2]", "not json", "\"text\"", "null", "{\"a\":", "{\"a\":\"\\u0000\"}", "1e999999",
                "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}")) {
            responses.add(deliverStandard(slug, secret, "bad-" + UUID.randomUUID(), ts, body));
        }
        responses.add(deliverStandard(slug, secret, "x".repeat(1000), ts, "{}"));
        responses.add(deliverStandard(slug, secret, "bad \u00e9 id", ts, "{}"));
        responses.add(deliverAgh(slug, secret, null, ts, ""));
        assertThat(responses).hasSizeGreaterThanOrEqualTo(20);
        for (WebTestClient.ResponseSpec r : responses) {
            int status = r.returnResult(String.class).getStatus().value();
            assertThat(status).as("status").isLessThan(500);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void triggerReadsShowTheEndpointAndTheListsFilterAndPage() {
        String aid = (String) automation("active").get("id");
        String slug = slug("read");
        Map<String, Object> hook = webhookTrigger(aid, Map.of("event", "push", "config", Map.of("endpoint", slug)));
        for (int i = 0; i < 3; i++) {
            post(adminToken, BASE + "/automations/" + aid + "/triggers", Map.of("type", "api", "event", "e" + i))
                    .expectStatus().isCreated();
        }
        Map<String, Object> one = body(get(adminToken, BASE + "/automations/" + aid + "/triggers/" + hook.get("id")).exchange()
                .expectStatus().isOk());
        assertThat(one).containsEntry("endpoint_slug", slug).containsEntry("webhook_id", hook.get("webhook_id"))
                .containsEntry("webhook_secret_present", true).containsEntry("webhook_secret_hash", hook.get("webhook_secret_hash"))
                .containsEntry("endpoint_url", hook.get("endpoint_url")).doesNotContainKey("webhook_secret");

        // the automation's list honours page_size, page_token and filter
        Map<String, Object> first = body(get(adminToken, BASE + "/automations/" + aid + "/triggers?page_size=2").exchange()
                .expectStatus().isOk());
        assertThat((List<Object>) first.get("triggers")).hasSize(2);
        Map<String, Object> second = body(get(adminToken, BASE + "/automations/" + aid + "/triggers?page_size=2&page_token="
                + first.get("next_page_token")).exchange().expectStatus().isOk());
        assertThat((List<Object>) second.get("triggers")).hasSize(2);
        assertThat(second).doesNotContainKey("next_page_token");
        Map<String, Object> webhooksOnly = body(http.get().uri("/api/v1" + BASE + "/automations/" + aid + "/triggers?filter={f}",
                "type == \"webhook\"").header("Authorization", "Bearer " + adminToken).exchange().expectStatus().isOk());
        assertThat((List<Map<String, Object>>) webhooksOnly.get("triggers")).extracting(t -> t.get("id"))
                .containsExactly(hook.get("id"));

        // the workspace's list: by type, event, automation, and in pages
        Map<String, Object> byType = body(get(adminToken, BASE + "/triggers?type=webhook&automation_id=" + aid).exchange()
                .expectStatus().isOk());
        assertThat((List<Map<String, Object>>) byType.get("triggers")).singleElement()
                .satisfies(t -> assertThat(t).containsEntry("automation_id", aid).containsEntry("scope", "workspace")
                        .containsEntry("endpoint_slug", slug));
        Map<String, Object> byEvent = body(get(adminToken, BASE + "/triggers?event=e1&automation_id=" + aid).exchange()
                .expectStatus().isOk());
        assertThat((List<Map<String, Object>>) byEvent.get("triggers")).extracting(t -> t.get("event")).containsExactly("e1");
        List<Object> seen = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> page = body(get(adminToken, BASE + "/triggers?page_size=1&automation_id=" + aid
                    + (token == null ? "" : "&page_token=" + token)).exchange().expectStatus().isOk());
            ((List<Map<String, Object>>) page.get("triggers")).forEach(t -> seen.add(t.get("id")));
            token = (String) page.get("next_page_token");
        } while (token != null && seen.size() < 10);
        assertThat(seen).hasSize(4).doesNotHaveDuplicates();
        assertThat((List<Object>) body(get(adminToken, BASE + "/triggers?scope=global").exchange().expectStatus().isOk())
                .get("triggers")).isEmpty();
        assertProblem(get(adminToken, BASE + "/triggers?type=smtp").exchange(), 400, "type");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGlobalEndpointIsTheOperatorsAndFansOutAcrossWorkspaces() {
        String slug = slug("glob");
        String here = (String) automation("active").get("id");
        // a member who may write automations but is no operator cannot put one on a global endpoint
        String writer = member("webhook-writer-" + UUID.randomUUID().toString().substring(0, 8), "editor");
        assertProblem(post(writer, BASE + "/automations/" + here + "/triggers",
                Map.of("type", "webhook", "config", Map.of("endpoint", slug, "scope", "global"))), 403);
        assertProblem(patch(writer, BASE + "/automations/" + here, Map.of("triggers", List.of(Map.of("type", "webhook",
                "config", Map.of("endpoint", slug, "scope", "global"))))), 403);
        Map<String, Object> first = webhookTrigger(here, Map.of("config", Map.of("endpoint", slug, "scope", "global")));
        String secret = (String) first.get("webhook_secret");
        assertThat((String) first.get("endpoint_url")).endsWith("/api/webhooks/global/" + slug);
        // an automation of another workspace (the operator's opt-in: the trigger added there)
        String other = (String) body(post(adminToken, "/workspaces", Map.of("name", uniqueName("webhooks elsewhere")))
                .expectStatus().isCreated()).get("id");
        Map<String, Object> there = (Map<String, Object>) body(post(adminToken, "/workspaces/" + other + "/automations",
                Map.of("name", uniqueName("global hook"), "kind", "scheduled", "status", "active")).expectStatus().isCreated())
                .get("automation");
        Map<String, Object> second = body(post(adminToken, "/workspaces/" + other + "/automations/" + there.get("id") + "/triggers",
                Map.of("type", "webhook", "config", Map.of("endpoint", slug, "scope", "global"))).expectStatus().isCreated());
        assertThat(second).doesNotContainKey("webhook_secret").containsEntry("webhook_secret_hash", first.get("webhook_secret_hash"));

        long ts = now();
        String id = "g-" + UUID.randomUUID();
        String body = "{\"event\":\"sync\"}";
        Map<String, Object> answer = body(http.post().uri("/api/webhooks/global/" + slug)
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(ts))
                .header("webhook-signature", standardSignature(secret, id, ts, body))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isAccepted());
        assertThat(runs(answer)).extracting(r -> r.get("workspace_id")).containsExactlyInAnyOrder(WS, other);
        // the same slug under the workspace path is another endpoint: unknown
        assertProblem(deliverStandard(slug, secret, "g2-" + UUID.randomUUID(), ts, body), 401);
        // the workspace's trigger list tells the scope
        assertThat((List<Map<String, Object>>) body(get(adminToken, BASE + "/triggers?scope=global&automation_id=" + here)
                .exchange().expectStatus().isOk()).get("triggers")).singleElement()
                .satisfies(t -> assertThat(t).containsEntry("scope", "global").containsEntry("endpoint_slug", slug));
        // rotating a global endpoint's secret is the operators' too
        assertProblem(post(writer, BASE + "/automations/" + here + "/triggers/" + first.get("id") + "/rotate-secret", Map.of()), 403);
    }

    @Test
    void anEndpointsSecretIsRotatedByAPersonOnlyNeverByAnAutomationsOwnToken() {
        Map<String, String> machine = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read", "automation.write")));
        Map<String, Object> trigger = webhookTrigger(machine.get("id"), Map.of("config", Map.of("endpoint", slug("own"))));
        String own = accessToken(machine.get("id"), machine.get("secret"));
        String rotate = BASE + "/automations/" + machine.get("id") + "/triggers/" + trigger.get("id") + "/rotate-secret";
        assertProblem(post(own, rotate, Map.of()), 403);
        body(post(adminToken, rotate, Map.of()).expectStatus().isOk());
    }

    @Test
    void anEndpointOverItsRateIsAnswered429WithRetryAfter() {
        String aid = (String) automation("active").get("id");
        String slug = slug("rate");
        String secret = (String) webhookTrigger(aid, Map.of("event", "never", "config", Map.of("endpoint", slug))).get("webhook_secret");
        int accepted = 0;
        WebTestClient.ResponseSpec limited = null;
        for (int i = 0; i < 60 && limited == null; i++) {
            var r = deliverStandard(slug, secret, "rate-" + i + "-" + UUID.randomUUID(), now(), "{}");
            var result = r.returnResult(String.class);
            if (result.getStatus().value() == 429) {
                limited = r;
                assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotNull().matches("[1-9][0-9]*");
                assertThat(result.getResponseHeaders().getContentType().toString()).startsWith("application/problem+json");
            } else {
                assertThat(result.getStatus().value()).isEqualTo(202);
                accepted++;
            }
        }
        assertThat(limited).as("a delivery over the limit").isNotNull();
        assertThat(accepted).isBetween(40, 59);
        // forged deliveries do not count: the endpoint's sender is not locked out by them (and they stay 401)
        assertProblem(deliverStandard(slug, "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                "forged-" + UUID.randomUUID(), now(), "{}"), 401);
    }

    @Test
    @SuppressWarnings("unchecked")
    void webhookTriggersInTheAutomationsOwnBodyGetTheirEndpoint() {
        String slug = slug("body");
        Map<String, Object> created = body(post(adminToken, BASE + "/automations", Map.of("name", uniqueName("body hook"),
                "kind", "scheduled", "status", "active", "triggers", List.of(
                        Map.of("type", "webhook", "event", "a", "config", Map.of("endpoint", slug)),
                        Map.of("type", "webhook", "event", "b", "config", Map.of("endpoint", slug, "filter", Map.of("x.y", "1"))))))
                .expectStatus().isCreated());
        issued((String) created.get("secret"));
        String secret = issued(((Map<String, String>) created.get("webhook_secrets")).get(slug));
        assertThat(secret).startsWith("whsec_");
        String aid = (String) ((Map<String, Object>) created.get("automation")).get("id");
        Map<String, Object> answer = body(deliverStandard(slug, secret, "body-" + UUID.randomUUID(), now(),
                "{\"event\":\"b\",\"x\":{\"y\":1}}").expectStatus().isAccepted());
        assertThat(runs(answer)).extracting(r -> r.get("automation_id")).containsExactly(aid);
        // a PATCH keeps each trigger's endpoint, and cannot make a new one (it could not show the secret)
        List<Map<String, Object>> triggers = (List<Map<String, Object>>) body(get(adminToken, BASE + "/automations/" + aid
                + "/triggers").exchange().expectStatus().isOk()).get("triggers");
        List<Map<String, Object>> resent = triggers.stream().map(t -> Map.<String, Object>of("id", t.get("id"),
                "type", "webhook", "event", t.get("event"))).toList();
        patch(adminToken, BASE + "/automations/" + aid, Map.of("triggers", resent)).expectStatus().isOk();
        deliverStandard(slug, secret, "body2-" + UUID.randomUUID(), now(), "{\"event\":\"a\"}").expectStatus().isAccepted()
                .expectBody(String.class).value(b -> assertThat(b).contains("\"matched\":1"));
        assertProblem(patch(adminToken, BASE + "/automations/" + aid, Map.of("triggers", List.of(Map.of("type", "webhook",
                "config", Map.of("endpoint", slug("new")))))), 400, "triggers");
    }
}
