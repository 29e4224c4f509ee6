package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 002's connections over HTTP: the connection resource (credential write-only), the atomic connection edits
 * of a draft (one revision, all or nothing, 409 with a fork link on a published automation), usage counts and
 * traces, and deleting a connection (refused while a published revision uses it).
 */
class ConnectionsApiTest extends ApiTest {

    static final String C = "/workspaces/" + WS + "/connections";
    static final String A = "/workspaces/" + WS + "/automations/";

    Map<String, Object> connection(String provider, String credential) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", uniqueName("conn"), "provider", provider,
                "config", Map.of("channel", "general")));
        if (credential != null) {
            body.put("credential", issued(credential));
        }
        return body(post(adminToken, C, body).expectStatus().isCreated());
    }

    @Test
    void aConnectionsCredentialIsWriteOnlyAndEachConfigChangeIsANewVersion() {
        String credential = "xoxb-connection-" + System.nanoTime();
        Map<String, Object> made = connection("slack", credential);
        String id = (String) made.get("id");
        assertThat(made).containsEntry("version", 1).containsEntry("credential_present", true)
                .containsEntry("provider", "slack").doesNotContainKey("credential");
        String one = get(adminToken, C + "/" + id).exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(one).contains(id).doesNotContain(credential);
        Map<String, Object> changed = body(patch(adminToken, C + "/" + id, Map.of("config", Map.of("channel", "ops")))
                .expectStatus().isOk());
        assertThat(changed).containsEntry("version", 2).containsEntry("config", Map.of("channel", "ops"));
        Map<String, Object> renamed = body(patch(adminToken, C + "/" + id, Map.of("name", uniqueName("renamed")))
                .expectStatus().isOk());
        assertThat(renamed).containsEntry("version", 2);
        Map<String, Object> cleared = body(patch(adminToken, C + "/" + id, java.util.Collections.singletonMap("credential", null))
                .expectStatus().isOk());
        assertThat(cleared).containsEntry("version", 3).containsEntry("credential_present", false);
        assertProblem(patch(adminToken, C + "/" + id, Map.of("provider", "github")), 400, "provider");
        assertProblem(post(adminToken, C, Map.of("name", "x", "provider", "slack", "colour", "red")), 400, "colour");
        String listed = get(adminToken, C + "?page_size=1000").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(listed).contains(id).doesNotContain(credential);
        // a viewer reads, but does not change
        String viewer = member("conn-viewer", "viewer");
        get(viewer, C + "/" + id).exchange().expectStatus().isOk();
        assertProblem(patch(viewer, C + "/" + id, Map.of("name", "nope")), 403);
    }

    @Test
    @SuppressWarnings("unchecked")
    void connectionEditsOfADraftAreAtomicAndAPublishedAutomationIsForkedFirst() {
        String c1 = (String) connection("slack", null).get("id");
        String c2 = (String) connection("github", null).get("id");
        String c3 = (String) connection("slack", null).get("id");
        String id = (String) createDraft(uniqueName("connected")).get("id");
        Map<String, Object> added = body(post(adminToken, A + id + "/connections/add", Map.of("connection_ids", List.of(c1, c2)))
                .expectStatus().isOk());
        assertThat(added).containsEntry("revision", "0.2");
        assertThat((List<Map<String, Object>>) added.get("connections")).extracting(m -> m.get("connection_id"))
                .containsExactly(c1, c2);
        // one bad id: nothing changes, every problem is named
        assertProblem(post(adminToken, A + id + "/connections/add",
                Map.of("connection_ids", List.of(c3, c1, "01900000-0000-7000-8000-00000000dead"))), 400,
                "connection_ids[1]", "connection_ids[2]");
        assertThat(body(get(adminToken, A + id).exchange().expectStatus().isOk())).containsEntry("revision", "0.2");
        // a new version of c2: upgrade moves the draft to it
        patch(adminToken, C + "/" + c2, Map.of("config", Map.of("org", "acme"))).expectStatus().isOk();
        Map<String, Object> upgraded = body(post(adminToken, A + id + "/connections/upgrade", Map.of("connection_ids", List.of(c2)))
                .expectStatus().isOk());
        assertThat(upgraded).containsEntry("revision", "0.3");
        assertThat((List<Map<String, Object>>) upgraded.get("connections"))
                .contains(Map.of("connection_id", c2, "version", 2));
        // published: edits point to fork
        post(adminToken, A + id + "/publish", null).expectStatus().isOk();
        Map<String, Object> refused = assertProblem(post(adminToken, A + id + "/connections/switch",
                Map.of("switches", List.of(Map.of("from_connection_id", c1, "to_connection_id", c3)))), 409);
        assertThat(refused).containsEntry("code", "published_automation");
        assertThat((String) refused.get("fork")).endsWith("/automations/" + id + "/fork");
        Map<String, Object> forked = body(post(adminToken, A + id + "/fork", null).expectStatus().isOk());
        assertThat(forked).containsEntry("revision", "1.1").containsEntry("latest_published_version", "1.0");
        Map<String, Object> switched = body(post(adminToken, A + id + "/connections/switch",
                Map.of("switches", List.of(Map.of("from_connection_id", c1, "to_connection_id", c3)))).expectStatus().isOk());
        assertThat((List<Map<String, Object>>) switched.get("connections")).extracting(m -> m.get("connection_id"))
                .containsExactly(c3, c2);
        Map<String, Object> removed = body(post(adminToken, A + id + "/connections/remove", Map.of("connection_ids", List.of(c2)))
                .expectStatus().isOk());
        assertThat(removed).containsEntry("revision", "1.3");

        // usage: c1 and c2 are used by the published revision 1.0, c3 by the draft 1.3
        Map<String, Object> counts = body(post(adminToken, C + "/count-usage", Map.of("connection_ids", List.of(c1, c3)))
                .expectStatus().isOk());
        assertThat((List<Map<String, Object>>) counts.get("counts")).containsExactly(
                Map.of("connection_id", c1, "automation_count", 1), Map.of("connection_id", c3, "automation_count", 1));
        Map<String, Object> trace = body(get(adminToken, C + "/" + c1 + "/usage").exchange().expectStatus().isOk());
        assertThat((List<Map<String, Object>>) trace.get("automations")).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("automation_id", id).containsEntry("stages", List.of("PUBLISHED")));
        // deleting a connection a published revision uses is refused; one only a draft uses goes, reporting the draft
        Map<String, Object> blocked = assertProblem(http.delete().uri("/api/v1" + C + "/" + c1)
                .header("Authorization", "Bearer " + adminToken).exchange(), 409);
        assertThat(blocked).containsEntry("code", "connection_in_use").containsEntry("blocking_automations", List.of(id));
        Map<String, Object> deleted = body(http.delete().uri("/api/v1" + C + "/" + c3)
                .header("Authorization", "Bearer " + adminToken).exchange().expectStatus().isOk());
        assertThat(deleted).containsEntry("affected_draft_automations", List.of(id));
        assertProblem(get(adminToken, C + "/" + c3).exchange(), 404);
        // the deleted connection can no longer be upgraded to; the draft still names it
        assertProblem(post(adminToken, A + id + "/connections/upgrade", Map.of("connection_ids", List.of(c3))), 400,
                "connection_ids[0]");
    }

    @Test
    void restoreMakesADraftFromAnEarlierRevisionAndSaysSo() {
        Map<String, Object> made = createDraft(uniqueName("restorable"));
        String id = (String) made.get("id");
        patch(adminToken, A + id, Map.of("description", "second", "marked_outputs", List.of("summary"))).expectStatus().isOk();
        Map<String, Object> restored = body(post(adminToken, A + id + "/restore", Map.of("revision", "0.1")).expectStatus().isOk());
        assertThat(restored).containsEntry("revision", "0.3").containsEntry("restore_version", "0.1")
                .containsEntry("restore_user_id", "admin").containsEntry("update_user_id", "admin")
                .containsEntry("marked_outputs", List.of()).containsKey("restore_time");
        assertThat(restored.get("description")).isNull();
        assertProblem(post(adminToken, A + id + "/restore", Map.of("revision", "9.0")), 404);
        Map<String, Object> published = body(post(adminToken, A + id + "/publish", null).expectStatus().isOk());
        assertThat(published).containsEntry("publish_user_id", "admin").containsKey("publish_time");
    }

    @Test
    void aDeactivatedAutomationRunsNothingUntilActivated() {
        Map<String, Object> made = createAutomation(Map.of("name", uniqueName("deactivatable"), "kind", "scheduled",
                "status", "active"));
        String id = (String) made.get("id");
        assertThat(made).containsEntry("activation_state", "active");
        assertProblem(post(adminToken, A + createDraft(uniqueName("unpublished")).get("id") + "/deactivate", null), 409);
        Map<String, Object> off = body(post(adminToken, A + id + "/deactivate", null).expectStatus().isOk());
        assertThat(off).containsEntry("activation_state", "deactivated").containsEntry("status", "active");
        Map<String, Object> refused = assertProblem(post(adminToken, A + id + "/invoke", Map.of()), 409);
        assertThat(refused).containsEntry("code", "deactivated");
        assertThat(body(post(adminToken, A + id + "/activate", null).expectStatus().isOk()))
                .containsEntry("activation_state", "active");
        post(adminToken, A + id + "/invoke", Map.of()).expectStatus().isAccepted();
    }
}
