package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The automation lifecycle through the real HTTP stack: every endpoint's success path and its errors. */
class AutomationLifecycleTest extends ApiTest {

    static final String AUTOMATIONS = "/workspaces/" + WS + "/automations";

    @Test
    @SuppressWarnings("unchecked")
    void createAnswers201WithLocationEtagAndTheSecretOnce() {
        String name = uniqueName("digest");
        var response = post(adminToken, AUTOMATIONS, Map.of("name", "  " + name + "  ", "kind", "scheduled",
                "config", Map.of("cron", "0 9 * * MON", "channel", "general"), "oauth_token", "xoxb-very-secret"))
                .expectStatus().isCreated()
                .expectHeader().exists("Location")
                .expectHeader().exists("ETag");
        Map<String, Object> body = body(response);
        Map<String, Object> automation = (Map<String, Object>) body.get("automation");
        assertThat((String) body.get("secret")).startsWith("ap_sk_");
        assertThat(automation.get("name")).isEqualTo(name);
        assertThat(automation.get("status")).isEqualTo("draft");
        assertThat(automation.get("revision")).isEqualTo("0.1");
        assertThat(automation.get("oauth_token_present")).isEqualTo(true);
        assertThat(automation).doesNotContainKey("oauth_token");
        assertThat((Map<String, Object>) automation.get("created_by")).containsEntry("kind", "user").containsEntry("id", "admin");

        Map<String, Object> read = new java.util.HashMap<>(body(get(adminToken, AUTOMATIONS + "/" + automation.get("id"))
                .exchange().expectStatus().isOk()));
        assertThat(read.remove("run_counts")).as("a read also shows the runs' counts, none yet")
                .isEqualTo(Map.of("scheduled", 0, "running", 0, "delegated", 0, "completed", 0, "failed", 0, "canceled", 0));
        assertThat(read).doesNotContainKey("last_run_status").isEqualTo(automation);
        assertThat(read.toString()).doesNotContain((String) body.get("secret")).doesNotContain("xoxb-very-secret");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPatchTellsAFieldLeftOutFromOneSentAsNull() {
        Map<String, Object> created = (Map<String, Object>) body(post(adminToken, AUTOMATIONS, Map.of("name", uniqueName("nulls"),
                "kind", "scheduled", "description", "kept unless reset", "oauth_token", "xoxb-" + System.nanoTime()))
                .expectStatus().isCreated()).get("automation");
        String path = AUTOMATIONS + "/" + created.get("id");
        Map<String, Object> renamed = body(patch(adminToken, path, Map.of("name", uniqueName("renamed"))).expectStatus().isOk());
        assertThat(renamed).containsEntry("description", "kept unless reset").containsEntry("oauth_token_present", true);
        Map<String, Object> reset = body(patch(adminToken, path, "{\"description\": null, \"oauth_token\": null}")
                .expectStatus().isOk());
        assertThat(reset.get("description")).isNull();
        assertThat(reset).containsEntry("oauth_token_present", false).containsEntry("name", renamed.get("name"));
    }

    @Test
    void namesAreUniquePerWorkspaceCaseInsensitivelyAndFreedByDeletion() {
        String name = uniqueName("Unique");
        Map<String, Object> first = createDraft(name);
        assertProblem(post(adminToken, AUTOMATIONS, Map.of("name", name.toUpperCase(), "kind", "scheduled")), 409);
        http.delete().uri("/api/v1" + AUTOMATIONS + "/" + first.get("id")).header("Authorization", "Bearer " + adminToken)
                .exchange().expectStatus().isOk();
        createDraft(name);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStatusMachineWithASecondApprover() {
        String approver = member("carol", "approver");
        Map<String, Object> a = createDraft(uniqueName("approval"));
        String path = AUTOMATIONS + "/" + a.get("id");

        Map<String, Object> submitted = body(post(adminToken, path + "/submit", null).expectStatus().isOk());
        assertThat(submitted.get("status")).isEqualTo("pending_approval");
        Map<String, Object> self = assertProblem(post(adminToken, path + "/approve", null), 403);
        assertThat(self.get("code")).isEqualTo("self_approval");
        assertProblem(post(approver, path + "/approve", Map.of("revision", "0.9")), 409);

        Map<String, Object> approved = body(post(approver, path + "/approve", Map.of("revision", "0.1")).expectStatus().isOk());
        assertThat(approved.get("status")).isEqualTo("active");
        assertThat(approved.get("reviewed_by")).isEqualTo("carol");
        assertThat(approved.get("latest_published_version")).isEqualTo("1.0");

        Map<String, Object> illegal = assertProblem(post(adminToken, path + "/submit", null), 409);
        assertThat(illegal.get("current_status")).isEqualTo("active");

        assertThat(body(post(adminToken, path + "/pause", null).expectStatus().isOk()).get("status")).isEqualTo("paused");
        assertThat(body(post(adminToken, path + "/resume", null).expectStatus().isOk()).get("status")).isEqualTo("active");
        assertThat(body(patch(adminToken, path, Map.of("status", "paused")).expectStatus().isOk()).get("status")).isEqualTo("paused");
    }

    @Test
    void rejectionWithAReasonAndBackToDraft() {
        String approver = member("rita", "approver");
        Map<String, Object> a = createDraft(uniqueName("reject"));
        String path = AUTOMATIONS + "/" + a.get("id");
        post(adminToken, path + "/submit", null).expectStatus().isOk();
        Map<String, Object> rejected = body(post(approver, path + "/reject", Map.of("reason", "too noisy")).expectStatus().isOk());
        assertThat(rejected.get("status")).isEqualTo("rejected");
        assertThat(rejected.get("rejection_reason")).isEqualTo("too noisy");
        assertThat(body(patch(adminToken, path, Map.of("status", "draft")).expectStatus().isOk()).get("status")).isEqualTo("draft");
    }

    @Test
    void anEditorCannotApproveOrActivate() {
        String editor = member("ed", "editor");
        Map<String, Object> a = createDraft(uniqueName("editor"));
        String path = AUTOMATIONS + "/" + a.get("id");
        assertProblem(patch(editor, path, Map.of("status", "active")), 403);
        assertProblem(post(editor, AUTOMATIONS, Map.of("name", uniqueName("x"), "kind", "scheduled", "status", "active")), 403);
        assertProblem(post(editor, AUTOMATIONS, Map.of("name", uniqueName("x"), "kind", "scheduled", "scopes", List.of("run.read"))), 403);
    }

    @Test
    void ifMatchGuardsAgainstLostUpdates() {
        Map<String, Object> a = createDraft(uniqueName("etag"));
        String path = AUTOMATIONS + "/" + a.get("id");
        String etag = get(adminToken, path).exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getETag();
        http.patch().uri("/api/v1" + path).header("Authorization", "Bearer " + adminToken).header("If-Match", etag)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("description", "first")).exchange()
                .expectStatus().isOk();
        assertProblem(http.patch().uri("/api/v1" + path).header("Authorization", "Bearer " + adminToken).header("If-Match", etag)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("description", "second")).exchange(), 412);
    }

