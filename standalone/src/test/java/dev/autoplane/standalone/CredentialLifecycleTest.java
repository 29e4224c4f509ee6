package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials over time, with the application's clock under the test's control: a rotated
 * secret's grace window to the second, suspension, member removal and role changes on the next
 * request, signing-key rotation (published before it signs, the old key kept until its last token
 * expired), revoked and expired personal access tokens.
 */
class CredentialLifecycleTest extends ApiTest {

    private static final String AUTOMATIONS = "/workspaces/" + WS + "/automations";

    @Test
    @SuppressWarnings("unchecked")
    void canUseThePreviousSecretUntilExactlyTheEndOfTheGracePeriod() {
        Map<String, String> m = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read")));
        String id = m.get("id");
        String old = m.get("secret");
        Instant t0 = TestClock.INSTANCE.freeze();
        Map<String, Object> rotated = body(post(adminToken, AUTOMATIONS + "/" + id + "/secret/rotate",
                Map.of("grace_period_seconds", 30)).expectStatus().isOk());
        String fresh = issued((String) rotated.get("secret"));
        assertThat(fresh).startsWith("ap_sk_").isNotEqualTo(old);
        assertThat(Instant.parse((String) rotated.get("previous_secret_valid_until"))).isEqualTo(t0.plusSeconds(30));
        assertThat(((Map<String, Object>) rotated.get("automation")).get("id")).isEqualTo(id);

        exchangeToken(id, fresh, null).expectStatus().isOk();
        exchangeToken(id, old, null).expectStatus().isOk();
        TestClock.INSTANCE.set(t0.plusSeconds(29).plusMillis(999));
        exchangeToken(id, old, null).expectStatus().isOk();
        TestClock.INSTANCE.set(t0.plusSeconds(30));
        exchangeToken(id, old, null).expectStatus().isUnauthorized();
        exchangeToken(id, fresh, null).expectStatus().isOk();

        // grace 0 (the default): the old secret stops at once
        Map<String, Object> again = body(post(adminToken, AUTOMATIONS + "/" + id + "/secret/rotate", null).expectStatus().isOk());
        String third = issued((String) again.get("secret"));
        exchangeToken(id, fresh, null).expectStatus().isUnauthorized();
        exchangeToken(id, third, null).expectStatus().isOk();

        // the events carry hashes and the deadline, never a secret
        String history = get(adminToken, AUTOMATIONS + "/" + id + "/history").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(history).contains("AutomationSecretRotated").doesNotContain(fresh).doesNotContain(third).doesNotContain(old);
    }

    @Test
    void refusesBadGracePeriods() {
        Map<String, String> m = createMachine(adminToken, WS, Map.of());
        String path = AUTOMATIONS + "/" + m.get("id") + "/secret/rotate";
        assertProblem(post(adminToken, path, Map.of("grace_period_seconds", -1)), 400, "grace_period_seconds");
        assertProblem(post(adminToken, path, Map.of("grace_period_seconds", 604_801)), 400, "grace_period_seconds");
        assertProblem(post(adminToken, path, Map.of("grace_period_seconds", "soon")), 400);
        assertProblem(post(adminToken, path, Map.of("grace", 5)), 400);
        assertProblem(post(adminToken, AUTOMATIONS + "/" + dev.autoplane.platform.Ids.newId() + "/secret/rotate", null), 404);
        String editor = member("rotating-editor-" + System.nanoTime(), "editor");
        assertProblem(post(editor, path, null), 403);
        issued((String) body(post(adminToken, path, Map.of("grace_period_seconds", 604_800)).expectStatus().isOk()).get("secret"));
    }

    @Test
    void suspensionStopsTheExchangeAndEveryUnexpiredTokenOnTheNextRequest() {
        Map<String, String> m = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read")));
        String id = m.get("id");
        String token = accessToken(id, m.get("secret"));
        get(token, AUTOMATIONS + "/" + id).exchange().expectStatus().isOk();

        patch(adminToken, AUTOMATIONS + "/" + id, Map.of("suspended", true)).expectStatus().isOk();
        assertProblem(get(token, AUTOMATIONS + "/" + id).exchange(), 401);
        exchangeToken(id, m.get("secret"), null).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.error").isEqualTo("invalid_client");

        patch(adminToken, AUTOMATIONS + "/" + id, Map.of("suspended", false)).expectStatus().isOk();
        get(token, AUTOMATIONS + "/" + id).exchange().expectStatus().isOk();
        accessToken(id, m.get("secret"));

        // deleting the automation ends its credential too
        http.delete().uri("/api/v1" + AUTOMATIONS + "/" + id).header("Authorization", "Bearer " + adminToken).exchange()
                .expectStatus().isOk();
        assertProblem(get(token, AUTOMATIONS).exchange(), 401);
        exchangeToken(id, m.get("secret"), null).expectStatus().isUnauthorized();
    }

    @Test
    void accessTokensExpireWhenTheirLifetimeEnds() {
        Map<String, String> m = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read")));
        Instant t0 = TestClock.INSTANCE.freeze();
        String token = accessToken(m.get("id"), m.get("secret"));
        TestClock.INSTANCE.set(t0.plusSeconds(599));
        get(token, AUTOMATIONS + "/" + m.get("id")).exchange().expectStatus().isOk();
        TestClock.INSTANCE.set(t0.plusSeconds(600));
        assertProblem(get(token, AUTOMATIONS + "/" + m.get("id")).exchange(), 401);
    }

