package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replays asked for many times at once (issue 15, item 3: eight rapid replays left the processor with
 * no segment and every read empty until a restart). One replay runs at a time per projection, the
 * others answer 409, and afterwards the projection is whole and can be replayed again.
 */
class ProjectionReplayTest extends ApiTest {

    @Test
    void concurrentReplaysRunOneAtATimeAndLeaveTheReadModelWhole() throws Exception {
        Map<String, Object> known = createDraft(uniqueName("replayed"));
        String path = "/workspaces/" + WS + "/automations/" + known.get("id");

        List<Integer> statuses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> replays = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                replays.add(() -> http.post().uri("/api/v1/admin/projections/automations/replay")
                        .header("Authorization", "Bearer " + adminToken).exchange()
                        .returnResult(String.class).getStatus().value());
            }
            for (Future<Integer> f : pool.invokeAll(replays)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(statuses).containsOnly(202, 409).contains(202).contains(409);

        awaitWhole();
        get(adminToken, path).exchange().expectStatus().isOk();

        // and again, sequentially, once the first has caught up
        http.post().uri("/api/v1/admin/projections/automations/replay").header("Authorization", "Bearer " + adminToken)
                .exchange().expectStatus().isAccepted();
        awaitWhole();
        get(adminToken, path).exchange().expectStatus().isOk();
        assertThat(body(get(adminToken, "/workspaces/" + WS + "/automations?page_size=5").exchange().expectStatus().isOk())
                .get("automations")).asList().isNotEmpty();
    }

    @SuppressWarnings("unchecked")
    private void awaitWhole() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, Object> status = body(get(adminToken, "/admin/projections").exchange().expectStatus().isOk());
            Map<String, Object> p = ((List<Map<String, Object>>) status.get("projections")).stream()
                    .filter(x -> x.get("name").equals("automations")).findFirst().orElseThrow();
            assertThat(p).containsEntry("running", true).containsEntry("error", false).containsEntry("lag", 0);
            assertThat((Integer) p.get("segments")).isPositive();
        });
    }
}