    @Test
    @SuppressWarnings("unchecked")
    void revisionsPublishingAndStages() {
        Map<String, Object> a = createDraft(uniqueName("revisions"));
        String path = AUTOMATIONS + "/" + a.get("id");
        patch(adminToken, path, Map.of("description", "v2")).expectStatus().isOk();
        Map<String, Object> published = body(post(adminToken, path + "/publish", null).expectStatus().isOk());
        assertThat(published.get("latest_published_version")).isEqualTo("1.0");
        assertProblem(post(adminToken, path + "/publish", null), 409);
        Map<String, Object> draft = body(patch(adminToken, path, Map.of("description", "v3")).expectStatus().isOk());
        assertThat(draft.get("revision")).isEqualTo("1.1");

        Map<String, Object> all = body(get(adminToken, path + "/revisions").exchange().expectStatus().isOk());
        assertThat(((List<Map<String, Object>>) all.get("revisions")).stream().map(r -> r.get("revision")))
                .containsExactly("1.1", "1.0", "0.2", "0.1");
        Map<String, Object> filtered = body(http.get().uri(uri -> uri.path("/api/v1" + path + "/revisions")
                        .queryParam("filter", "{f}").build("stage == \"PUBLISHED\""))
                .header("Authorization", "Bearer " + adminToken).exchange().expectStatus().isOk());
        assertThat(((List<Map<String, Object>>) filtered.get("revisions")).stream().map(r -> r.get("revision")))
                .containsExactly("1.0");
        assertThat(body(get(adminToken, path + "/revisions/latest").exchange().expectStatus().isOk()).get("revision")).isEqualTo("1.1");
        assertThat(body(get(adminToken, path + "/revisions/0.1").exchange().expectStatus().isOk()).get("description")).isNull();
        assertProblem(get(adminToken, path + "/revisions/7.0").exchange(), 404);
        assertProblem(get(adminToken, path + "/revisions/seven").exchange(), 400);
        assertThat(body(get(adminToken, path + "?stage=published").exchange().expectStatus().isOk()).get("description")).isEqualTo("v2");
        assertThat(body(get(adminToken, path + "?stage=draft").exchange().expectStatus().isOk()).get("description")).isEqualTo("v3");
    }

