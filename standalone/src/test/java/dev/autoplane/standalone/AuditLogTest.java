package dev.autoplane.standalone;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workspace's audit log through the real stack (docs/audit.md): the listing with its filters and keyset
 * pages, the NDJSON export, the SSE tail resumed with Last-Event-ID, redaction and a purge's trace, the
 * hash chain's verification after an event is edited in the database, and the automations as of an instant.
 * Each test works in a workspace of its own, so what it counts is exactly what it did.
 */
class AuditLogTest extends ApiTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    final ObjectMapper json = new ObjectMapper();
    String ws;

    @BeforeEach
    void freshWorkspace() {
        ws = (String) body(post(adminToken, "/workspaces", Map.of("name", uniqueName("audit"))).expectStatus().isCreated())
                .get("id");
    }

    String automation(String name) {
        Map<String, Object> answer = body(post(adminToken, "/workspaces/" + ws + "/automations",
                Map.of("name", name, "kind", "scheduled")).expectStatus().isCreated());
        issued((String) answer.get("secret"));
        @SuppressWarnings("unchecked")
        Map<String, Object> a = (Map<String, Object>) answer.get("automation");
        return (String) a.get("id");
    }

    void rename(String id, String name) {
        patch(adminToken, "/workspaces/" + ws + "/automations/" + id, Map.of("name", name)).expectStatus().isOk();
    }

    /**
     * Waits until the audit log has recorded every event stored so far (its processor runs behind the append;
     * a command's answer waits for it only briefly, see ReadYourWrites).
     */
    void awaitAuditLog() {
        long stored = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM audit_log", Long.class) >= stored);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> page(String query) {
        awaitAuditLog();
        return body(get(adminToken, "/workspaces/" + ws + "/audit/events" + query).exchange().expectStatus().isOk());
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> events(String query) {
        return (List<Map<String, Object>>) page(query).get("events");
    }

    static List<Object> field(List<Map<String, Object>> events, String name) {
        return events.stream().map(e -> e.get(name)).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void listsEveryEventOfTheWorkspaceWithItsMetadataOldestFirst() {
        String a = automation(uniqueName("audited"));
        rename(a, uniqueName("audited renamed"));
        String b = automation(uniqueName("other"));

        List<Map<String, Object>> all = events("");
        assertThat(field(all, "event_type")).contains("WorkspaceCreatedEvent", "WorkspaceMemberPutEvent",
                "AutomationCreatedEvent", "AutomationDefinitionRevisedEvent");
        assertThat(field(all, "aggregate_id")).contains(ws, a, b);
        List<Long> positions = all.stream().map(e -> ((Number) e.get("position")).longValue()).toList();
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        Map<String, Object> created = all.stream().filter(e -> a.equals(e.get("aggregate_id"))).findFirst().orElseThrow();
        assertThat(created.get("event_type")).isEqualTo("AutomationCreatedEvent");
        assertThat(created.get("aggregate_type")).isEqualTo("Automation");
        assertThat(created.get("sequence_number")).isEqualTo(0);
        Map<String, Object> metadata = (Map<String, Object>) created.get("metadata");
        assertThat(metadata).containsEntry("actor_kind", "user").containsEntry("actor_id", "admin")
                .containsKeys("request_id", "correlation_id", "client_address", "token_id");

        // filters
        List<Map<String, Object>> ofA = events("?aggregate_id=" + a);
        assertThat(field(ofA, "aggregate_id")).containsOnly(a);
        assertThat(ofA.stream().map(e -> ((Number) e.get("sequence_number")).longValue()).toList()).isSorted();
        assertThat(field(events("?event_type=AutomationCreatedEvent"), "aggregate_id")).containsExactly(a, b);
        assertThat(field(events("?aggregate_type=Workspace"), "aggregate_id")).containsOnly(ws);
        assertThat(events("?actor=admin")).hasSameSizeAs(all);
        assertThat(events("?actor=nobody")).isEmpty();
        String bCreated = (String) all.stream().filter(e -> b.equals(e.get("aggregate_id"))).findFirst().orElseThrow()
                .get("timestamp");
        assertThat(field(events("?event_type=AutomationCreatedEvent&since=" + bCreated), "aggregate_id")).containsExactly(b);
        assertThat(field(events("?event_type=AutomationCreatedEvent&until=" + bCreated), "aggregate_id")).containsExactly(a);
    }

    @Test
    @SuppressWarnings("unchecked")
    void pagesWalkTheWholeLogOnceInOrder() {
        String a = automation(uniqueName("paged"));
        for (int i = 0; i < 4; i++) {
            rename(a, uniqueName("paged " + i));
        }
        List<Object> whole = field(events("?page_size=1000"), "event_id");
        List<Object> walked = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Map<String, Object> page = page("?page_size=3" + (token == null ? "" : "&page_token=" + token));
            List<Map<String, Object>> events = (List<Map<String, Object>>) page.get("events");
            assertThat(events.size()).isLessThanOrEqualTo(3);
            walked.addAll(field(events, "event_id"));
            token = (String) page.get("next_page_token");
            pages++;
        } while (token != null && pages < 100);
        assertThat(walked).isEqualTo(whole);
        assertThat(pages).isGreaterThan(2);
    }

    @Test
    void badInputIsA400NamingTheFieldAndAnotherWorkspaceIsA404() {
        String base = "/workspaces/" + ws + "/audit/events";
        assertProblem(get(adminToken, base + "?since=yesterday").exchange(), 400, "since");
        assertProblem(get(adminToken, base + "?until=2026-13-01T00:00:00Z").exchange(), 400, "until");
        assertProblem(get(adminToken, base + "?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z").exchange(), 400, "until");
        assertProblem(get(adminToken, base + "?page_token=not-a-token").exchange(), 400, "page_token");
        assertProblem(get(adminToken, base + "?page_size=0").exchange(), 400, "page_size");
        assertProblem(get(adminToken, base + "?event_type=NoSuchEvent").exchange(), 400, "event_type");
        assertProblem(get(adminToken, base + "?aggregate_type=Spaceship").exchange(), 400, "aggregate_type");
        assertProblem(get(adminToken, base + "?since=x&event_type=y&aggregate_type=z").exchange(), 400,
                "since", "event_type", "aggregate_type");
        assertProblem(get(adminToken, base + "/stream").header("Last-Event-ID", "abc").exchange(), 400, "Last-Event-ID");
        assertProblem(get(adminToken, "/workspaces/" + ws + "/audit/verify?since=soon").exchange(), 400, "since");
        assertProblem(get(adminToken, "/workspaces/" + WS + "/automations?as_of=then").exchange(), 400, "as_of");

        String stranger = member("audit-stranger-" + System.nanoTime(), "admin"); // an admin of the default workspace only
        assertProblem(get(stranger, base).exchange(), 404);
        assertProblem(get(stranger, "/workspaces/" + ws + "/audit/verify").exchange(), 404);
        assertProblem(get(stranger, "/workspaces/" + ws + "/audit/head").exchange(), 404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAuditorReadsTheLogAndChangesNothing() {
        String userId = "auditor-" + System.nanoTime();
        http.put().uri("/api/v1/workspaces/" + ws + "/members/" + userId).header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "auditor")).exchange().expectStatus().isOk();
        String auditor = issued((String) body(post(adminToken, "/tokens", Map.of("name", "audit", "user_id", userId))
                .expectStatus().isCreated()).get("token"));
        String a = automation(uniqueName("seen by the auditor"));
        awaitAuditLog();
        List<Map<String, Object>> seen = (List<Map<String, Object>>) body(get(auditor, "/workspaces/" + ws
                + "/audit/events?aggregate_id=" + a).exchange().expectStatus().isOk()).get("events");
        assertThat(field(seen, "event_type")).contains("AutomationCreatedEvent");
        get(auditor, "/workspaces/" + ws + "/automations/" + a).exchange().expectStatus().isOk();
        get(auditor, "/workspaces/" + ws + "/runs").exchange().expectStatus().isOk();
        assertProblem(patch(auditor, "/workspaces/" + ws + "/automations/" + a, Map.of("name", "changed")), 403);
        assertProblem(post(auditor, "/workspaces/" + ws + "/automations", Map.of("name", "no", "kind", "scheduled")), 403);
        assertProblem(post(auditor, "/workspaces/" + ws + "/automations/" + a + "/trigger", Map.of()), 403);
        // an editor has no audit.read
        String editorId = "audit-editor-" + System.nanoTime();
        http.put().uri("/api/v1/workspaces/" + ws + "/members/" + editorId).header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "editor")).exchange().expectStatus().isOk();
        String editor = issued((String) body(post(adminToken, "/tokens", Map.of("name", "ed", "user_id", editorId))
                .expectStatus().isCreated()).get("token"));
        assertProblem(get(editor, "/workspaces/" + ws + "/audit/events").exchange(), 403);
    }

    @Test
    @SuppressWarnings("unchecked")
    void secretsAreRedactedAndAPurgeLeavesTheEventsWithTheirCiphertextShredded() {
        String oauth = "xoxb-audit-" + System.nanoTime();
        issued(oauth);
        String a = automation(uniqueName("keyed"));
        patch(adminToken, "/workspaces/" + ws + "/automations/" + a, Map.of("oauth_token", oauth)).expectStatus().isOk();
        post(adminToken, "/workspaces/" + ws + "/automations/" + a + "/secret/rotate", Map.of("grace_period_seconds", 60))
                .expectStatus().isOk();

        awaitAuditLog();
        String raw = get(adminToken, "/workspaces/" + ws + "/audit/events?aggregate_id=" + a).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(raw).doesNotContain(oauth);
        List<Map<String, Object>> before = events("?aggregate_id=" + a);
        Map<String, Object> secret = only(before, "AutomationSecretIssuedEvent");
        assertThat(((Map<String, Object>) secret.get("payload")).get("secret_hash")).isEqualTo("[redacted]");
        Map<String, Object> rotated = (Map<String, Object>) only(before, "AutomationSecretRotatedEvent").get("payload");
        assertThat(rotated.get("secret_hash")).isEqualTo("[redacted]");
        assertThat(rotated.get("previous_secret_hash")).as("the old secret's hash too").isEqualTo("[redacted]");
        Map<String, Object> token = only(before, "AutomationOAuthTokenSetEvent");
        assertThat(((Map<String, Object>) token.get("payload")).get("oauth_token")).isEqualTo("[redacted]");

        post(adminToken, "/workspaces/" + ws + "/automations/" + a + "/purge", null).expectStatus().isNoContent();
        List<Map<String, Object>> after = events("?aggregate_id=" + a);
        assertThat(field(after, "event_id")).containsSubsequence(field(before, "event_id").toArray());
        assertThat(field(after, "event_type")).contains("AutomationPurgedEvent");
        Map<String, Object> shredded = only(after, "AutomationOAuthTokenSetEvent");
        assertThat(((Map<String, Object>) shredded.get("payload")).get("oauth_token")).isEqualTo("[shredded]");
    }

    static Map<String, Object> only(List<Map<String, Object>> events, String type) {
        List<Map<String, Object>> of = events.stream().filter(e -> type.equals(e.get("event_type"))).toList();
        assertThat(of).as("%s events", type).hasSize(1);
        return of.get(0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theNdjsonExportIsCompleteAndOrdered() {
        int automations = 1000;
        Flux.range(0, automations).flatMap(i -> reactor.core.publisher.Mono.fromRunnable(() ->
                        automation("exported " + i + " " + System.nanoTime()))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 4).blockLast(Duration.ofMinutes(5));
        String a = automation(uniqueName("renamed often"));
        for (int i = 0; i < 100; i++) {
            rename(a, uniqueName("renamed " + i));
        }
        awaitAuditLog();
        long stored = jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE workspace_id = ?", Long.class, ws);
        assertThat(stored).isGreaterThanOrEqualTo(2000); // a creation is two events (created, secret issued), a rename one

        List<String> lines = http.get().uri("/api/v1/workspaces/" + ws + "/audit/events")
                .header("Authorization", "Bearer " + adminToken).accept(MediaType.parseMediaType("application/x-ndjson"))
                .exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("application/x-ndjson"))
                .returnResult(byte[].class).getResponseBody()
                .reduce(new StringBuilder(), (sb, chunk) -> sb.append(new String(chunk, StandardCharsets.UTF_8)))
                .map(sb -> List.of(sb.toString().split("\n"))).block(WAIT);
        assertThat(lines).hasSize((int) stored);
        List<Map<String, Object>> exported = lines.stream().map(this::parse).toList();
        assertThat(exported.stream().map(e -> ((Number) e.get("position")).longValue()).toList())
                .isSorted().doesNotHaveDuplicates();
        assertThat(exported.stream().filter(e -> "AutomationCreatedEvent".equals(e.get("event_type")))).hasSize(automations + 1);
        List<Object> renames = exported.stream().filter(e -> a.equals(e.get("aggregate_id")))
                .map(e -> e.get("sequence_number")).toList();
        assertThat(renames.stream().map(n -> ((Number) n).longValue()).toList()).isSorted();
        // the same as the JSON pages
        List<Object> paged = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> page = page("?page_size=1000" + (token == null ? "" : "&page_token=" + token));
            paged.addAll(field((List<Map<String, Object>>) page.get("events"), "event_id"));
            token = (String) page.get("next_page_token");
        } while (token != null);
        assertThat(field(exported, "event_id")).isEqualTo(paged);
        // filters apply to the export too
        String filtered = http.get().uri("/api/v1/workspaces/" + ws + "/audit/events?aggregate_id=" + a)
                .header("Authorization", "Bearer " + adminToken).accept(MediaType.parseMediaType("application/x-ndjson"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(filtered.split("\n")).hasSize(renames.size());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> parse(String line) {
        try {
            return json.readValue(line, Map.class);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    Flux<ServerSentEvent<String>> tail(String query, String lastEventId) {
        var spec = http.mutate().responseTimeout(Duration.ofMinutes(2)).build().get()
                .uri("/api/v1/workspaces/" + ws + "/audit/events/stream" + query)
                .header("Authorization", "Bearer " + adminToken).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            spec = spec.header("Last-Event-ID", lastEventId);
        }
        return spec.exchange().expectStatus().isOk().returnResult(RunStreamTest.SSE).getResponseBody()
                .filter(e -> e.event() != null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTailResumesAfterTheLastEventIdWithEveryLaterEventOnceInOrder() {
        String a = automation(uniqueName("tailed"));
        List<Map<String, Object>> sofar = events("?aggregate_id=" + a);
        String resumeAfter = String.valueOf(sofar.get(sofar.size() - 1).get("position"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add(uniqueName("tail " + i));
            rename(a, names.get(i));
        }
        List<Map<String, Object>> later = events("?aggregate_id=" + a).stream()
                .filter(e -> ((Number) e.get("position")).longValue() > Long.parseLong(resumeAfter)).toList();
        assertThat(later).isNotEmpty();

        // resumed: what happened after the id, in order, then live changes
        List<ServerSentEvent<String>> frames = new ArrayList<>();
        StepVerifier.create(tail("?aggregate_id=" + a, resumeAfter).take(later.size()))
                .thenConsumeWhile(e -> frames.add(e))
                .expectComplete().verify(WAIT);
        assertThat(frames.stream().map(ServerSentEvent::event).distinct().toList()).containsExactly("audit");
        assertThat(frames.stream().map(ServerSentEvent::id).toList())
                .isEqualTo(later.stream().map(e -> String.valueOf(e.get("position"))).toList());
        assertThat(frames.stream().map(f -> parse(f.data()).get("event_id")).toList()).isEqualTo(field(later, "event_id"));

        // from the middle: only what came after it
        String middle = frames.get(0).id();
        List<ServerSentEvent<String>> rest = tail("?aggregate_id=" + a, middle).take(later.size() - 1)
                .collectList().block(WAIT);
        assertThat(rest.stream().map(ServerSentEvent::id).toList())
                .isEqualTo(frames.subList(1, frames.size()).stream().map(ServerSentEvent::id).toList());

        // live: a subscriber from the last id receives the next change, and no earlier one
        String last = frames.get(frames.size() - 1).id();
        String finalName = uniqueName("tail live");
        StepVerifier.create(tail("?aggregate_id=" + a, last).take(1))
                .then(() -> rename(a, finalName))
                .assertNext(e -> {
                    assertThat(Long.parseLong(e.id())).isGreaterThan(Long.parseLong(last));
                    assertThat(parse(e.data()).get("aggregate_id")).isEqualTo(a);
                })
                .expectComplete().verify(WAIT);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theVerifierNamesAnEventEditedInTheDatabase() {
        String a = automation(uniqueName("tamper target"));
        rename(a, uniqueName("tamper target renamed"));
        automation(uniqueName("after the target"));
        awaitAuditLog();
        Map<String, Object> clean = body(get(adminToken, "/workspaces/" + ws + "/audit/verify").exchange().expectStatus().isOk());
        assertThat(clean.get("first_broken")).isNull();
        long total = jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE workspace_id = ?", Long.class, ws);
        assertThat(((Number) clean.get("verified")).longValue()).isEqualTo(total);

        Map<String, Object> head = body(get(adminToken, "/workspaces/" + ws + "/audit/head").exchange().expectStatus().isOk());
        assertThat((String) head.get("hash")).matches("[0-9a-f]{64}");
        List<Map<String, Object>> all = events("?page_size=1000");
        assertThat(head.get("position")).isEqualTo(all.get(all.size() - 1).get("position"));
        assertThat(head.get("event_id")).isEqualTo(all.get(all.size() - 1).get("event_id"));

        Map<String, Object> victim = only(events("?aggregate_id=" + a), "AutomationDefinitionRevisedEvent");
        String eventId = (String) victim.get("event_id");
        byte[] original = jdbc.queryForObject("SELECT payload FROM domain_event_entry WHERE event_identifier = ?",
                byte[].class, eventId);
        String text = new String(original, StandardCharsets.UTF_8);
        String edited = text.replace("tamper target renamed", "tamper target RENAMED");
        assertThat(edited).isNotEqualTo(text);
        jdbc.update("UPDATE domain_event_entry SET payload = ? WHERE event_identifier = ?",
                edited.getBytes(StandardCharsets.UTF_8), eventId);
        try {
            Map<String, Object> broken = body(get(adminToken, "/workspaces/" + ws + "/audit/verify").exchange()
                    .expectStatus().isOk());
            Map<String, Object> first = (Map<String, Object>) broken.get("first_broken");
            assertThat(first).as("verify after an edit: %s", broken).isNotNull();
            assertThat(first.get("event_id")).isEqualTo(eventId);
            assertThat(first.get("position")).isEqualTo(victim.get("position"));
            // a range that ends before the edited event still verifies
            Map<String, Object> before = body(get(adminToken, "/workspaces/" + ws + "/audit/verify?until="
                    + victim.get("timestamp")).exchange().expectStatus().isOk());
            assertThat(before.get("first_broken")).isNull();
        } finally {
            jdbc.update("UPDATE domain_event_entry SET payload = ? WHERE event_identifier = ?", original, eventId);
        }
        assertThat(body(get(adminToken, "/workspaces/" + ws + "/audit/verify").exchange().expectStatus().isOk())
                .get("first_broken")).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWorkspacesAutomationsAsOfAnInstant() {
        String first = uniqueName("as of first");
        String a = automation(first);
        String b = automation(uniqueName("as of second"));
        List<Map<String, Object>> sofar = events("?page_size=1000");
        Instant then = Instant.parse((String) sofar.get(sofar.size() - 1).get("timestamp"));
        rename(a, uniqueName("as of renamed"));
        String c = automation(uniqueName("as of later"));

        List<Map<String, Object>> listed = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> page = body(get(adminToken, "/workspaces/" + ws + "/automations?page_size=1&as_of=" + then
                    + (token == null ? "" : "&page_token=" + token)).exchange().expectStatus().isOk());
            List<Map<String, Object>> automations = (List<Map<String, Object>>) page.get("automations");
            assertThat(automations.size()).isLessThanOrEqualTo(1);
            listed.addAll(automations);
            token = (String) page.get("next_page_token");
        } while (token != null && listed.size() < 10);
        assertThat(field(listed, "id")).containsExactlyInAnyOrder(a, b).doesNotContain(c);
        assertThat(listed.stream().filter(x -> a.equals(x.get("id"))).findFirst().orElseThrow().get("name")).isEqualTo(first);
        Map<String, Object> now = body(get(adminToken, "/workspaces/" + ws + "/automations").exchange().expectStatus().isOk());
        assertThat(field((List<Map<String, Object>>) now.get("automations"), "id")).contains(a, b, c);
        // before the workspace had automations: none
        Map<String, Object> early = body(get(adminToken, "/workspaces/" + ws + "/automations?as_of=2020-01-01T00:00:00Z")
                .exchange().expectStatus().isOk());
        assertThat((List<Object>) early.get("automations")).isEmpty();
    }
}
