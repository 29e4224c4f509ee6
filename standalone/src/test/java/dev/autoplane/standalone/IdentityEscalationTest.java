package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multi-principal escalation chains: what one person can do to another through workspaces they
 * create, members they add and tokens they mint or revoke. Each test is a chain a hostile but
 * careful user tried (issue 15); every link that would give them someone else's identity must fail,
 * and the legitimate delegated uses of the same endpoints must keep working.
 */
class IdentityEscalationTest extends ApiTest {

    /** viewer → workspace creator → member manager → token minter: the chain that gave away the admin. */
    @Test
    void aViewerCannotMintATokenForTheOperatorThroughAWorkspaceOfTheirOwn() {
        String mallory = member("mallory-" + System.nanoTime(), "viewer");
        String evil = createWorkspace(mallory, "evil");

        assertThat(assertProblem(putMember(mallory, evil, "admin", "viewer"), 403)).containsEntry("user_id", "admin");
        assertProblem(post(mallory, "/tokens", Map.of("name", "pwn", "user_id", "admin")), 403);
        assertProblem(post(mallory, "/tokens", Map.of("name", "pwn", "user_id", "nobody-yet-" + System.nanoTime())), 403);
        assertProblem(putMember(mallory, WS, memberId(mallory), "admin"), 403);

        assertThat(memberIds(mallory, evil)).containsExactly(memberId(mallory));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM access_member WHERE workspace_id = ? AND user_id = 'admin'",
                Long.class, evil)).isZero();
    }

    @Test
    void aWorkspaceAdminCannotCollectAnotherWorkspacesMemberAndActOnTheirTokens() {
        String victimId = "victim-" + System.nanoTime();
        String victim = member(victimId, "editor");
        String mallory = member("mallory-" + System.nanoTime(), "viewer");
        String evil = createWorkspace(mallory, "evil");

        assertProblem(putMember(mallory, evil, victimId, "viewer"), 403);
        assertProblem(post(mallory, "/tokens", Map.of("name", "pwn", "user_id", victimId)), 403);
        assertProblem(get(mallory, "/tokens?user_id=" + victimId).exchange(), 403);

        // the token id is visible to readers of any history the victim wrote: it must not be enough
        String victimTokenId = tokenIds(victim).get(0);
        assertProblem(http.delete().uri("/api/v1/tokens/" + victimTokenId).header("Authorization", "Bearer " + mallory)
                .exchange(), 404);
        get(victim, "/workspaces").exchange().expectStatus().isOk();
    }

    @Test
    void anAdminProvisionsNewUsersIntoTheirWorkspaceAndLosesThatPowerWhenTheUserJoinsAnother() {
        String mallory = member("mallory-" + System.nanoTime(), "viewer");
        String evil = createWorkspace(mallory, "team space");
        String ghost = "ghost-" + System.nanoTime();

        putMember(mallory, evil, ghost, "editor").expectStatus().isOk();
        String ghostToken = issued((String) body(post(mallory, "/tokens", Map.of("name", "ghost laptop", "user_id", ghost))
                .expectStatus().isCreated()).get("token"));
        assertThat(workspaceIds(ghostToken)).containsExactly(evil);
        assertThat(body(get(mallory, "/tokens?user_id=" + ghost).exchange().expectStatus().isOk()).get("tokens"))
                .asList().hasSize(1);

        // a non-operator admin of another workspace cannot take ghost in; an operator can
        String dora = member("dora-" + System.nanoTime(), "admin");
        assertProblem(putMember(dora, WS, ghost, "viewer"), 403);
        putMember(adminToken, WS, ghost, "viewer").expectStatus().isOk();

        // now ghost also belongs to a workspace mallory does not administer
        assertProblem(post(mallory, "/tokens", Map.of("name", "again", "user_id", ghost)), 403);
        assertProblem(get(mallory, "/tokens?user_id=" + ghost).exchange(), 403);
        assertProblem(http.delete().uri("/api/v1/tokens/" + tokenIds(ghostToken).get(0))
                .header("Authorization", "Bearer " + mallory).exchange(), 404);
        get(ghostToken, "/workspaces").exchange().expectStatus().isOk();
    }

    @Test
    void theHomeWorkspacesAdminMayRemoveAndAddAgainAUserWhoBelongsNowhereElse() {
        String dora = member("dora-" + System.nanoTime(), "admin");
        String hana = "hana-" + System.nanoTime();
        putMember(dora, WS, hana, "viewer").expectStatus().isOk();
        String hanaToken = issued((String) body(post(dora, "/tokens", Map.of("name", "hana", "user_id", hana))
                .expectStatus().isCreated()).get("token"));
        http.delete().uri("/api/v1/workspaces/" + WS + "/members/" + hana).header("Authorization", "Bearer " + dora)
                .exchange().expectStatus().isNoContent();
        putMember(dora, WS, hana, "editor").expectStatus().isOk();
        http.delete().uri("/api/v1/tokens/" + tokenIds(hanaToken).get(0)).header("Authorization", "Bearer " + dora)
                .exchange().expectStatus().isNoContent();
        assertProblem(get(hanaToken, "/workspaces").exchange(), 401);
    }

    @Test
    void serviceAccountsHaveNoPersonalTokensAndAmbiguousCredentialsAreRefused() {
        Map<String, String> machine = createMachine(adminToken, WS, Map.of());
        String sa = accessToken(machine.get("id"), machine.get("secret"));
        assertProblem(get(sa, "/tokens").exchange(), 403);

        WebTestClient.ResponseSpec twoHeaders = http.get().uri("/api/v1/workspaces")
                .header("Authorization", "Bearer " + sa).header("Authorization", "Bearer " + adminToken).exchange();
        assertThat(assertProblem(twoHeaders, 400)).containsEntry("code", "ambiguous_credentials");
    }

    private String createWorkspace(String token, String name) {
        return (String) body(post(token, "/workspaces", Map.of("name", uniqueName(name))).expectStatus().isCreated()).get("id");
    }

    private WebTestClient.ResponseSpec putMember(String token, String ws, String userId, String role) {
        return http.put().uri("/api/v1/workspaces/" + ws + "/members/" + userId).header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("role", role)).exchange();
    }

    @SuppressWarnings("unchecked")
    private List<String> memberIds(String token, String ws) {
        return ((List<Map<String, Object>>) body(get(token, "/workspaces/" + ws + "/members").exchange().expectStatus().isOk())
                .get("members")).stream().map(m -> (String) m.get("user_id")).toList();
    }

    @SuppressWarnings("unchecked")
    private List<String> workspaceIds(String token) {
        return ((List<Map<String, Object>>) body(get(token, "/workspaces").exchange().expectStatus().isOk())
                .get("workspaces")).stream().map(w -> (String) w.get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    private List<String> tokenIds(String token) {
        return ((List<Map<String, Object>>) body(get(token, "/tokens").exchange().expectStatus().isOk()).get("tokens"))
                .stream().map(t -> (String) t.get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    private String memberId(String token) {
        return (String) ((List<Map<String, Object>>) body(get(token, "/tokens").exchange().expectStatus().isOk())
                .get("tokens")).get(0).get("user_id");
    }
}
