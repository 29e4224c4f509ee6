package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, "rebuild at scale": a replay of the read models rebuilds them beside the live ones and swaps them
 * in, so the API never answers from an empty or half-filled read model. Readers list the workspace's
 * automations and one automation's revisions without pause, before, during and after the rebuild; every
 * answer holds at least what was there before it began.
 */
class ReadModelRebuildTest extends ApiTest {

    @Test
    @SuppressWarnings("unchecked")
    void aRebuildUnderConcurrentReadsNeverAnswersAnEmptyOrPartialList() throws Exception {
        // enough events that the rebuild takes more than one batch: 60 automations, each created and renamed twice
        ExecutorService writers = Executors.newFixedThreadPool(6);
        List<Future<String>> created = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            created.add(writers.submit(() -> {
                String id = (String) createDraft(uniqueName("rebuilt")).get("id");
                for (int n = 0; n < 2; n++) {
                    patch(adminToken, "/workspaces/" + WS + "/automations/" + id, Map.of("description", "v" + n))
                            .expectStatus().isOk();
                }
                return id;
            }));
        }
        List<String> createdIds = new ArrayList<>();
        for (Future<String> f : created) {
            createdIds.add(f.get());
        }
        writers.shutdown();
        String revised = createdIds.get(createdIds.size() - 1);
        String revisions = "/workspaces/" + WS + "/automations/" + revised + "/revisions";
        awaitCaughtUp();
        Set<String> automationsBefore = automationIds();
        List<Object> revisionsBefore = (List<Object>) body(get(adminToken, revisions).exchange().expectStatus().isOk()).get("revisions");
        assertThat(automationsBefore).hasSizeGreaterThanOrEqualTo(60);
        assertThat(revisionsBefore).isNotEmpty();

        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicBoolean rebuilding = new AtomicBoolean(false);
        AtomicInteger readsDuringRebuild = new AtomicInteger();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService readers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            int reader = r;
            running.add(readers.submit(() -> {
                while (reading.get()) {
                    boolean during = rebuilding.get();
                    if (reader % 2 == 0) {
                        Set<String> ids = automationIds();
                        if (!ids.containsAll(automationsBefore)) {
                            wrong.add("automations: " + ids.size() + " of " + automationsBefore.size());
                        }
                    } else {
                        List<Object> listed = (List<Object>) body(get(adminToken, revisions).exchange().expectStatus().isOk())
                                .get("revisions");
                        if (!listed.equals(revisionsBefore)) {
                            wrong.add("revisions: " + listed.size() + " of " + revisionsBefore.size());
                        }
                    }
                    if (during && rebuilding.get()) {
                        readsDuringRebuild.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        try {
            Thread.sleep(200); // the readers under way before the replay is asked for
            rebuilding.set(true);
            Map<String, Object> replay = body(http.post().uri("/api/v1/admin/projections/replay")
                    .header("Authorization", "Bearer " + adminToken).exchange().expectStatus().isAccepted());
            assertThat(replay).containsEntry("processor", "read-models").containsEntry("replaying", true);
            assertThat((Map<String, Object>) replay.get("rebuild")).containsEntry("state", "building");
            // a second replay while the first runs is refused
            assertProblem(http.post().uri("/api/v1/admin/projections/automations/replay")
                    .header("Authorization", "Bearer " + adminToken).exchange(), 409);
            Map<String, Object> done = awaitRebuilt();
            rebuilding.set(false);
            assertThat(((Number) done.get("events")).longValue()).isGreaterThanOrEqualTo(180);
            assertThat(((Number) done.get("position")).longValue()).isGreaterThanOrEqualTo(((Number) replay.get("target_position")).longValue());
            assertThat(done.get("error")).isNull();
            Thread.sleep(200); // and reads after the swap
        } finally {
            reading.set(false);
            for (Future<?> f : running) {
                f.get();
            }
            readers.shutdown();
        }
        assertThat(wrong).as("answers missing what was there before the rebuild").isEmpty();
        assertThat(readsDuringRebuild.get()).as("reads made while the rebuild ran").isPositive();
        assertThat(automationIds()).containsAll(automationsBefore);
        // the rebuilt read model is the live one: it is kept current as before
        patch(adminToken, "/workspaces/" + WS + "/automations/" + revised, Map.of("description", "after the rebuild"))
                .expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(body(get(adminToken, "/workspaces/" + WS
                + "/automations/" + revised).exchange().expectStatus().isOk())).containsEntry("description", "after the rebuild"));
        // and another rebuild can follow
        http.post().uri("/api/v1/admin/projections/runs/replay").header("Authorization", "Bearer " + adminToken)
                .exchange().expectStatus().isAccepted();
        awaitRebuilt();
        assertThat(automationIds()).containsAll(automationsBefore);
    }

    @SuppressWarnings("unchecked")
    private Set<String> automationIds() {
        List<Map<String, Object>> all = (List<Map<String, Object>>) body(get(adminToken, "/workspaces/" + WS
                + "/automations?page_size=1000").exchange().expectStatus().isOk()).get("automations");
        return all.stream().map(a -> (String) a.get("id")).collect(Collectors.toSet());
    }

    @SuppressWarnings("unchecked")
    private void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, Object> status = body(get(adminToken, "/admin/projections").exchange().expectStatus().isOk());
            assertThat(((List<Map<String, Object>>) status.get("projections")).stream()
                    .filter(p -> p.get("name").equals("automations")).findFirst().orElseThrow().get("lag")).isEqualTo(0);
        });
    }

    /** Waits until GET /admin/projections shows the rebuild completed (its progress on the way) and answers it. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitRebuilt() {
        Map<String, Object>[] rebuild = new Map[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            Map<String, Object> status = body(get(adminToken, "/admin/projections").exchange().expectStatus().isOk());
            Map<String, Object> automations = ((List<Map<String, Object>>) status.get("projections")).stream()
                    .filter(p -> p.get("name").equals("automations")).findFirst().orElseThrow();
            assertThat(automations).containsKeys("position", "events_per_second", "eta", "rebuild");
            rebuild[0] = (Map<String, Object>) automations.get("rebuild");
            assertThat(rebuild[0].get("state")).isNotEqualTo("failed");
            assertThat(rebuild[0]).containsEntry("state", "completed");
            assertThat(automations).containsEntry("lag", 0).containsEntry("running", true);
        });
        return rebuild[0];
    }
}