    @Test
    @SuppressWarnings("unchecked")
    void historyAndAsOf() throws Exception {
        Map<String, Object> a = createDraft(uniqueName("history"));
        String path = AUTOMATIONS + "/" + a.get("id");
        Thread.sleep(20);
        Instant between = Instant.now();
        Thread.sleep(20);
        http.patch().uri("/api/v1" + path).header("Authorization", "Bearer " + adminToken)
                .header("X-Request-Id", "req-history-1").header("X-Reason", "clarify the purpose")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("description", "later")).exchange()
                .expectStatus().isOk();

        List<Map<String, Object>> events = (List<Map<String, Object>>) body(get(adminToken, path + "/history").exchange()
                .expectStatus().isOk()).get("events");
        assertThat(events.stream().map(e -> e.get("event_type")))
                .containsExactly("AutomationCreatedEvent", "AutomationSecretIssuedEvent", "AutomationDefinitionRevisedEvent");
        Map<String, Object> last = events.get(2);
        Map<String, Object> metadata = (Map<String, Object>) last.get("metadata");
        assertThat(metadata).containsEntry("actor_id", "admin").containsEntry("actor_kind", "user")
                .containsEntry("request_id", "req-history-1").containsEntry("reason", "clarify the purpose")
                .containsKeys("client_address", "token_id", "correlation_id");
        assertThat(((Map<String, Object>) events.get(1).get("payload")).get("secret_hash")).isEqualTo("[redacted]");

