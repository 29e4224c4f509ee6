package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets are shown once and stored only as keyed hashes or ciphertext: after issuing tokens,
 * automation secrets and OAuth tokens (including through an idempotent replay), no table of the
 * database, no log line and no later response contains any of them in clear.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverStoredTest extends ApiTest {

    @Test
    @SuppressWarnings("unchecked")
    void noSecretInAnyTableLogLineOrLaterResponse(CapturedOutput output) {
        List<String> secrets = new ArrayList<>();
        String oauth = "xoxb-oauth-" + System.nanoTime();
        secrets.add(oauth);
        Map<String, Object> created = body(http.post().uri("/api/v1/workspaces/" + WS + "/automations")
                .header("Authorization", "Bearer " + adminToken).header("Idempotency-Key", "secret-scan-" + System.nanoTime())
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", uniqueName("secretive"), "kind", "scheduled", "oauth_token", oauth))
                .exchange().expectStatus().isCreated());
        secrets.add((String) created.get("secret"));
        String id = (String) ((Map<String, Object>) created.get("automation")).get("id");
        String replaced = "xoxb-replaced-" + System.nanoTime();
        secrets.add(replaced);
        patch(adminToken, "/workspaces/" + WS + "/automations/" + id, Map.of("oauth_token", replaced)).expectStatus().isOk();
        secrets.add((String) body(post(adminToken, "/tokens", Map.of("name", "scan")).expectStatus().isCreated()).get("token"));
        secrets.add(adminToken);
        secrets.add(member("sam", "viewer"));

        // every later response
        for (String path : List.of("/workspaces/" + WS + "/automations/" + id, "/workspaces/" + WS + "/automations/" + id + "/history",
                "/workspaces/" + WS + "/automations?page_size=1000", "/workspaces/" + WS + "/automations/" + id + "/revisions",
                "/tokens", "/workspaces/" + WS + "/members")) {
            String response = get(adminToken, "/" + path.substring(1)).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            secrets.forEach(s -> assertThat(response).as(path).doesNotContain(s));
        }

        // every row of every table
        List<String> tables = jdbc.queryForList("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'",
                String.class);
        assertThat(tables).contains("DOMAIN_EVENT_ENTRY", "AUTOMATION_VIEW", "ACCESS_TOKEN", "IDEMPOTENCY_KEY");
        int cells = 0;
        for (String table : tables) {
            for (Map<String, Object> row : jdbc.queryForList("SELECT * FROM \"" + table + "\"")) {
                for (Map.Entry<String, Object> cell : row.entrySet()) {
                    Object v = cell.getValue();
                    String text = v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v);
                    cells++;
                    secrets.forEach(s -> assertThat(text).as(table + "." + cell.getKey()).doesNotContain(s));
                }
            }
        }
        assertThat(cells).isGreaterThan(100);

        // every log line written meanwhile
        secrets.forEach(s -> assertThat(output.getAll()).doesNotContain(s));
    }
}