    @Test
    void removingAMemberOrLoweringTheirRoleTakesEffectOnTheirNextRequest() {
        String user = "leaving-" + System.nanoTime();
        String token = member(user, "editor");
        String id = (String) createDraft(uniqueName("kept")).get("id");
        patch(token, AUTOMATIONS + "/" + id, Map.of("description", "edited")).expectStatus().isOk();

        http.put().uri("/api/v1/workspaces/" + WS + "/members/" + user).header("Authorization", "Bearer " + adminToken)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "viewer"))
                .exchange().expectStatus().isOk();
        assertProblem(patch(token, AUTOMATIONS + "/" + id, Map.of("description", "again")), 403);
        get(token, AUTOMATIONS + "/" + id).exchange().expectStatus().isOk();

        http.delete().uri("/api/v1/workspaces/" + WS + "/members/" + user).header("Authorization", "Bearer " + adminToken)
                .exchange().expectStatus().isNoContent();
        assertProblem(get(token, AUTOMATIONS + "/" + id).exchange(), 404);
    }

    @Test
    void personalAccessTokensFailOnTheNextRequestOnceRevokedOrExpired() {
        Instant t0 = TestClock.INSTANCE.freeze();
        Map<String, Object> created = body(post(adminToken, "/tokens", Map.of("name", "short",
                "expires_at", t0.plusSeconds(60).toString())).expectStatus().isCreated());
        String token = issued((String) created.get("token"));
        get(token, "/workspaces").exchange().expectStatus().isOk();
        String listed = get(adminToken, "/tokens").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(listed).contains((String) created.get("id")).doesNotContain(token);
        TestClock.INSTANCE.set(t0.plusSeconds(60));
        assertProblem(get(token, "/workspaces").exchange(), 401);
        TestClock.INSTANCE.release();

        String other = issued((String) body(post(adminToken, "/tokens", Map.of("name", "revoked")).expectStatus().isCreated()).get("token"));
        get(other, "/workspaces").exchange().expectStatus().isOk();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tokens = (List<Map<String, Object>>) body(get(adminToken, "/tokens").exchange()
                .expectStatus().isOk()).get("tokens");
        String revokedId = (String) tokens.stream().filter(t -> "revoked".equals(t.get("name")) && !Boolean.TRUE.equals(t.get("revoked")))
                .reduce((a, b) -> b).orElseThrow().get("id");
        http.delete().uri("/api/v1/tokens/" + revokedId).header("Authorization", "Bearer " + adminToken).exchange()
                .expectStatus().isNoContent();
        assertProblem(get(other, "/workspaces").exchange(), 401);
    }

    @Test
    @SuppressWarnings("unchecked")
    void publishesANewSigningKeyBeforeItSignsAndKeepsTheOldOneUntilItsLastTokenExpired() {
        Map<String, String> m = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read")));
        Instant t0 = TestClock.INSTANCE.freeze();
        String before = accessToken(m.get("id"), m.get("secret"));
        String oldKid = kid(before);

        Map<String, Object> rotation = body(post(adminToken, "/admin/signing-keys/rotate", null).expectStatus().isOk());
        String newKid = (String) rotation.get("kid");
        assertThat(Instant.parse((String) rotation.get("signs_from"))).isEqualTo(t0.plus(Duration.ofMinutes(1)));
        assertThat(publishedKids()).contains(oldKid, newKid);
        // published, not yet signing
        assertThat(kid(accessToken(m.get("id"), m.get("secret")))).isEqualTo(oldKid);

        TestClock.INSTANCE.set(t0.plus(Duration.ofMinutes(1)));
        String after = accessToken(m.get("id"), m.get("secret"));
        assertThat(kid(after)).isEqualTo(newKid);
        String lastOld = before;
        get(lastOld, AUTOMATIONS + "/" + m.get("id")).exchange().expectStatus().isOk();

        // the key that signed `before` stays published at least until that token expired
        Map<String, Object> oldRow = ((List<Map<String, Object>>) body(get(adminToken, "/admin/signing-keys").exchange()
                .expectStatus().isOk()).get("signing_keys")).stream().filter(r -> oldKid.equals(r.get("kid"))).findFirst().orElseThrow();
        assertThat(oldRow).doesNotContainKeys("wrapped_private", "public_jwk");
        Instant until = Instant.parse((String) oldRow.get("published_until"));
        assertThat(until).isAfterOrEqualTo(t0.plus(Duration.ofMinutes(10)));
        assertThat(((List<Map<String, Object>>) rotation.get("retiring"))).isNotEmpty();
        TestClock.INSTANCE.set(until.minusSeconds(1));
        assertThat(publishedKids()).contains(oldKid, newKid);
        TestClock.INSTANCE.set(until);
        assertThat(publishedKids()).contains(newKid).doesNotContain(oldKid);
        // the new key keeps verifying: a token signed at the new key's start is valid for its lifetime
        TestClock.INSTANCE.set(t0.plus(Duration.ofMinutes(1)).plusSeconds(599));
        get(after, AUTOMATIONS + "/" + m.get("id")).exchange().expectStatus().isOk();

        // operators only
        String approver = member("not-operator-" + System.nanoTime(), "admin");
        assertProblem(post(approver, "/admin/signing-keys/rotate", null), 403);
    }

    @SuppressWarnings("unchecked")
    private List<String> publishedKids() {
        Map<String, Object> jwks = http.get().uri("/.well-known/jwks.json").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) jwks.get("keys")).stream().map(k -> (String) k.get("kid")).toList();
    }

    static String kid(String jwt) {
        String header = new String(java.util.Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
                java.nio.charset.StandardCharsets.UTF_8);
        return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
    }
}
