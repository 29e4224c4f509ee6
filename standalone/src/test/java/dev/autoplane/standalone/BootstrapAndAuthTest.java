package dev.autoplane.standalone;

import dev.autoplane.platform.secret.SecretTokens;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** First-start bootstrap, bearer authentication and workspace membership. */
class BootstrapAndAuthTest extends ApiTest {

    @org.springframework.beans.factory.annotation.Autowired
    dev.autoplane.platform.access.AccessDirectory directory;

    @Test
    void bootstrapWritesAnAdminTokenOnlyTheOwnerCanRead() throws Exception {
        var file = DATA_DIR.resolve("admin-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("ap_pat_");
        assertThat(SecretTokens.isWellFormed(SecretTokens.PERSONAL_ACCESS_TOKEN, lines.get(0))).isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAdminBelongsToTheDefaultWorkspace() {
        Map<String, Object> body = get(adminToken, "/workspaces").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> workspaces = (List<Map<String, Object>>) body.get("workspaces");
        assertThat(workspaces).anySatisfy(w -> {
            assertThat(w.get("id")).isEqualTo(WS);
            assertThat(w.get("name")).isEqualTo("default");
            assertThat(w.get("role")).isEqualTo("admin");
        });
    }

    @Test
    void noTokenIs401WithAChallenge() {
        assertProblem(http.get().uri("/api/v1/workspaces").exchange()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer"), 401);
    }

    @Test
    void malformedUnknownAndNonBearerTokensAre401() {
        assertProblem(get("ap_pat_nonsense", "/workspaces").exchange(), 401);
        assertProblem(get(SecretTokens.generate(SecretTokens.PERSONAL_ACCESS_TOKEN), "/workspaces").exchange(), 401);
        assertProblem(http.get().uri("/api/v1/workspaces").header("Authorization", "Basic YTpi").exchange(), 401);
        String tampered = adminToken.substring(0, adminToken.length() - 1)
                + (adminToken.endsWith("A") ? "B" : "A");
        assertProblem(get(tampered, "/workspaces").exchange(), 401);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRevokedTokenFailsOnTheNextRequest() {
        assertThat(directory).as("the embedded mode reads access lookups from memory, invalidated by event")
                .isInstanceOf(dev.autoplane.platform.access.CachedAccessDirectory.class);
        Map<String, Object> created = body(post(adminToken, "/tokens", Map.of("name", "short-lived")).expectStatus().isCreated());
        String token = (String) created.get("token");
        get(token, "/workspaces").exchange().expectStatus().isOk();
        http.delete().uri("/api/v1/tokens/" + created.get("id")).header("Authorization", "Bearer " + adminToken)
                .exchange().expectStatus().isNoContent();
        assertProblem(get(token, "/workspaces").exchange(), 401);
        Map<String, Object> listed = get(adminToken, "/tokens").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<Map<String, Object>>) listed.get("tokens"))
                .anySatisfy(t -> {
                    assertThat(t.get("id")).isEqualTo(created.get("id"));
                    assertThat(t.get("revoked")).isEqualTo(true);
                    assertThat(t).doesNotContainKey("token");
                });
    }

    @Test
    void anExpiredTokenFails() throws Exception {
        Map<String, Object> created = body(post(adminToken, "/tokens",
                Map.of("name", "expiring", "expires_at", Instant.now().plusSeconds(1).toString())).expectStatus().isCreated());
        String token = (String) created.get("token");
        Thread.sleep(1_200);
        assertProblem(get(token, "/workspaces").exchange(), 401);
    }

    @Test
    void aViewerMayReadButNotWriteAndAStrangerSeesNothing() {
        String viewer = member("vera", "viewer");
        get(viewer, "/workspaces/" + WS + "/automations").exchange().expectStatus().isOk();
        assertProblem(post(viewer, "/workspaces/" + WS + "/automations", Map.of("name", "x", "kind", "scheduled")), 403);

        Map<String, Object> other = body(post(adminToken, "/workspaces", Map.of("name", uniqueName("other"))).expectStatus().isCreated());
        assertProblem(get(viewer, "/workspaces/" + other.get("id") + "/automations").exchange(), 404);
    }

    @Test
    void removingAMemberTakesEffectOnTheNextRequest() {
        String token = member("remy", "editor");
        get(token, "/workspaces/" + WS + "/automations").exchange().expectStatus().isOk();
        http.delete().uri("/api/v1/workspaces/" + WS + "/members/remy").header("Authorization", "Bearer " + adminToken)
                .exchange().expectStatus().isNoContent();
        assertProblem(get(token, "/workspaces/" + WS + "/automations").exchange(), 404);
    }

    @Test
    void onlyAdminsManageMembersAndOnlyForTheirWorkspaces() {
        String editor = member("eddie", "editor");
        assertProblem(http.put().uri("/api/v1/workspaces/" + WS + "/members/mallory").header("Authorization", "Bearer " + editor)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "admin")).exchange(), 403);
        assertProblem(post(editor, "/tokens", Map.of("name", "for someone else", "user_id", "admin")), 403);
        assertProblem(http.put().uri("/api/v1/workspaces/" + WS + "/members/x").header("Authorization", "Bearer " + adminToken)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "owner")).exchange(),
                400, "role");
    }

    @Test
    void publicEndpointsNeedNoToken() {
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
        http.get().uri("/v3/api-docs").exchange().expectStatus().isOk();
    }
}
