package dev.autoplane.standalone;

import dev.autoplane.platform.text.TextRules;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, item 8: every text field of every endpoint takes only what it declares — a JSON string
 * of valid Unicode without NUL — and anything else (a lone surrogate, NUL, a number, a boolean, an
 * array) is {@code 400} problem+json naming the field, with nothing stored. JSON bodies are written
 * by hand here: a client library would not send a lone surrogate.
 */
class TextInputTest extends ApiTest {

    static final String LONE = "\\ud800";
    static final String LOW = "\\udc00";
    static final String NUL = "\\u0000";

    /** Events the request could have appended (the engine's fires from other tests are not ours). */
    long events() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE payload_type NOT LIKE '%JobFired%' "
                + "AND payload_type NOT LIKE '%OccurrenceSkipped%' AND payload_type NOT LIKE '%RunCanceled%'", Long.class);
    }

    WebTestClient.ResponseSpec send(HttpMethod method, String path, String json) {
        return http.method(method).uri("/api/v1" + path).header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json.getBytes(StandardCharsets.UTF_8)).exchange();
    }

    /** Sends each body: each is a 400 naming {@code field}, and no event is appended. */
    void refused(HttpMethod method, String path, String field, String... bodies) {
        for (String json : bodies) {
            long before = events();
            Map<String, Object> problem = assertProblem(send(method, path, json), 400, field);
            assertThat(events()).as("nothing stored for %s %s %s", method, path, json).isEqualTo(before);
            assertThat(TextRules.isValid(problem.toString())).as("the problem itself is valid text").isTrue();
        }
    }

    /** The usual suspects for a string field, as JSON values. */
    static String[] badStrings(String template) {
        return List.of("\"x" + LONE + "y\"", "\"" + LOW + "\"", "\"x" + NUL + "y\"", "12345", "true", "[\"a\"]", "{\"a\": \"b\"}")
                .stream().map(v -> template.replace("%", v)).toArray(String[]::new);
    }

    @Test
    void workspacesTeamsAndTokens() {
        refused(HttpMethod.POST, "/workspaces", "name", badStrings("{\"name\": %}"));
        refused(HttpMethod.POST, "/workspaces", "organization_id", badStrings("{\"name\": \"ok\", \"organization_id\": %}"));
        refused(HttpMethod.POST, "/workspaces/" + WS + "/teams", "name", badStrings("{\"name\": %}"));
        refused(HttpMethod.POST, "/tokens", "name", badStrings("{\"name\": %}"));
        refused(HttpMethod.POST, "/tokens", "user_id", badStrings("{\"name\": \"ok\", \"user_id\": %}"));
        refused(HttpMethod.POST, "/tokens", "expires_at", badStrings("{\"name\": \"ok\", \"expires_at\": %}"));
        refused(HttpMethod.PUT, "/workspaces/" + WS + "/members/text-member", "role", badStrings("{\"role\": %}"));
        refused(HttpMethod.PUT, "/workspaces/" + WS + "/members/text-member", "team_ids[0]",
                "{\"role\": \"viewer\", \"team_ids\": [\"a" + LONE + "\"]}", "{\"role\": \"viewer\", \"team_ids\": [7]}");
        // one line of text: control characters in names are refused too
        refused(HttpMethod.POST, "/workspaces", "name", "{\"name\": \"two\\nlines\"}", "{\"name\": \"bell\\u0007\"}");
    }

    @Test
    void agents() {
        String installation = (String) createDraft(uniqueName("text agent host")).get("id");
        String agents = "/workspaces/" + WS + "/agents";
        refused(HttpMethod.POST, agents, "name", badStrings("{\"name\": %, \"installation_id\": \"" + installation + "\"}"));
        Map<String, Object> agent = body(post(adminToken, agents, Map.of("name", uniqueName("text agent"),
                "installation_id", installation)).expectStatus().isCreated());
        refused(HttpMethod.PATCH, agents + "/" + agent.get("id"), "name", badStrings("{\"name\": %}"));
        refused(HttpMethod.PATCH, agents + "/" + agent.get("id"), "suspended", "{\"suspended\": \"true\"}", "{\"suspended\": 1}");
    }

    @Test
    void automationsIncludingNestedConfigAndCredentials() {
        String automations = "/workspaces/" + WS + "/automations";
        refused(HttpMethod.POST, automations, "name", badStrings("{\"name\": %, \"kind\": \"scheduled\"}"));
        refused(HttpMethod.POST, automations, "config.channel",
                "{\"name\": \"ok\", \"kind\": \"scheduled\", \"config\": {\"channel\": \"a" + LONE + "\"}}",
                "{\"name\": \"ok\", \"kind\": \"scheduled\", \"config\": {\"channel\": \"a" + NUL + "\"}}");
        refused(HttpMethod.POST, automations, "config.nested.deep[1]",
                "{\"name\": \"ok\", \"kind\": \"scheduled\", \"config\": {\"nested\": {\"deep\": [\"x\", \"" + LOW + "\"]}}}");
        // a lone surrogate in a key: Jackson's parser refuses it already (malformed JSON, no field to name)
        long before = events();
        assertProblem(send(HttpMethod.POST, automations,
                "{\"name\": \"ok\", \"kind\": \"scheduled\", \"default_inputs\": {\"k" + LONE + "\": 1}}"), 400);
        assertProblem(send(HttpMethod.POST, automations,
                "{\"name\": \"ok\", \"kind\": \"scheduled\", \"default_inputs\": {\"k" + NUL + "\": 1}}"), 400);
        assertThat(events()).isEqualTo(before);
        refused(HttpMethod.POST, automations, "oauth_token",
                badStrings("{\"name\": \"ok\", \"kind\": \"scheduled\", \"oauth_token\": %}"));
        String id = (String) createDraft(uniqueName("text patch")).get("id");
        String one = automations + "/" + id;
        refused(HttpMethod.PATCH, one, "description", badStrings("{\"description\": %}"));
        refused(HttpMethod.PATCH, one, "oauth_token", badStrings("{\"oauth_token\": %}"));
        refused(HttpMethod.PATCH, one, "credential_label", "{\"credential_label\": \"tab\\there\"}");
        refused(HttpMethod.PATCH, one, "triggers[0].config.timezone",
                "{\"triggers\": [{\"type\": \"cron\", \"config\": {\"schedule\": \"@daily\", \"timezone\": \"UTC" + NUL + "\"}}]}");
        refused(HttpMethod.POST, one + "/secret/rotate", "grace_period_seconds",
                "{\"grace_period_seconds\": \"5\"}", "{\"grace_period_seconds\": 1.5}", "{\"grace_period_seconds\": true}");
        refused(HttpMethod.POST, one + "/approve", "revision", badStrings("{\"revision\": %}"));
    }

    @Test
    void theRejectReasonAndTheReasonHeader() {
        String automations = "/workspaces/" + WS + "/automations";
        String id = (String) createDraft(uniqueName("text reject")).get("id");
        post(adminToken, automations + "/" + id + "/submit", null).expectStatus().isOk();
        refused(HttpMethod.POST, automations + "/" + id + "/reject", "reason", badStrings("{\"reason\": %}"));
        long before = events();
        assertProblem(http.post().uri("/api/v1" + automations + "/" + id + "/pause")
                .header("Authorization", "Bearer " + adminToken).header("X-Reason", "x".repeat(501)).exchange(), 400, "X-Reason");
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void schedulesTriggersAndManualRuns() {
        String id = (String) createDraft(uniqueName("text schedule")).get("id");
        String one = "/workspaces/" + WS + "/automations/" + id;
        refused(HttpMethod.PUT, one + "/schedule", "timezone", badStrings("{\"cron\": \"0 9 * * *\", \"timezone\": %}"));
        refused(HttpMethod.PUT, one + "/schedule", "cron", badStrings("{\"cron\": %}"));
        refused(HttpMethod.PATCH, one + "/schedule", "catch_up_policy", badStrings("{\"catch_up_policy\": %}"));
        refused(HttpMethod.POST, one + "/triggers", "config.timezone",
                badStrings("{\"type\": \"cron\", \"config\": {\"schedule\": \"@daily\", \"timezone\": %}}"));
        refused(HttpMethod.POST, one + "/triggers", "type", badStrings("{\"type\": %}"));
        refused(HttpMethod.POST, one + "/trigger", "inputs.note", "{\"inputs\": {\"note\": \"a" + LONE + "\"}}");
        refused(HttpMethod.POST, one + "/trigger", "trigger_id", "{\"trigger_id\": 5}", "{\"trigger_id\": \"" + NUL + "\"}");
        refused(HttpMethod.POST, one + "/invoke", "stage", "{\"stage\": \"draft" + NUL + "\"}", "{\"stage\": true}");
        refused(HttpMethod.POST, one + "/schedule/backfill", "start_time",
                "{\"start_time\": 12345, \"end_time\": \"2020-01-02T00:00:00Z\"}");
    }

    @Test
    void rawSurrogateBytesAreRefusedToo() {
        byte[] prefix = "{\"name\": \"x".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "y\"}".getBytes(StandardCharsets.UTF_8);
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // U+D800 encoded as if it were a character
        byte[] body = ByteBuffer.allocate(prefix.length + 3 + suffix.length).put(prefix).put(surrogate).put(suffix).array();
        long before = events();
        assertProblem(http.post().uri("/api/v1/workspaces").header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(), 400);
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void queryParametersAndPathVariablesNeverAnswer500() {
        String automations = "/api/v1/workspaces/" + WS + "/automations";
        for (String uri : List.of(automations + "?filter=name%00", automations + "?filter=name%20%3D%3D%20%22%5Cud800%22",
                automations + "?page_token=%ED%A0%80", automations + "?page_token=%00", automations + "?page_size=%00",
                automations + "/%00", automations + "/%ED%A0%80/history", "/api/v1/workspaces/%00/automations",
                "/api/v1/workspaces/" + WS + "/runs?status=%00", "/api/v1/workspaces/" + WS + "/agents/%ED%A0%80")) {
            var result = http.get().uri(java.net.URI.create("http://localhost:" + port + uri))
                    .header("Authorization", "Bearer " + adminToken).exchange().expectBody().returnResult();
            assertThat(result.getStatus().value()).as(uri).isBetween(400, 499);
            assertThat(result.getResponseHeaders().getContentType()).as(uri).isNotNull()
                    .matches(t -> t.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        }
        assertProblem(http.delete().uri(java.net.URI.create("http://localhost:" + port + "/api/v1/workspaces/" + WS
                + "/members/a%00b")).header("Authorization", "Bearer " + adminToken).exchange(), 400, "user_id");
    }

    @Test
    void listsStayValidJsonForStrictParsers() throws CharacterCodingException {
        refused(HttpMethod.POST, "/workspaces/" + WS + "/teams", "name", "{\"name\": \"x" + LONE + "y\"}");
        for (String path : List.of("/workspaces/" + WS + "/teams", "/workspaces", "/tokens", "/workspaces/" + WS + "/agents")) {
            byte[] bytes = get(adminToken, path).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            assertThat(text).as(path).doesNotContainPattern("\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}").doesNotContain("\\u0000");
        }
    }
}
