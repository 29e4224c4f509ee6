package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad input gets a clear answer (problem+json, the right status, field errors) and changes
 * nothing; nothing a client sends yields a 500.
 */
class BadInputTest extends ApiTest {

    static final String AUTOMATIONS = "/api/v1/workspaces/" + WS + "/automations";

    WebTestClient.ResponseSpec postRaw(String json) {
        return http.post().uri(AUTOMATIONS).header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    void rejectedAndNothingStored(String json, int status, String... fields) {
        long before = countAutomations();
        assertProblem(postRaw(json), status, fields);
        assertThat(countAutomations()).as("nothing stored for %s", json.length() > 200 ? json.substring(0, 200) : json)
                .isEqualTo(before);
    }

    @Test
    void wrongTypesNullsAndBlankValues() {
        rejectedAndNothingStored("{\"name\": 123, \"kind\": \"scheduled\"}", 400, "name");
        rejectedAndNothingStored("{\"name\": null, \"kind\": \"scheduled\"}", 400, "name");
        rejectedAndNothingStored("{\"name\": \"   \", \"kind\": \"scheduled\"}", 400, "name");
        rejectedAndNothingStored("{\"name\": \"" + "x".repeat(201) + "\", \"kind\": \"scheduled\"}", 400, "name");
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": [\"scheduled\"]}", 400, "kind");
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"config\": \"text\"}", 400, "config");
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"enabled\": \"yes\"}", 400, "enabled");
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"triggers\": {}}", 400, "triggers");
    }

    @Test
    void aWrongJsonTypeIsOneFieldErrorAmongAllTheOthers() {
        // the typed request records bind what they can; the field rules still answer every violation at once
        rejectedAndNothingStored("{\"name\": 5, \"kind\": \"nope\", \"enabled\": \"yes\", \"colour\": \"red\", "
                + "\"fire_limit\": {\"max\": \"ten\", \"window\": \"1h\"}}", 400, "name", "kind", "enabled", "colour",
                "fire_limit.max");
        String id = (String) createAutomation(Map.of("name", "typed " + System.nanoTime(), "kind", "scheduled")).get("id");
        String path = "/workspaces/" + WS + "/automations/" + id;
        assertProblem(patch(adminToken, path, "{\"description\": 7, \"retry\": {\"strategy\": 1}, \"organization_id\": \"o\"}"),
                400, "description", "retry.strategy", "organization_id");
        assertProblem(http.put().uri("/api/v1" + path + "/schedule").header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"cron\": 5, \"jitter_seconds\": \"x\", \"enabled\": true}")
                .exchange(), 400, "cron", "jitter_seconds", "enabled");
        assertProblem(post(adminToken, path + "/triggers", "{\"type\": 5, \"enabled\": \"yes\", \"colour\": 1}"), 400,
                "type", "enabled", "colour");
    }

    @Test
    void unknownFieldsAndUnicodeEdgeCases() {
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"colour\": \"red\"}", 400, "colour");
        rejectedAndNothingStored("{\"name\": \"nul\\u0000byte\", \"kind\": \"scheduled\"}", 400, "name");
        rejectedAndNothingStored("{\"name\": \"half \\ud800\", \"kind\": \"scheduled\"}", 400, "name");
        // right-to-left text and astral characters are fine
        long before = countAutomations();
        postRaw("{\"name\": \"\\u202eRTL " + System.nanoTime() + " \\ud83d\\ude80\", \"kind\": \"scheduled\"}").expectStatus().isCreated();
        assertThat(countAutomations()).isEqualTo(before + 1);
    }

    @Test
    void injectionShapedKeysAndDeepNesting() {
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"config\": {\"payload\": {\"$ne\": null}}}", 400,
                "config.payload.$ne");
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"config\": {\"payload\": {\"$where\": \"1\"}}}", 400);
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"config\": {\"payload\": {\"a.b\": 1}}}", 400);
        rejectedAndNothingStored("{\"name\": {\"$ne\": null}, \"kind\": \"scheduled\"}", 400, "name");
        String deep = "{\"n\":".repeat(50) + "1" + "}".repeat(50);
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"config\": {\"payload\": " + deep + "}}", 400);
        String veryDeep = "[".repeat(5000) + "]".repeat(5000);
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"default_inputs\": " + veryDeep + "}", 400);
    }

    @Test
    void malformedDuplicateAndNonObjectBodies() {
        rejectedAndNothingStored("{\"name\": \"a\", \"name\": \"b\", \"kind\": \"scheduled\"}", 400);
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": ", 400);
        rejectedAndNothingStored("[1, 2]", 400);
        rejectedAndNothingStored("\"just a string\"", 400);
        rejectedAndNothingStored("{} trailing", 400);
        long before = countAutomations();
        assertProblem(http.post().uri(AUTOMATIONS).header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).exchange(), 400);
        assertThat(countAutomations()).isEqualTo(before);
    }

    @Test
    void scheduleAndTriggerMistakesSayWhatIsWrong() {
        Map<String, Object> problem = assertProblem(postRaw("{\"name\": \"a\", \"kind\": \"scheduled\", \"triggers\": ["
                + "{\"type\": \"cron\", \"config\": {\"schedule\": \"0 25 * * *\", \"timezone\": \"Europe/Atlantis\"}}]}"), 400,
                "triggers[0].config.schedule", "triggers[0].config.timezone");
        assertThat(problem.toString()).contains("Europe/Atlantis");
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"triggers\": [{\"type\": \"interval\", "
                + "\"config\": {\"every\": \"PT0S\"}}]}", 400, "triggers[0].config.every");
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"triggers\": [{\"type\": \"at\", "
                + "\"config\": {\"at\": \"2026-02-30T10:00:00Z\"}}]}", 400, "triggers[0].config.at");
        String cron = "{\"type\": \"cron\", \"config\": {\"schedule\": \"@daily\"}}";
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"triggers\": [" + cron + "," + cron + "]}", 400,
                "triggers[1].type");
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"repository_ids\": [\"r\"], "
                + "\"repository_set_id\": \"s\"}", 400, "repository_set_id");
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"workspace_lifecycle_policy\": "
                + "\"delete_after_inactivity\", \"workspace_auto_stop_minutes\": 2}", 400, "workspace_auto_stop_minutes");
        rejectedAndNothingStored("{\"name\": \"a\", \"kind\": \"scheduled\", \"workspace_lifecycle_policy\": "
                + "\"delete_after_inactivity\", \"workspace_auto_stop_minutes\": 1441}", 400, "workspace_auto_stop_minutes");
    }

    @Test
    void protocolErrorsAreProblemsToo() {
        String big = "{\"name\": \"a\", \"kind\": \"scheduled\", \"description\": \"" + "x".repeat(1_100_000) + "\"}";
        rejectedAndNothingStored(big, 413);
        assertProblem(http.post().uri(AUTOMATIONS).header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.TEXT_PLAIN).bodyValue("name=a").exchange(), 415);
        assertProblem(http.get().uri(AUTOMATIONS).header("Authorization", "Bearer " + adminToken)
                .accept(MediaType.APPLICATION_XML).exchange(), 406);
        assertProblem(http.get().uri("/api/v1/nothing-here").header("Authorization", "Bearer " + adminToken).exchange(), 404);
        assertProblem(http.put().uri(AUTOMATIONS).header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange(), 405);
        assertProblem(http.get().uri(AUTOMATIONS + "/not-a-uuid").header("Authorization", "Bearer " + adminToken).exchange(), 404);
        assertProblem(http.get().uri(AUTOMATIONS + "/01900000-0000-7000-8000-000000000000").header("Authorization", "Bearer " + adminToken)
                .exchange(), 404);
        assertProblem(http.get().uri(AUTOMATIONS + "?show_deleted=maybe").header("Authorization", "Bearer " + adminToken)
                .exchange(), 400);
        assertProblem(http.get().uri(AUTOMATIONS + "/01900000-0000-7000-8000-000000000000?stage=final")
                .header("Authorization", "Bearer " + adminToken).exchange(), 400, "stage");
        assertProblem(http.patch().uri(AUTOMATIONS + "/01900000-0000-7000-8000-000000000000").header("Authorization", "Bearer " + adminToken)
                .header("If-Match", "not-an-etag").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange(), 412);
    }

    @Test
    void identityEndpointsValidateToo() {
        assertProblem(http.post().uri("/api/v1/workspaces").header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\": \"\"}").exchange(), 400, "name");
        assertProblem(http.post().uri("/api/v1/workspaces").header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\": \"w\", \"owner\": \"me\"}").exchange(), 400);
        assertProblem(http.post().uri("/api/v1/tokens").header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\": \"t\", \"expires_at\": \"tomorrow\"}").exchange(),
                400, "expires_at");
        assertProblem(http.post().uri("/api/v1/tokens").header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\": \"t\", \"expires_at\": \"2001-01-01T00:00:00Z\"}")
                .exchange(), 400, "expires_at");
        assertProblem(http.put().uri("/api/v1/workspaces/" + WS + "/members/bad%20user").header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"role\": \"viewer\"}").exchange(), 400, "user_id");
        for (String body : List.of("{\"role\": null}", "{\"role\": \"viewer\", \"team_ids\": [\"nope\"]}")) {
            assertProblem(http.put().uri("/api/v1/workspaces/" + WS + "/members/zed").header("Authorization", "Bearer " + adminToken)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(), 400);
        }
    }
}
