package dev.autoplane.standalone;

import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleDisabledEvent;
import dev.autoplane.events.automation.ScheduleEvents.AutomationScheduleSetEvent;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import dev.autoplane.events.run.RunEvents.RunCanceledEvent;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The run, occurrence, schedule and trigger reads through the real HTTP stack. The fires and skips the
 * command side will record are appended here to the real event store, as domain events of automations
 * created through the API (with their real next sequence numbers); the projections pick them up as
 * they would the scheduler's. Every instant lies in 2030 or later, so a scheduler never fires them itself.
 */
class RunsApiTest extends ApiTest {

    static final String BASE = "/workspaces/" + WS;
    static final Instant Y2030 = Instant.parse("2030-01-01T00:00:00Z");

    @Autowired
    EventStore eventStore;

    // --- helpers

    @SuppressWarnings("unchecked")
    Map<String, Object> activeAutomation(String name, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", uniqueName(name), "kind", "scheduled",
                "status", "active"));
        body.putAll(extra);
        return createAutomation(body);
    }

    /** Appends events to the automation's stream, after its last event, as its aggregate would. */
    void append(String automationId, Object... events) {
        long seq = eventStore.lastSequenceNumberFor(automationId).orElse(-1L);
        List<GenericDomainEventMessage<?>> messages = new ArrayList<>();
        for (Object e : events) {
            messages.add(new GenericDomainEventMessage<>("Automation", automationId, ++seq, e));
        }
        eventStore.publish(messages);
    }

    static JobFiredEvent fired(String automationId, String sourceId, String triggerType, String source, Instant at,
                               String outcome) {
        String fireId = FireIds.of(automationId, sourceId == null ? "manual" : sourceId, at);
        return new JobFiredEvent(automationId, WS, fireId, FireIds.runId(fireId, at), sourceId, triggerType, source, at,
                at.plusSeconds(2), "1.0", "published", Map.of("at", at.toString()), "agent-1", 3, outcome, List.of(),
                "because " + source, Actor.SYSTEM);
    }

    static OccurrenceSkippedEvent skipped(String automationId, Instant at, String outcome) {
        return new OccurrenceSkippedEvent(automationId, WS, FireIds.of(automationId, "schedule", at), "schedule",
                "schedule", at, at.plusSeconds(1), outcome, "reason: " + outcome);
    }

    static ScheduleSpec hourlyFrom2030(int times) {
        return new ScheduleSpec(null, "PT1H", null, "UTC", Y2030, new ScheduleSpec.End("after_occurrences", times, null),
                0, 60, "skip", "allow");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> runs(String path) {
        return (List<Map<String, Object>>) body(get(adminToken, path).exchange().expectStatus().isOk()).get("runs");
    }

    List<Object> runIds(String path) {
        return runs(path).stream().map(r -> r.get("id")).toList();
    }

    // --- tests

    @Test
    @SuppressWarnings("unchecked")
    void runsAreListedNewestFirstWithEveryFilterAndKeysetPages() {
        Map<String, Object> a = activeAutomation("runs", Map.of("triggers", List.of(
                Map.of("id", "t1", "type", "cron", "config", Map.of("schedule", "0 9 * * *")))));
        Map<String, Object> b = activeAutomation("other runs", Map.of());
        String aid = (String) a.get("id");
        String bid = (String) b.get("id");
        JobFiredEvent onSchedule = fired(aid, "schedule", "schedule", "schedule", Y2030, "fired");
        JobFiredEvent onTrigger = fired(aid, "t1", "cron", "schedule", Y2030.plusSeconds(9 * 3600), "fired");
        JobFiredEvent manual = fired(aid, null, "api", "manual", Y2030.plusSeconds(10 * 3600), "fired");
        JobFiredEvent ofB = fired(bid, "schedule", "schedule", "schedule", Y2030.plusSeconds(11 * 3600), "fired");
        append(aid, onSchedule, onTrigger, manual,
                new RunCanceledEvent(onSchedule.runId(), aid, WS, "canceled by the next occurrence", Actor.SYSTEM,
                        Y2030.plusSeconds(60)));
        append(bid, ofB);

        String ofA = BASE + "/runs?automation_id=" + aid;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(runIds(ofA)).containsExactly(manual.runId(), onTrigger.runId(), onSchedule.runId());
            assertThat(runs(ofA + "&status=canceled")).hasSize(1);
        });
        assertThat(runIds(BASE + "/runs?page_size=1000")).containsSubsequence(ofB.runId(), manual.runId(),
                onTrigger.runId(), onSchedule.runId());

        Map<String, Object> run = body(get(adminToken, BASE + "/runs/" + manual.runId()).exchange().expectStatus().isOk());
        assertThat(run).containsEntry("id", manual.runId()).containsEntry("workspace_id", WS)
                .containsEntry("automation_id", aid).containsEntry("revision", "1.0").containsEntry("trigger_type", "api")
                .containsEntry("fire_id", manual.fireId()).containsEntry("source", "manual")
                .containsEntry("stage", "published").containsEntry("agent_name", "agent-1")
                .containsEntry("status", "scheduled").containsEntry("attempt", 0).containsEntry("max_attempts", 3)
                .containsEntry("scheduled_at", "2030-01-01T10:00:00Z").containsEntry("fired_at", "2030-01-01T10:00:02Z")
                .containsEntry("inputs", Map.of("at", "2030-01-01T10:00:00Z")).containsEntry("reason", "because manual")
                .containsEntry("version", 1).doesNotContainKey("trigger_id");
        Map<String, Object> canceled = body(get(adminToken, BASE + "/runs/" + onSchedule.runId()).exchange().expectStatus().isOk());
        assertThat(canceled).containsEntry("status", "canceled").containsEntry("ended_at", "2030-01-01T00:01:00Z")
                .containsEntry("trigger_id", "schedule").containsEntry("version", 2);

        // filters
        assertThat(runIds(ofA + "&trigger_id=t1")).containsExactly(onTrigger.runId());
        assertThat(runIds(ofA + "&status=scheduled")).containsExactly(manual.runId(), onTrigger.runId());
        assertThat(runIds(ofA + "&status=completed")).isEmpty();
        assertThat(runIds(ofA + "&since=2030-01-01T09:00:00Z")).containsExactly(manual.runId(), onTrigger.runId());
        assertThat(runIds(ofA + "&until=2030-01-01T09:00:00Z")).containsExactly(onSchedule.runId());
        assertThat(runIds(ofA + "&since=2029-12-31T23:00:00-01:00&until=2030-01-01T09:30:00Z"))
                .containsExactly(onTrigger.runId(), onSchedule.runId());
        assertThat(runIds(BASE + "/automations/" + aid + "/runs")).containsExactly(manual.runId(), onTrigger.runId(),
                onSchedule.runId());
        assertThat(runIds(BASE + "/automations/" + aid + "/runs?status=canceled")).containsExactly(onSchedule.runId());
        assertThat(runIds(BASE + "/automations/" + aid + "/triggers/t1/runs")).containsExactly(onTrigger.runId());
        assertThat(runIds(BASE + "/automations/" + aid + "/triggers/schedule/runs")).containsExactly(onSchedule.runId());
        assertThat(runIds(BASE + "/automations/" + bid + "/runs")).containsExactly(ofB.runId());

        // keyset pages of one, then the end; a huge page size is coerced
        List<Object> paged = new ArrayList<>();
        String token = null;
        for (int i = 0; i < 5; i++) {
            Map<String, Object> page = body(get(adminToken, ofA + "&page_size=1" + (token == null ? "" : "&page_token=" + token))
                    .exchange().expectStatus().isOk());
            ((List<Map<String, Object>>) page.get("runs")).forEach(r -> paged.add(r.get("id")));
            token = (String) page.get("next_page_token");
            if (token == null) {
                break;
            }
        }
        assertThat(paged).containsExactly(manual.runId(), onTrigger.runId(), onSchedule.runId());
        assertThat(token).isNull();
        assertThat(runIds(ofA + "&page_size=5000")).hasSize(3);

        // bad filter values: one 400 naming every field
        assertProblem(get(adminToken, BASE + "/runs?status=bogus&since=yesterday&until=soon&page_size=abc&automation_id=nope")
                .exchange(), 400, "status", "since", "until", "page_size", "automation_id");
        assertProblem(get(adminToken, BASE + "/runs?page_size=0").exchange(), 400, "page_size");
        assertProblem(get(adminToken, BASE + "/runs?page_token=garbage").exchange(), 400, "page_token");
        assertProblem(get(adminToken, BASE + "/runs?since=2030-01-02T00:00:00Z&until=2030-01-01T00:00:00Z").exchange(),
                400, "until");
        assertProblem(get(adminToken, BASE + "/automations/" + aid + "/runs?status=RUNNING").exchange(), 400, "status");

        // 404s: unknown run, malformed id, unknown automation
        assertProblem(get(adminToken, BASE + "/runs/" + FireIds.runId("nope", Y2030)).exchange(), 404);
        assertProblem(get(adminToken, BASE + "/runs/not-a-run").exchange(), 404);
        assertProblem(get(adminToken, BASE + "/automations/" + FireIds.runId("nope", Y2030) + "/runs").exchange(), 404);
        assertProblem(http.get().uri("/api/v1" + BASE + "/runs").exchange(), 401);
    }

    @Test
    @SuppressWarnings("unchecked")
    void runsOfAnotherWorkspaceAreNotFoundAndOfAnotherTeamForbidden() {
        Map<String, Object> team = body(post(adminToken, BASE + "/teams", Map.of("name", uniqueName("blue")))
                .expectStatus().isCreated());
        Map<String, Object> other = body(post(adminToken, BASE + "/teams", Map.of("name", uniqueName("red")))
                .expectStatus().isCreated());
        Map<String, Object> a = activeAutomation("team runs", Map.of("team_id", team.get("id")));
        String aid = (String) a.get("id");
        JobFiredEvent e = fired(aid, "schedule", "schedule", "schedule", Y2030.plusSeconds(86_400), "fired");
        append(aid, e);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(runIds(BASE + "/runs?automation_id=" + aid)).containsExactly(e.runId()));

        // a member of the red team only
        String redId = "red-" + System.nanoTime();
        http.put().uri("/api/v1" + BASE + "/members/" + redId).header("Authorization", "Bearer " + adminToken)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("role", "viewer", "team_ids", List.of(other.get("id")))).exchange().expectStatus().isOk();
        String red = (String) body(post(adminToken, "/tokens", Map.of("name", "t", "user_id", redId))
                .expectStatus().isCreated()).get("token");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                get(red, BASE + "/runs").exchange().expectStatus().isOk());
        assertThat((List<Map<String, Object>>) body(get(red, BASE + "/runs?automation_id=" + aid).exchange()
                .expectStatus().isOk()).get("runs")).isEmpty();
        assertThat((List<Map<String, Object>>) body(get(red, BASE + "/runs?page_size=1000").exchange()
                .expectStatus().isOk()).get("runs")).noneMatch(r -> r.get("id").equals(e.runId()));
        assertProblem(get(red, BASE + "/runs/" + e.runId()).exchange(), 403);
        assertProblem(get(red, BASE + "/automations/" + aid + "/runs").exchange(), 403);
        assertProblem(get(red, BASE + "/automations/" + aid + "/occurrences").exchange(), 403);
        assertProblem(get(red, BASE + "/automations/" + aid + "/triggers").exchange(), 403);
        // a viewer of every team sees it
        String viewer = member("vic-" + System.nanoTime(), "viewer");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                get(viewer, BASE + "/runs/" + e.runId()).exchange().expectStatus().isOk());

        // another workspace (the admin is its admin too) does not show this workspace's run
        String ws2 = (String) body(post(adminToken, "/workspaces", Map.of("name", uniqueName("second")))
                .expectStatus().isCreated()).get("id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                get(adminToken, "/workspaces/" + ws2 + "/runs").exchange().expectStatus().isOk());
        assertProblem(get(adminToken, "/workspaces/" + ws2 + "/runs/" + e.runId()).exchange(), 404);
        assertThat(runIds("/workspaces/" + ws2 + "/runs?automation_id=" + aid)).isEmpty();
        assertProblem(get(adminToken, "/workspaces/" + ws2 + "/automations/" + aid + "/occurrences").exchange(), 404);
        assertProblem(get(adminToken, "/workspaces/" + ws2 + "/automations/" + aid + "/schedule").exchange(), 404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void occurrencesScheduleTriggersAndNextRunAt() {
        Map<String, Object> a = activeAutomation("schedule", Map.of("triggers", List.of(
                Map.of("id", "t1", "type", "interval", "config", Map.of("every", "PT30M", "start_time", "2031-01-01T00:00:00Z")),
                Map.of("id", "w", "type", "webhook"))));
        String aid = (String) a.get("id");
        String path = BASE + "/automations/" + aid;
        assertProblem(get(adminToken, path + "/schedule").exchange(), 404);

        Instant now = Instant.now();
        append(aid, new AutomationScheduleSetEvent(aid, WS, hourlyFrom2030(5), true, now, 0, Actor.user("admin"), now));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                get(adminToken, path + "/schedule").exchange().expectStatus().isOk());
        Map<String, Object> schedule = body(get(adminToken, path + "/schedule").exchange().expectStatus().isOk());
        assertThat(schedule).containsEntry("interval", "PT1H").containsEntry("timezone", "UTC")
                .containsEntry("start_time", "2030-01-01T00:00:00Z")
                .containsEntry("end", Map.of("type", "after_occurrences", "occurrences", 5))
                .containsEntry("jitter_seconds", 0).containsEntry("misfire_grace_seconds", 60)
                .containsEntry("catch_up_policy", "skip").containsEntry("overlap_policy", "allow")
                .containsEntry("enabled", true).containsEntry("remaining_occurrences", 5)
                .containsEntry("next_run_times", List.of("2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z",
                        "2030-01-01T02:00:00Z", "2030-01-01T03:00:00Z", "2030-01-01T04:00:00Z"))
                .doesNotContainKeys("cron", "at");
        assertThat((String) schedule.get("summary")).contains("Every").contains("UTC").contains("5 times");
        Map<String, Object> view = body(get(adminToken, path).exchange().expectStatus().isOk());
        assertThat(view.get("next_run_at")).isEqualTo("2030-01-01T00:00:00Z");
        assertThat(view).doesNotContainKey("last_run_at");

        // occurrences: a paused skip later fired by the catch-up, a missed one, one canceling the open runs
        JobFiredEvent caughtUp = fired(aid, "schedule", "schedule", "catch_up", Y2030, "fired");
        JobFiredEvent cancelOther = fired(aid, "schedule", "schedule", "schedule", Y2030.plusSeconds(7200), "canceled_other");
        append(aid, skipped(aid, Y2030, "skipped_paused"), caughtUp, skipped(aid, Y2030.plusSeconds(3600), "missed"),
                cancelOther);
        String occurrences = path + "/occurrences";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat((List<Map<String, Object>>)
                body(get(adminToken, occurrences).exchange().expectStatus().isOk()).get("occurrences"))
                .extracting(o -> o.get("outcome")).containsExactly("canceled_other", "missed", "fired"));
        List<Map<String, Object>> all = (List<Map<String, Object>>) body(get(adminToken, occurrences).exchange()
                .expectStatus().isOk()).get("occurrences");
        assertThat(all.get(2)).containsEntry("fire_id", caughtUp.fireId()).containsEntry("run_id", caughtUp.runId())
                .containsEntry("scheduled_at", "2030-01-01T00:00:00Z").containsEntry("reason", "because catch_up")
                .containsEntry("trigger_id", "schedule").containsEntry("automation_id", aid);
        assertThat(all.get(1)).containsEntry("reason", "reason: missed").doesNotContainKey("run_id");
        assertThat((List<Map<String, Object>>) body(get(adminToken, occurrences + "?outcome=missed").exchange()
                .expectStatus().isOk()).get("occurrences")).hasSize(1);
        Map<String, Object> first = body(get(adminToken, occurrences + "?page_size=2").exchange().expectStatus().isOk());
        assertThat((List<Map<String, Object>>) first.get("occurrences")).extracting(o -> o.get("outcome"))
                .containsExactly("canceled_other", "missed");
        Map<String, Object> second = body(get(adminToken, occurrences + "?page_size=2&page_token=" + first.get("next_page_token"))
                .exchange().expectStatus().isOk());
        assertThat((List<Map<String, Object>>) second.get("occurrences")).extracting(o -> o.get("outcome"))
                .containsExactly("fired");
        assertThat(second).doesNotContainKey("next_page_token");
        assertProblem(get(adminToken, occurrences + "?outcome=bogus&page_size=-1").exchange(), 400, "outcome", "page_size");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("o:not-a-time|x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertProblem(get(adminToken, occurrences + "?page_token=" + forged).exchange(), 400, "page_token");
        assertProblem(get(adminToken, occurrences + "?page_token=nonsense").exchange(), 400, "page_token");

        // the schedule moved on: three of five occurrences accounted for
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(body(get(adminToken, path + "/schedule").exchange().expectStatus().isOk()))
                        .containsEntry("remaining_occurrences", 2)
                        .containsEntry("next_run_times", List.of("2030-01-01T03:00:00Z", "2030-01-01T04:00:00Z")));
        view = body(get(adminToken, path).exchange().expectStatus().isOk());
        assertThat(view.get("next_run_at")).isEqualTo("2030-01-01T03:00:00Z");
        assertThat(view.get("last_run_at")).isEqualTo("2030-01-01T02:00:02Z");

        // triggers with their next occurrences
        List<Map<String, Object>> triggers = (List<Map<String, Object>>) body(get(adminToken, path + "/triggers")
                .exchange().expectStatus().isOk()).get("triggers");
        assertThat(triggers).extracting(t -> t.get("id")).containsExactly("t1", "w");
        assertThat(triggers.get(0)).containsEntry("type", "interval").containsEntry("enabled", true)
                .containsEntry("next_run_times", List.of("2031-01-01T00:00:00Z", "2031-01-01T00:30:00Z",
                        "2031-01-01T01:00:00Z", "2031-01-01T01:30:00Z", "2031-01-01T02:00:00Z"));
        assertThat(triggers.get(1)).containsEntry("type", "webhook").doesNotContainKey("next_run_times");
        assertThat(body(get(adminToken, path + "/triggers/t1").exchange().expectStatus().isOk()))
                .isEqualTo(triggers.get(0));
        assertProblem(get(adminToken, path + "/triggers/nope").exchange(), 404);

        // disabling the schedule: no next times; the trigger is next
        append(aid, new AutomationScheduleDisabledEvent(aid, WS, Actor.user("admin"), Instant.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(body(get(adminToken, path + "/schedule").exchange().expectStatus().isOk()))
                    .containsEntry("enabled", false).containsEntry("next_run_times", List.of());
            assertThat(body(get(adminToken, path).exchange().expectStatus().isOk()).get("next_run_at"))
                    .isEqualTo("2031-01-01T00:00:00Z");
        });
    }

    @Test
    void aPausedAutomationHasNoNextRunAtButItsScheduleShowsWhenItWouldRun() {
        Map<String, Object> a = activeAutomation("paused", Map.of());
        String aid = (String) a.get("id");
        String path = BASE + "/automations/" + aid;
        post(adminToken, path + "/pause", null).expectStatus().isOk();
        Instant now = Instant.now();
        append(aid, new AutomationScheduleSetEvent(aid, WS, hourlyFrom2030(2), true, now, 0, Actor.user("admin"), now));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(body(get(adminToken, path + "/schedule").exchange().expectStatus().isOk()))
                        .containsEntry("next_run_times", List.of("2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z"))
                        .containsEntry("remaining_occurrences", 2));
        Map<String, Object> view = body(get(adminToken, path).exchange().expectStatus().isOk());
        assertThat(view).containsEntry("status", "paused").doesNotContainKey("next_run_at");
    }

    @Test
    void anUnboundedCronScheduleInAZoneWithJitter() {
        String aid = (String) activeAutomation("cron", Map.of()).get("id");
        String path = BASE + "/automations/" + aid + "/schedule";
        Instant now = Instant.now();
        ScheduleSpec weekdays = new ScheduleSpec("0 9 * * 1-5", null, null, "Europe/Berlin",
                Instant.parse("2030-01-05T00:00:00Z"), ScheduleSpec.NEVER, 30, 120, "fire_once", "cancel_other");
        append(aid, new AutomationScheduleSetEvent(aid, WS, weekdays, true, now, 0, Actor.user("admin"), now));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> get(adminToken, path).exchange().expectStatus().isOk());
        Map<String, Object> s = body(get(adminToken, path).exchange().expectStatus().isOk());
        assertThat(s).containsEntry("cron", "0 9 * * 1-5").containsEntry("timezone", "Europe/Berlin")
                .containsEntry("end", Map.of("type", "never")).containsEntry("jitter_seconds", 30)
                .containsEntry("misfire_grace_seconds", 120).containsEntry("catch_up_policy", "fire_once")
                .containsEntry("overlap_policy", "cancel_other").doesNotContainKey("remaining_occurrences")
                .containsEntry("next_run_times", List.of("2030-01-07T08:00:00Z", "2030-01-08T08:00:00Z",
                        "2030-01-09T08:00:00Z", "2030-01-10T08:00:00Z", "2030-01-11T08:00:00Z"))
                .doesNotContainKeys("interval", "at");
        assertThat((String) s.get("summary")).contains("Europe/Berlin").contains("jitter");
        assertThat(body(get(adminToken, BASE + "/automations/" + aid).exchange().expectStatus().isOk()).get("next_run_at"))
                .isEqualTo("2030-01-07T08:00:00Z");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDescribesTheRunReads() {
        Map<String, Object> doc = body(http.get().uri("/v3/api-docs").exchange().expectStatus().isOk());
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        assertThat(paths).containsKeys("/api/v1/workspaces/{ws}/runs", "/api/v1/workspaces/{ws}/runs/{runId}",
                "/api/v1/workspaces/{ws}/automations/{id}/runs", "/api/v1/workspaces/{ws}/automations/{id}/triggers/{tid}/runs",
                "/api/v1/workspaces/{ws}/automations/{id}/occurrences", "/api/v1/workspaces/{ws}/automations/{id}/schedule",
                "/api/v1/workspaces/{ws}/automations/{id}/triggers", "/api/v1/workspaces/{ws}/automations/{id}/triggers/{tid}");
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        assertThat(schemas).containsKeys("RunPage", "RunView", "OccurrencePage", "ScheduleView", "TriggerList");
        assertThat((Map<String, Object>) ((Map<String, Object>) schemas.get("RunView")).get("properties"))
                .containsKeys("automation_id", "scheduled_at", "max_attempts", "fire_id");
    }
}
