package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Seed 002's reads over revisions: the diff of two revisions, the default inputs' history, the code's connections. */
class RevisionsApiTest extends ApiTest {

    static final String A = "/workspaces/" + WS + "/automations/";

    @Test
    @SuppressWarnings("unchecked")
    void theDiffOfTwoRevisionsIsAJsonPatchOfTheChangedFields() {
        String id = (String) createDraft(uniqueName("diffed")).get("id");
        patch(adminToken, A + id, Map.of("description", "now described", "default_inputs", Map.of("limit", 5)))
                .expectStatus().isOk();
        patch(adminToken, A + id, java.util.Collections.singletonMap("description", null)).expectStatus().isOk();
        Map<String, Object> diff = body(get(adminToken, A + id + "/revisions/0.1/diff/0.2").exchange().expectStatus().isOk());
        assertThat(diff).containsEntry("from", "0.1").containsEntry("to", "0.2");
        assertThat((List<Map<String, Object>>) diff.get("patch")).containsExactly(
                Map.of("op", "add", "path", "/description", "value", "now described"),
                Map.of("op", "add", "path", "/default_inputs", "value", Map.of("limit", 5)));
        Map<String, Object> back = body(get(adminToken, A + id + "/revisions/0.2/diff/latest").exchange().expectStatus().isOk());
        assertThat((List<Map<String, Object>>) back.get("patch")).containsExactly(Map.of("op", "remove", "path", "/description"));
        assertThat((List<?>) body(get(adminToken, A + id + "/revisions/0.3/diff/0.3").exchange().expectStatus().isOk())
                .get("patch")).isEmpty();
        assertProblem(get(adminToken, A + id + "/revisions/0.1/diff/9.0").exchange(), 404);
        assertProblem(get(adminToken, A + id + "/revisions/x/diff/0.1").exchange(), 400, "a");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDefaultInputsHistoryListsEachChangeNewestFirstByStageAndPage() {
        String id = (String) createAutomation(Map.of("name", uniqueName("inputs"), "kind", "scheduled",
                "default_inputs", Map.of("limit", 1))).get("id");
        patch(adminToken, A + id, Map.of("description", "no inputs change")).expectStatus().isOk(); // 0.2
        patch(adminToken, A + id, Map.of("default_inputs", Map.of("limit", 2))).expectStatus().isOk(); // 0.3
        post(adminToken, A + id + "/publish", null).expectStatus().isOk(); // 1.0
        patch(adminToken, A + id, Map.of("default_inputs", Map.of("limit", 3))).expectStatus().isOk(); // 1.1
        Map<String, Object> all = body(get(adminToken, A + id + "/default-inputs-history").exchange().expectStatus().isOk());
        assertThat((List<Map<String, Object>>) all.get("entries")).extracting(e -> e.get("revision"))
                .containsExactly("1.1", "0.3", "0.1");
        Map<String, Object> published = body(get(adminToken, A + id + "/default-inputs-history?stage=PUBLISHED").exchange()
                .expectStatus().isOk());
        assertThat((List<Map<String, Object>>) published.get("entries")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("revision", "1.0").containsEntry("default_inputs", Map.of("limit", 2)));
        Map<String, Object> first = body(get(adminToken, A + id + "/default-inputs-history?page_size=2").exchange()
                .expectStatus().isOk());
        assertThat((List<?>) first.get("entries")).hasSize(2);
        Map<String, Object> second = body(get(adminToken, A + id + "/default-inputs-history?page_size=2&page_token="
                + first.get("next_page_token")).exchange().expectStatus().isOk());
        assertThat((List<Map<String, Object>>) second.get("entries")).extracting(e -> e.get("revision")).containsExactly("0.1");
        assertThat(second).doesNotContainKey("next_page_token");
        assertProblem(get(adminToken, A + id + "/default-inputs-history?stage=LIVE").exchange(), 400, "stage");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCodesConnectionReferencesAreExtractedAndMatchedToTheRevisionsConnections() {
        String used = (String) body(post(adminToken, "/workspaces/" + WS + "/connections",
                Map.of("name", uniqueName("code conn"), "provider", "github")).expectStatus().isCreated()).get("id");
        String unreferenced = (String) body(post(adminToken, "/workspaces/" + WS + "/connections",
                Map.of("name", uniqueName("quiet conn"), "provider", "slack")).expectStatus().isCreated()).get("id");
        String id = (String) createAutomation(Map.of("name", uniqueName("coded"), "kind", "code",
                "code", "gh = connection(\"" + used + "\")\nx = 1\nslack = connections['unknown-one']\n")).get("id");
        post(adminToken, A + id + "/connections/add", Map.of("connection_ids", List.of(used, unreferenced))).expectStatus().isOk();
        Map<String, Object> found = body(get(adminToken, A + id + "/code-connections?stage=DRAFT").exchange().expectStatus().isOk());
        assertThat(found).containsEntry("revision", "0.2").containsEntry("unreferenced_connections", List.of(unreferenced));
        List<Map<String, Object>> refs = (List<Map<String, Object>>) found.get("references");
        assertThat(refs).hasSize(2);
        assertThat(refs.get(0)).containsEntry("connection_id", used).containsEntry("line", 1).containsEntry("used", true)
                .containsEntry("version", 1);
        assertThat(refs.get(1)).containsEntry("connection_id", "unknown-one").containsEntry("line", 3).containsEntry("used", false);
        assertProblem(get(adminToken, A + id + "/code-connections?stage=PUBLISHED").exchange(), 404);
    }

    @Test
    void becomingActiveFromPausedPublishesTheNewerDraft() {
        String id = (String) createAutomation(Map.of("name", uniqueName("paused edit"), "kind", "scheduled",
                "status", "active")).get("id");
        post(adminToken, A + id + "/pause", null).expectStatus().isOk();
        assertThat(body(patch(adminToken, A + id, Map.of("description", "edited while paused")).expectStatus().isOk()))
                .containsEntry("revision", "1.1").containsEntry("latest_published_version", "1.0");
        Map<String, Object> resumed = body(post(adminToken, A + id + "/resume", null).expectStatus().isOk());
        assertThat(resumed).containsEntry("status", "active").containsEntry("latest_published_version", "2.0")
                .containsEntry("revision", "2.0");
        Map<String, Object> published = body(get(adminToken, A + id + "?stage=published").exchange().expectStatus().isOk());
        assertThat(published).containsEntry("description", "edited while paused");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPublishedAutomationIsVisualizedAfterItsPublish() {
        String draft = (String) createDraft(uniqueName("unpublished picture")).get("id");
        assertProblem(get(adminToken, A + draft + "/visualization").exchange(), 404);
        String id = (String) createAutomation(Map.of("name", uniqueName("pictured"), "kind", "scheduled", "status", "active",
                "triggers", List.of(Map.of("type", "api")))).get("id");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(body(get(adminToken, A + id + "/visualization").exchange().expectStatus().isOk()))
                        .containsEntry("state", "COMPLETED"));
        Map<String, Object> v = body(get(adminToken, A + id + "/visualization").exchange().expectStatus().isOk());
        assertThat(v).containsEntry("automation_version", "1.0")
                .containsEntry("name", "workspaces/" + WS + "/automations/" + id + "/visualization");
        assertThat((String) v.get("mermaid")).startsWith("flowchart LR").contains("trigger api").contains("revision 1.0");
        assertThat((String) v.get("svg")).contains("<svg").contains("revision 1.0");
    }
}