        Map<String, Object> before = body(get(adminToken, path + "?as_of=" + between).exchange().expectStatus().isOk());
        assertThat(before.get("description")).isNull();
        assertThat(before.get("revision")).isEqualTo("0.1");
        assertProblem(get(adminToken, path + "?as_of=2000-01-01T00:00:00Z").exchange(), 404);
        assertProblem(get(adminToken, path + "?as_of=yesterday").exchange(), 400, "as_of");
    }

    @Test
    @SuppressWarnings("unchecked")
    void listingIsKeysetPaginatedFilteredAndHidesDeletedOnes() {
        String prefix = uniqueName("page");
        String ws = (String) body(post(adminToken, "/workspaces", Map.of("name", prefix)).expectStatus().isCreated()).get("id");
        String base = "/workspaces/" + ws + "/automations";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Map<String, Object> created = (Map<String, Object>) body(post(adminToken, base,
                    Map.of("name", prefix + " " + i, "kind", i % 2 == 0 ? "scheduled" : "webhook")).expectStatus().isCreated())
                    .get("automation");
            ids.add((String) created.get("id"));
        }
        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            String uri = base + "?page_size=3" + (token == null ? "" : "&page_token=" + token);
            Map<String, Object> page = body(get(adminToken, uri).exchange().expectStatus().isOk());
            ((List<Map<String, Object>>) page.get("automations")).forEach(x -> assertThat(seen.add((String) x.get("id"))).isTrue());
            token = (String) page.get("next_page_token");
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);

        Map<String, Object> webhooks = body(http.get().uri(uri -> uri.path("/api/v1" + base).queryParam("filter", "{f}")
                        .build("kind == \"webhook\""))
                .header("Authorization", "Bearer " + adminToken).exchange().expectStatus().isOk());
        assertThat((List<?>) webhooks.get("automations")).hasSize(3);
        assertProblem(http.get().uri(uri -> uri.path("/api/v1" + base).queryParam("filter", "{f}").build("colour == \"red\""))
                .header("Authorization", "Bearer " + adminToken).exchange(), 400, "filter");

        http.delete().uri("/api/v1" + base + "/" + ids.get(0)).header("Authorization", "Bearer " + adminToken)
                .exchange().expectStatus().isOk();
        assertThat((List<?>) body(get(adminToken, base + "?page_size=100").exchange().expectStatus().isOk()).get("automations")).hasSize(6);
        assertThat((List<?>) body(get(adminToken, base + "?page_size=100&show_deleted=true").exchange().expectStatus().isOk())
                .get("automations")).hasSize(7);
        assertProblem(get(adminToken, base + "?page_size=0").exchange(), 400);
        assertProblem(get(adminToken, base + "?page_size=abc").exchange(), 400);
        assertProblem(get(adminToken, base + "?page_token=not-a-token").exchange(), 400, "page_token");
        assertThat((List<?>) body(get(adminToken, base + "?page_size=100000").exchange().expectStatus().isOk()).get("automations")).hasSize(6);
    }

    @Test
    void softDeleteUndeleteAndPurge() {
        Map<String, Object> a = createDraft(uniqueName("delete"));
        String path = AUTOMATIONS + "/" + a.get("id");
        Map<String, Object> deleted = body(http.delete().uri("/api/v1" + path).header("Authorization", "Bearer " + adminToken)
                .exchange().expectStatus().isOk());
        Instant deleteTime = Instant.parse((String) deleted.get("delete_time"));
        assertThat(Instant.parse((String) deleted.get("purge_time"))).isEqualTo(deleteTime.plus(java.time.Duration.ofDays(30)));
        assertProblem(patch(adminToken, path, Map.of("description", "x")), 404);
        assertThat(body(post(adminToken, path + "/undelete", null).expectStatus().isOk())).doesNotContainKey("delete_time");
        http.delete().uri("/api/v1" + path + "?purge=true").header("Authorization", "Bearer " + adminToken)
                .exchange().expectStatus().isNoContent();
        assertProblem(get(adminToken, path).exchange(), 404);
        get(adminToken, path + "/history").exchange().expectStatus().isOk();
    }

    @Test
    @SuppressWarnings("unchecked")
    void idempotencyKeyAnswersTheFirstResponseAndCreatesOnce() {
        String key = "key-" + System.nanoTime();
        Map<String, Object> request = Map.of("name", uniqueName("idem"), "kind", "scheduled");
        long before = countAutomations();
        Map<String, Object> first = body(http.post().uri("/api/v1" + AUTOMATIONS).header("Authorization", "Bearer " + adminToken)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).bodyValue(request).exchange()
                .expectStatus().isCreated());
        Map<String, Object> second = body(http.post().uri("/api/v1" + AUTOMATIONS).header("Authorization", "Bearer " + adminToken)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).bodyValue(request).exchange()
                .expectStatus().isCreated().expectHeader().valueEquals("Idempotent-Replayed", "true"));
        assertThat(second.get("secret")).isEqualTo(first.get("secret"));
        assertThat(((Map<String, Object>) second.get("automation")).get("id"))
                .isEqualTo(((Map<String, Object>) first.get("automation")).get("id"));
        assertThat(countAutomations()).isEqualTo(before + 1);
        // the same JSON object with its keys in either order is the same request
        for (String reordered : List.of("{\"kind\": \"scheduled\", \"name\": \"" + request.get("name") + "\"}",
                "{\"name\": \"" + request.get("name") + "\", \"kind\": \"scheduled\"}")) {
            http.post().uri("/api/v1" + AUTOMATIONS).header("Authorization", "Bearer " + adminToken)
                    .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).bodyValue(reordered).exchange()
                    .expectStatus().isCreated().expectHeader().valueEquals("Idempotent-Replayed", "true");
        }
        assertProblem(http.post().uri("/api/v1" + AUTOMATIONS).header("Authorization", "Bearer " + adminToken)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", uniqueName("other"), "kind", "scheduled")).exchange(), 422);
        String stored = jdbc.queryForObject("SELECT response_body FROM idempotency_key WHERE idem_key = ?", String.class, key);
        assertThat(stored).doesNotContain((String) first.get("secret"));
    }
}
