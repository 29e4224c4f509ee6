package dev.autoplane.command.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Matching a delivery to a trigger (event, filter paths, CEL) and verifying its signature, without a server. */
class WebhookMatchingTest {

    static Map<String, Object> body(String json) throws Exception {
        return new ObjectMapper().readValue(json, new TypeReference<Map<String, Object>>() { });
    }

    static WebhookDirectory.Trigger trigger(String event, Map<String, String> filter, String cel) {
        return new WebhookDirectory.Trigger("a", "t", "ws", event, filter, cel, true);
    }

    @Test
    void eventAndFilterPathsMustAllHold() throws Exception {
        Map<String, Object> b = body("{\"env\":{\"name\":\"prod\"},\"n\":3,\"ok\":true,\"items\":[{\"sku\":\"x\"}]}");
        assertThat(WebhookMatching.matches(trigger("deploy", Map.of("env.name", "prod"), null), "deploy", b)).isTrue();
        assertThat(WebhookMatching.matches(trigger("deploy", Map.of(), null), "push", b)).isFalse();
        assertThat(WebhookMatching.matches(trigger("*", Map.of(), null), "push", b)).isTrue();
        assertThat(WebhookMatching.matches(trigger(null, Map.of("n", "3", "ok", "true", "items.0.sku", "x"), null), null, b)).isTrue();
        assertThat(WebhookMatching.matches(trigger(null, Map.of("env", "prod"), null), null, b)).as("an object never equals").isFalse();
        assertThat(WebhookMatching.matches(trigger(null, Map.of("missing.path", "x"), null), null, b)).isFalse();
        assertThat(WebhookMatching.matches(new WebhookDirectory.Trigger("a", "t", "ws", null, Map.of(), null, false), null, b))
                .as("a disabled trigger").isFalse();
    }

    @Test
    void aCelFilterIsCheckedWhenWrittenAndBoundedWhenRun() throws Exception {
        Map<String, Object> b = body("{\"action\":\"opened\",\"n\":3,\"labels\":[\"a\",\"b\"]}");
        assertThat(WebhookCel.problem("body.action == \"opened\" && body.n > 2")).isNull();
        assertThat(WebhookMatching.matches(trigger(null, Map.of(), "body.action == \"opened\" && body.n > 2"), null, b)).isTrue();
        assertThat(WebhookMatching.matches(trigger(null, Map.of(), "\"b\" in body.labels && event == \"\""), null, b)).isTrue();
        assertThat(WebhookMatching.matches(trigger(null, Map.of(), "body.n > 5"), null, b)).isFalse();
        assertThat(WebhookMatching.matches(trigger(null, Map.of(), "body.nope == 1"), null, b)).as("a missing key").isFalse();
        assertThat(WebhookCel.problem("body.action ==")).startsWith("is not a valid CEL filter");
        assertThat(WebhookCel.problem("event")).startsWith("is not a valid CEL filter"); // not a boolean
        assertThat(WebhookCel.problem("body.action.matches(\"o.*\")")).contains("matches");
        Map<String, Object> wide = Map.of("xs", java.util.Collections.nCopies(2_000, 1));
        assertThat(WebhookCel.test("body.xs.all(x, body.xs.all(y, x == y))", null, wide)).as("over the budget").isFalse();
    }

    @Test
    void bothHeaderFamiliesVerifyWithinFiveMinutesOnly() throws Exception {
        String secret = WebhookSigning.newSecret();
        List<WebhookSigning.Keys> keys = List.of(WebhookSigning.Keys.of(secret));
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        long ts = now.getEpochSecond();
        Mac std = Mac.getInstance("HmacSHA256");
        std.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
        String sig = Base64.getEncoder().encodeToString(std.doFinal(("m1." + ts + ".{\"a\":1}").getBytes(StandardCharsets.UTF_8)));
        HttpHeaders h = new HttpHeaders();
        h.set("webhook-id", "m1");
        h.set("webhook-timestamp", Long.toString(ts));
        h.set("webhook-signature", "v1,AAAA v1," + sig);
        assertThat(WebhookSigning.verify(WebhookSigning.Signed.of(h), body, keys, now)).isTrue();
        assertThat(WebhookSigning.verify(WebhookSigning.Signed.of(h), body, keys, now.plusSeconds(300))).isTrue();
        assertThat(WebhookSigning.verify(WebhookSigning.Signed.of(h), body, keys, now.plusSeconds(301))).isFalse();
        assertThat(WebhookSigning.verify(WebhookSigning.Signed.of(h), body, List.of(), now)).as("unknown endpoint").isFalse();
        assertThat(WebhookSigning.verify(WebhookSigning.Signed.of(h), "{\"a\":2}".getBytes(StandardCharsets.UTF_8), keys, now))
                .isFalse();

        Mac agh = Mac.getInstance("HmacSHA256");
        agh.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        HttpHeaders g = new HttpHeaders();
        g.set("X-AGH-Webhook-Timestamp", Long.toString(ts));
        g.set("X-AGH-Webhook-Signature", "sha256=" + HexFormat.of().formatHex(agh.doFinal((ts + ".{\"a\":1}")
                .getBytes(StandardCharsets.UTF_8))));
        assertThat(WebhookSigning.verify(WebhookSigning.Signed.of(g), body, keys, now.minusSeconds(300))).isTrue();
        assertThat(WebhookSigning.verify(WebhookSigning.Signed.of(g), body, keys, now.minusSeconds(301))).isFalse();
        assertThat(WebhookSigning.Signed.of(g).deliveryId()).startsWith("sig:");
    }
}
