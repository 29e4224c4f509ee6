package dev.autoplane.standalone.scheduling;

import dev.autoplane.command.scheduling.DueOccurrenceScheduler;
import dev.autoplane.events.automation.ScheduleCommands.FireJobCommand;
import dev.autoplane.events.run.FireIds;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import dev.autoplane.standalone.AutoplaneApplication;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine end to end: schedules set over HTTP, the clock moved by hand,
 * {@link DueOccurrenceScheduler#runOnce()} delivering what is due, and the outcomes read back from
 * the event store. The background thread is off so that only the test moves time. Run on the
 * embedded storage ({@link SchedulingEngineTest}) and on PostgreSQL with every command handled on
 * another thread in its own transaction ({@link SchedulingEngineOnPostgresTest}), as Axon Server
 * handles them.
 */
abstract class SchedulingEngineSuite {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        java.time.Clock testClock() {
            return CLOCK;
        }
    }

    static Path newDataDir() {
        try {
            Path dir = Files.createTempDirectory("autoplane-engine-test");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @org.springframework.beans.factory.annotation.Value("${autoplane.data-dir}")
    Path dataDir;
    @LocalServerPort
    int port;
    @Autowired
    DueOccurrenceScheduler engine;
    @Autowired
    EventStore events;
    @Autowired
    CommandGateway commands;
    @Autowired
    dev.autoplane.command.scheduling.ScheduleIndex index;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    WebTestClient http;
    String token;

    @BeforeEach
    void connect() throws IOException {
        http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
        token = Files.readString(dataDir.resolve("admin-token")).trim();
        engine.runOnce(); // nothing from an earlier test is left due at this test's start
    }

    // --- helpers

    @SuppressWarnings("unchecked")
    String activeAutomation() {
        Map<String, Object> created = http.post().uri("/api/v1/workspaces/" + WS + "/automations")
                .header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "engine " + System.nanoTime(), "kind", "scheduled", "status", "active"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String id = (String) ((Map<String, Object>) created.get("automation")).get("id");
        made.add(id);
        return id;
    }

    /** The automations this test made. */
    private final List<String> made = new java.util.ArrayList<>();

    /**
     * Deletes the automations this test made: the tests move one shared clock back and forth by months, and a
     * schedule left live by one test came due thousands of times over in a later one (on PostgreSQL that
     * catch-up outlasted the deadlock timeout).
     */
    @org.junit.jupiter.api.AfterEach
    void deleteWhatThisTestMade() {
        for (String id : made) {
            send("DELETE", id, null).expectStatus().value(status -> assertThat(status).isIn(200, 204, 404, 409));
        }
        made.clear();
    }

    WebTestClient.ResponseSpec send(String method, String path, Object body) {
        var spec = http.method(org.springframework.http.HttpMethod.valueOf(method))
                .uri("/api/v1/workspaces/" + WS + "/automations/" + path).header("Authorization", "Bearer " + token);
        return body == null ? spec.exchange() : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> putSchedule(String id, Map<String, Object> schedule) {
        return send("PUT", id + "/schedule", schedule).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
    }

    /** Every occurrence outcome recorded for the automation, as {@code "<outcome> <scheduled_at>"}. */
    List<String> outcomes(String automationId) {
        return events.readEvents(automationId).asStream().map(m -> m.getPayload()).<String>mapMulti((p, out) -> {
            if (p instanceof JobFiredEvent e) {
                out.accept(e.outcome() + " " + e.scheduledAt() + (e.source().equals("schedule") ? "" : " " + e.source()));
            } else if (p instanceof OccurrenceSkippedEvent e) {
                out.accept(e.outcome() + " " + e.scheduledAt());
            }
        }).toList();
    }

    Instant at(String text) {
        return Instant.parse(text);
    }

    // --- tests

    @Test
    void eachOccurrenceFiresOnceHoweverOftenItIsDelivered() {
        CLOCK.set(at("2026-03-01T10:00:00Z"));
        String id = activeAutomation();
        Map<String, Object> view = putSchedule(id, Map.of("cron", "*/10 * * * *"));
        assertThat(view).containsEntry("enabled", true).containsEntry("timezone", "UTC");
        assertThat((List<?>) view.get("next_run_times")).first().isEqualTo("2026-03-01T10:10:00Z");

        CLOCK.set(at("2026-03-01T10:10:00.050Z"));
        engine.runOnce();
        engine.runOnce();
        // the engine may deliver again (a crash, a second node): the record stays one
        commands.sendAndWait(new FireJobCommand(id, FireIds.SCHEDULE, List.of(at("2026-03-01T10:10:00Z")), CLOCK.instant()));
        assertThat(outcomes(id)).containsExactly("fired 2026-03-01T10:10:00Z");

        CLOCK.set(at("2026-03-01T10:20:00.010Z"));
        engine.runOnce();
        assertThat(outcomes(id)).containsExactly("fired 2026-03-01T10:10:00Z", "fired 2026-03-01T10:20:00Z");
    }

    @Test
    void afterAnOutageFireOnceFiresTheLatestAndRecordsTheRestAsMissed() {
        CLOCK.set(at("2026-03-02T10:00:00Z"));
        String id = activeAutomation();
        putSchedule(id, Map.of("cron", "*/10 * * * *", "catch_up_policy", "fire_once"));
        CLOCK.set(at("2026-03-02T10:35:00Z")); // down from 10:00 to 10:35
        engine.runOnce();
        assertThat(outcomes(id)).containsExactly("missed 2026-03-02T10:10:00Z", "missed 2026-03-02T10:20:00Z",
                "fired 2026-03-02T10:30:00Z catch_up");
    }

    @Test
    void aDeactivatedAutomationRecordsSkipsAndRunsNothingUntilActivated() {
        CLOCK.set(at("2026-03-12T10:00:00Z"));
        String id = activeAutomation();
        putSchedule(id, Map.of("interval", "15m", "catch_up_policy", "fire_once"));
        send("POST", id + "/deactivate", null).expectStatus().isOk();
        CLOCK.set(at("2026-03-12T10:15:00Z"));
        engine.runOnce();
        send("POST", id + "/activate", null).expectStatus().isOk();
        CLOCK.set(at("2026-03-12T10:30:00Z"));
        engine.runOnce();
        // activation is no resume: what was skipped while deactivated stays skipped (nothing catches up)
        assertThat(outcomes(id)).containsExactly("skipped_deactivated 2026-03-12T10:15:00Z", "fired 2026-03-12T10:30:00Z");
    }

    @Test
    void aPausedAutomationRecordsSkipsAndCatchesUpOnResume() {
        CLOCK.set(at("2026-03-03T10:00:00Z"));
        String id = activeAutomation();
        putSchedule(id, Map.of("interval", "15m", "catch_up_policy", "fire_once"));
        send("POST", id + "/pause", null).expectStatus().isOk();
        CLOCK.set(at("2026-03-03T10:15:00Z"));
        engine.runOnce();
        CLOCK.set(at("2026-03-03T10:30:00Z"));
        engine.runOnce();
        send("POST", id + "/resume", null).expectStatus().isOk();
        assertThat(outcomes(id)).containsExactly("skipped_paused 2026-03-03T10:15:00Z", "skipped_paused 2026-03-03T10:30:00Z",
                "fired 2026-03-03T10:30:00Z catch_up");
    }

    @Test
    void springForwardRunsAtTheFirstInstantAfterTheGapAndFallBackRunsOnce() {
        CLOCK.set(at("2026-03-07T12:00:00Z"));
        String id = activeAutomation();
        putSchedule(id, Map.of("cron", "30 2 * * *", "timezone", "America/New_York"));
        CLOCK.set(at("2026-03-08T07:00:01Z")); // 03:00:01 EDT: 02:30 did not exist that night
        engine.runOnce();
        assertThat(outcomes(id)).containsExactly("fired 2026-03-08T07:00:00Z");

        CLOCK.set(at("2026-10-31T12:00:00Z"));
        String fall = activeAutomation();
        putSchedule(fall, Map.of("cron", "30 1 * * *", "timezone", "America/New_York"));
        CLOCK.set(at("2026-11-01T05:30:01Z")); // 01:30 EDT, the first of the two
        engine.runOnce();
        CLOCK.set(at("2026-11-01T06:30:01Z")); // 01:30 EST, the repeat: nothing
        engine.runOnce();
        assertThat(outcomes(fall)).containsExactly("fired 2026-11-01T05:30:00Z");
    }

    @Test
    void aTriggerFiresFromWhenItWasAdded() {
        CLOCK.set(at("2026-03-04T10:00:00Z"));
        String id = activeAutomation();
        @SuppressWarnings("unchecked")
        Map<String, Object> trigger = send("POST", id + "/triggers", Map.of("type", "interval", "config", Map.of("every", "15m")))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(trigger).containsEntry("type", "interval").containsKey("id");
        CLOCK.set(at("2026-03-04T10:15:00.020Z"));
        engine.runOnce();
        List<JobFiredEvent> fired = events.readEvents(id).asStream().map(m -> m.getPayload())
                .filter(JobFiredEvent.class::isInstance).map(JobFiredEvent.class::cast).toList();
        assertThat(fired).singleElement().satisfies(e -> {
            assertThat(e.sourceId()).isEqualTo(trigger.get("id"));
            assertThat(e.triggerType()).isEqualTo("interval");
            assertThat(e.scheduledAt()).isEqualTo(at("2026-03-04T10:15:00Z"));
        });
    }

    @Test
    void aScheduledAutomationsConfigCronFiresItsPublishedRevision() { // seed 001: config.cron schedules it
        CLOCK.set(at("2026-03-09T08:00:00Z"));
        @SuppressWarnings("unchecked")
        Map<String, Object> created = (Map<String, Object>) http.post().uri("/api/v1/workspaces/" + WS + "/automations")
                .header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "config cron " + System.nanoTime(), "kind", "scheduled", "status", "active",
                        "config", Map.of("cron", "0 9 * * MON", "channel", "general")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("automation");
        String id = (String) created.get("id");
        made.add(id); // deleted after the test, as those of activeAutomation()
        assertThat(created).containsEntry("next_run_at", "2026-03-09T09:00:00Z");
        CLOCK.set(at("2026-03-09T09:00:00.020Z"));
        engine.runOnce();
        List<JobFiredEvent> fired = events.readEvents(id).asStream().map(m -> m.getPayload())
                .filter(JobFiredEvent.class::isInstance).map(JobFiredEvent.class::cast).toList();
        assertThat(fired).singleElement().satisfies(e -> {
            assertThat(e.sourceId()).isEqualTo(dev.autoplane.platform.scheduling.SourceBook.CONFIG_CRON);
            assertThat(e.triggerType()).isEqualTo("cron");
            assertThat(e.scheduledAt()).isEqualTo(at("2026-03-09T09:00:00Z"));
        });
        CLOCK.set(at("2026-03-16T09:00:00.020Z"));
        engine.runOnce();
        assertThat(outcomes(id)).containsExactly("fired 2026-03-09T09:00:00Z", "fired 2026-03-16T09:00:00Z");
    }

    @Test
    void invokeWithAnIdempotencyKeyRunsOnce() {
        CLOCK.set(at("2026-03-05T10:00:00Z"));
        String id = activeAutomation();
        var first = http.post().uri("/api/v1/workspaces/" + WS + "/automations/" + id + "/invoke")
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", "k-1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("inputs", Map.of("n", 1)))
                .exchange().expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        var second = http.post().uri("/api/v1/workspaces/" + WS + "/automations/" + id + "/invoke")
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", "k-1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("inputs", Map.of("n", 1)))
                .exchange().expectStatus().isAccepted().expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(second.get("run_id")).isEqualTo(first.get("run_id"));
        assertThat(outcomes(id)).containsExactly("fired 2026-03-05T10:00:00Z invoke");
    }

    // --- overlap judged on runs that executors really end (the automation learns it from the run)

    @SuppressWarnings("unchecked")
    WebTestClient.ResponseSpec runs(String path, Object body) {
        return http.post().uri("/api/v1/workspaces/" + WS + "/runs/" + path).header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /**
     * On {@code day}: an automation with a schedule every 10 minutes and {@code policy}, the run of 10:10
     * fired and leased, and the occurrence of 10:20 delivered while that run is open. Answers {automation
     * id, leased run id}.
     */
    String[] firedAndLeasedAtTen(String day, String policy) {
        CLOCK.set(at(day + "T10:00:00Z"));
        String id = activeAutomation();
        putSchedule(id, Map.of("cron", "*/10 * * * *", "overlap_policy", policy));
        CLOCK.set(at(day + "T10:10:00.010Z"));
        engine.runOnce();
        List<String> leased = leaseAll(id);
        assertThat(leased).hasSize(1);
        CLOCK.set(at(day + "T10:20:00.010Z"));
        engine.runOnce();
        return new String[]{id, leased.get(0)};
    }

    /** Leases the automation's due runs; answers their ids. */
    @SuppressWarnings("unchecked")
    List<String> leaseAll(String automationId) {
        Map<String, Object> answer = runs("lease", Map.of("automation_id", automationId, "max_runs", 100))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) answer.get("runs")).stream().map(r -> (String) r.get("id")).toList();
    }

    @Test
    void skipFiresAgainOnceTheExecutorHasCompletedTheOpenRun() {
        String[] fired = firedAndLeasedAtTen("2026-03-07", "skip");
        String id = fired[0];
        String first = fired[1];
        runs(first + "/complete", Map.of("outputs", Map.of())).expectStatus().isOk();
        CLOCK.set(at("2026-03-07T10:30:00.010Z"));
        engine.runOnce();
        assertThat(outcomes(id)).containsExactly("fired 2026-03-07T10:10:00Z", "skipped_overlap 2026-03-07T10:20:00Z",
                "fired 2026-03-07T10:30:00Z");
    }

    @Test
    void bufferOneFiresTheHeldOccurrenceWhenTheOpenRunFails() {
        String[] fired = firedAndLeasedAtTen("2026-03-08", "buffer_one");
        String id = fired[0];
        String first = fired[1];
        assertThat(outcomes(id)).containsExactly("fired 2026-03-08T10:10:00Z", "buffered 2026-03-08T10:20:00Z");
        CLOCK.set(at("2026-03-08T10:25:00Z"));
        runs(first + "/fail", Map.of("error", "boom", "retryable", false)).expectStatus().isOk();
        assertThat(outcomes(id)).as("released in the transaction that ended the run").containsExactly(
                "fired 2026-03-08T10:10:00Z", "buffered 2026-03-08T10:20:00Z", "fired 2026-03-08T10:20:00Z buffered");
        assertThat(leaseAll(id)).hasSize(1);
    }

    @Test
    void cancelOtherCancelsTheRunItselfSoItsHolderCanNoLongerReport() {
        String[] fired = firedAndLeasedAtTen("2026-03-09", "cancel_other");
        String id = fired[0];
        String first = fired[1];
        assertThat(outcomes(id)).containsExactly("fired 2026-03-09T10:10:00Z", "canceled_other 2026-03-09T10:20:00Z");
        assertThat(events.readEvents(first).asStream().map(m -> m.getPayload().getClass().getSimpleName()))
                .containsExactly("RunScheduledEvent", "RunLeasedEvent", "RunCancelRecordedEvent");
        runs(first + "/complete", Map.of()).expectStatus().isEqualTo(409);
        assertThat(leaseAll(id)).hasSize(1); // the run of 10:20
    }

    @Test
    @SuppressWarnings("unchecked")
    void triggerAndBackfillCreateRuns() {
        CLOCK.set(at("2026-03-06T10:00:00Z"));
        String id = activeAutomation();
        Map<String, Object> run = (Map<String, Object>) send("POST", id + "/trigger", Map.of()).expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("run");
        assertThat(run).containsEntry("status", "scheduled").containsEntry("automation_id", id).containsEntry("source", "manual");

        putSchedule(id, Map.of("cron", "0 * * * *"));
        Map<String, Object> backfill = send("POST", id + "/schedule/backfill",
                Map.of("start_time", "2026-03-06T06:00:00Z", "end_time", "2026-03-06T09:00:00Z"))
                .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) backfill.get("run_ids")).hasSize(3);
        send("POST", id + "/schedule/backfill", Map.of("start_time", "2026-03-06T09:00:00Z", "end_time", "2026-03-06T11:00:00Z"))
                .expectStatus().isBadRequest();
    }

    @Test
    void badSchedulesAreRefusedWithFieldErrorsAndChangeNothing() {
        CLOCK.set(at("2026-03-07T10:00:00Z"));
        String id = activeAutomation();
        long before = events.readEvents(id).asStream().count();
        expectFields(send("PUT", id + "/schedule", Map.of("cron", "0 0 30 2 *")), "cron");
        expectFields(send("PUT", id + "/schedule", Map.of("cron", "61 * * * *")), "cron");
        expectFields(send("PUT", id + "/schedule", Map.of("cron", "@every_tuesday")), "cron");
        expectFields(send("PUT", id + "/schedule", Map.of("cron", "@daily", "timezone", "Mars/Olympus")), "timezone");
        expectFields(send("PUT", id + "/schedule", Map.of("interval", "0s")), "interval");
        expectFields(send("PUT", id + "/schedule", Map.of("interval", "soon")), "interval");
        expectFields(send("PUT", id + "/schedule", Map.of("at", "2026-02-30T10:00:00Z")), "at");
        expectFields(send("PUT", id + "/schedule", Map.of("at", "2020-01-01T10:00:00Z")), "at");
        expectFields(send("PUT", id + "/schedule", Map.of("interval", "1h", "start_time", "2026-06-01T00:00:00Z",
                "end", Map.of("type", "on_date", "date", "2026-05-01T00:00:00Z"))), "end.date");
        expectFields(send("PUT", id + "/schedule", Map.of("interval", "1h", "end", Map.of("type", "after_occurrences"))),
                "end.occurrences");
        expectFields(send("PUT", id + "/schedule", Map.of("interval", "1h", "enabled", false)), "enabled");
        expectFields(send("PUT", id + "/schedule", Map.of()), "cron");
        send("POST", id + "/schedule/enable", null).expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(events.readEvents(id).asStream().count()).isEqualTo(before);
    }

    @SuppressWarnings("unchecked")
    static void expectFields(WebTestClient.ResponseSpec response, String... fields) {
        Map<String, Object> problem = response.expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> errors = (List<Map<String, Object>>) problem.get("errors");
        assertThat(errors).as("%s", problem).isNotNull();
        assertThat(errors.stream().map(e -> e.get("field")).toList()).as("%s", problem).contains((Object[]) fields);
    }

    /**
     * The index as a tracking processor keeps it (the distributed mode): rebuilt from the log with
     * every event delivered twice, and the whole log delivered again, it equals the index kept live.
     */
    @Test
    void theIndexRebuiltFromTheLogWithEveryEventRedeliveredEqualsTheLiveOne() {
        CLOCK.set(at("2026-03-09T10:00:00Z"));
        String id = activeAutomation();
        putSchedule(id, Map.of("interval", "15m", "catch_up_policy", "fire_once"));
        send("POST", id + "/triggers", Map.of("type", "cron", "config", Map.of("schedule", "0 * * * *")))
                .expectStatus().isCreated();
        CLOCK.set(at("2026-03-09T10:15:00.010Z"));
        engine.runOnce();
        send("POST", id + "/pause", null).expectStatus().isOk();
        CLOCK.set(at("2026-03-09T10:31:00Z"));
        engine.runOnce();
        send("POST", id + "/resume", null).expectStatus().isOk();
        var live = index.book(id).orElseThrow().state();
        var liveDue = due(id);
        assertThat(liveDue).isNotEmpty();

        index.delete(id);
        var log = events.readEvents(id).asStream().toList();
        for (int pass = 0; pass < 2; pass++) {
            for (var m : log) {
                if (m.getPayload() instanceof dev.autoplane.events.automation.AutomationStreamEvent e) {
                    index.apply(id, e, m.getSequenceNumber(), true);
                    index.apply(id, e, m.getSequenceNumber(), true); // at least once: again
                }
            }
        }
        assertThat(index.book(id).orElseThrow().state()).isEqualTo(live);
        assertThat(due(id)).isEqualTo(liveDue);
        // a tracking processor resumed from an older token redelivers old events after newer ones: each changes nothing
        for (var m : log) {
            if (m.getPayload() instanceof dev.autoplane.events.automation.AutomationStreamEvent e) {
                index.apply(id, e, m.getSequenceNumber(), true);
                assertThat(index.book(id).orElseThrow().state()).as("after event %s again", m.getSequenceNumber())
                        .isEqualTo(live);
            }
        }
        assertThat(due(id)).isEqualTo(liveDue);
    }

    @Test
    void theEngineWakesAtTheLaterOfADueInstantAndTheEndOfItsClaim() {
        CLOCK.set(at("2026-03-10T10:00:00Z"));
        String id = activeAutomation();
        putSchedule(id, Map.of("interval", "15m"));
        assertThat(ready(id)).isEqualTo(at("2026-03-10T10:15:00Z")); // unclaimed: when it is due
        assertThat(index.earliest()).contains(earliestOfEveryRow());

        var row = new dev.autoplane.command.scheduling.ScheduleIndex.Due(id, "schedule", at("2026-03-10T10:15:00Z"),
                index.book(id).orElseThrow());
        index.hold(List.of(row), at("2026-03-10T11:00:00Z"));
        assertThat(ready(id)).isEqualTo(at("2026-03-10T11:00:00Z")); // claimed past its due instant: when the claim ends
        assertThat(index.earliest()).contains(earliestOfEveryRow());

        index.hold(List.of(row), at("2026-03-10T10:05:00Z"));
        assertThat(ready(id)).isEqualTo(at("2026-03-10T10:15:00Z")); // a claim that ends before it is due: when due
        assertThat(index.earliest()).contains(earliestOfEveryRow());

        CLOCK.set(at("2026-03-10T10:15:00.010Z"));
        engine.runOnce(); // fires: the row moves on to the next instant, its claim ended
        assertThat(ready(id)).isEqualTo(at("2026-03-10T10:30:00Z"));
        assertThat(index.earliest()).contains(earliestOfEveryRow());
    }

    @Test
    void aBookWrittenElsewhereIsReadAsStoredNotAsThisNodeLastKnewIt() {
        CLOCK.set(at("2026-03-11T10:00:00Z"));
        String id = activeAutomation();
        putSchedule(id, Map.of("interval", "15m"));
        assertThat(index.book(id).orElseThrow().state().deleted()).isFalse();
        // another node (or a transaction of this one that rolled back) leaves other text in the table
        String text = jdbc.queryForObject("SELECT state FROM schedule_book WHERE automation_id = ?", String.class, id);
        assertThat(text).contains("\"deleted\":false");
        jdbc.update("UPDATE schedule_book SET state = ? WHERE automation_id = ?", text.replace("\"deleted\":false",
                "\"deleted\":true"), id);
        assertThat(index.book(id).orElseThrow().state().deleted()).isTrue();
        jdbc.update("UPDATE schedule_book SET state = ? WHERE automation_id = ?", text, id);
        assertThat(index.book(id).orElseThrow().state().deleted()).isFalse();
    }

    private Instant ready(String automationId) {
        return jdbc.queryForObject("SELECT ready_at FROM schedule_due WHERE automation_id = ?", java.sql.Timestamp.class,
                automationId).toInstant();
    }

    /** Worked out here from every row's due instant and claim, not by the database's column. */
    private Instant earliestOfEveryRow() {
        return jdbc.query("SELECT due_at, claimed_until FROM schedule_due", (rs, n) -> {
            Instant due = rs.getTimestamp(1).toInstant();
            java.sql.Timestamp claim = rs.getTimestamp(2);
            return claim == null || claim.toInstant().isBefore(due) ? due : claim.toInstant();
        }).stream().min(Instant::compareTo).orElseThrow();
    }

    private List<String> due(String automationId) {
        return jdbc.query("SELECT source_id, due_at FROM schedule_due WHERE automation_id = ? ORDER BY source_id",
                (rs, n) -> rs.getString(1) + " " + rs.getTimestamp(2).toInstant(), automationId);
    }
}
