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
 * database, no log line and no later response contains any of them in clear. Runs last, and also
 * looks for every secret the rest of the suite was given ({@link ApiTest#ISSUED}: personal access
 * tokens, {@code ap_sk_} secrets, access tokens) and for the signing keys' private material, in every
 * table and in the log output of the whole suite (surefire's {@code *-output.txt} of every test class).
 */
@ExtendWith(OutputCaptureExtension.class)
@org.junit.jupiter.api.Order(Integer.MAX_VALUE)
class SecretsNeverStoredTest extends ApiTest {

    @org.springframework.beans.factory.annotation.Autowired
    dev.autoplane.command.token.SigningKeys signingKeys;

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
        // an automation's credential at work: exchange, use, rotate, use the new secret
        Map<String, String> machine = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read")));
        String access = accessToken(machine.get("id"), machine.get("secret"));
        get(access, "/workspaces/" + WS + "/automations/" + machine.get("id")).exchange().expectStatus().isOk();
        Map<String, Object> rotated = body(post(adminToken, "/workspaces/" + WS + "/automations/" + machine.get("id")
                + "/secret/rotate", Map.of("grace_period_seconds", 60)).expectStatus().isOk());
        accessToken(machine.get("id"), issued((String) rotated.get("secret")));
        // push delivery's signing secrets: set on create (with an Idempotency-Key: its answer is stored), rotated
        Map<String, Object> pushed = body(http.post().uri("/api/v1/workspaces/" + WS + "/automations")
                .header("Authorization", "Bearer " + adminToken).header("Idempotency-Key", "push-scan-" + System.nanoTime())
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", uniqueName("pushed secretly"), "kind", "scheduled",
                        "delivery", Map.of("url", "http://127.0.0.1:9/runs")))
                .exchange().expectStatus().isCreated());
        secrets.add((String) pushed.get("secret"));
        Map<String, Object> pushedAutomation = (Map<String, Object>) pushed.get("automation");
        String signingSecret = (String) ((Map<String, Object>) pushedAutomation.get("delivery")).get("signing_secret");
        String rotatedSigning = (String) body(post(adminToken, "/workspaces/" + WS + "/automations/"
                + pushedAutomation.get("id") + "/delivery/rotate-secret", Map.of("grace_period_seconds", 60))
                .expectStatus().isOk()).get("signing_secret");
        for (String s : List.of(signingSecret, rotatedSigning)) {
            assertThat(s).startsWith("whsec_");
            secrets.add(s);
            secrets.add(s.substring("whsec_".length())); // the key itself, without its prefix
        }
        // everything any test of the suite was given
        secrets.addAll(ISSUED);
        assertThat(secrets).anySatisfy(t -> assertThat(t).startsWith("ap_sk_"))
                .anySatisfy(t -> assertThat(t).startsWith("ap_pat_")).anySatisfy(t -> assertThat(t).startsWith("eyJ"));
        java.security.PrivateKey signing = signingKeys.current().key();
        secrets.add(java.util.Base64.getEncoder().encodeToString(signing.getEncoded()));
        byte[] d = ((java.security.interfaces.ECPrivateKey) signing).getS().toByteArray();
        byte[] scalar = new byte[32];
        System.arraycopy(d, Math.max(0, d.length - 32), scalar, Math.max(0, 32 - d.length), Math.min(32, d.length));
        secrets.add(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(scalar)); // the JWK "d"
        secrets.add(java.util.HexFormat.of().formatHex(scalar));

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

        // every log line written meanwhile, and the log file of the whole suite
        secrets.forEach(s -> assertThat(output.getAll()).doesNotContain(s));
        // surefire keeps each test class's console output (every log line) in target/surefire-reports
        StringBuilder logs = new StringBuilder(output.getAll());
        java.nio.file.Path reports = java.nio.file.Path.of("target", "surefire-reports");
        if (java.nio.file.Files.isDirectory(reports)) { // absent when run outside Maven (an IDE): then only this class's output
            try (var files = java.nio.file.Files.list(reports)) {
                for (java.nio.file.Path f : files.filter(f -> f.getFileName().toString().endsWith("-output.txt")).toList()) {
                    logs.append(java.nio.file.Files.readString(f));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(logs).as("the suite's log output").contains("Started").contains("access-token signing key");
        }
        String log = logs.toString();
        secrets.forEach(s -> assertThat(log).as("the suite's log output").doesNotContain(s));
    }
}
