package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariant 4 under concurrency: one Idempotency-Key, many simultaneous requests, one automation;
 * one name, many simultaneous creates, one automation and clear conflicts for the rest.
 */
class ConcurrentIdempotencyTest extends ApiTest {

    @Test
    @SuppressWarnings("unchecked")
    void simultaneousRepeatsCreateOnce() throws Exception {
        String key = "concurrent-" + System.nanoTime();
        Map<String, Object> request = Map.of("name", uniqueName("concurrent"), "kind", "scheduled");
        long before = countAutomations();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Map<String, Object>>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Callable<Map<String, Object>> call = () -> http.post().uri("/api/v1/workspaces/" + WS + "/automations")
                    .header("Authorization", "Bearer " + adminToken).header("Idempotency-Key", key)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(request).exchange()
                    .expectBody(Map.class).returnResult().getResponseBody();
            answers.add(pool.submit(call));
        }
        Set<Object> ids = new HashSet<>();
        for (Future<Map<String, Object>> answer : answers) {
            Map<String, Object> body = answer.get();
            if (body.containsKey("automation")) {
                ids.add(((Map<String, Object>) body.get("automation")).get("id"));
            } else {
                assertThat(body.get("code")).as("the only other answer is: still in progress").isEqualTo("idempotency_in_progress");
                ids.add(body.get("automation_id"));
            }
        }
        pool.shutdown();
        assertThat(ids).hasSize(1);
        assertThat(countAutomations()).isEqualTo(before + 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void simultaneousCreatesOfOneNameCreateOnceAndTheRestAreConflicts() throws Exception {
        Map<String, Object> request = Map.of("name", uniqueName("contested"), "kind", "scheduled");
        long before = countAutomations();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Map<String, Object>>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(pool.submit(() -> http.post().uri("/api/v1/workspaces/" + WS + "/automations")
                    .header("Authorization", "Bearer " + adminToken)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(request).exchange()
                    .expectBody(Map.class).returnResult().getResponseBody()));
        }
        int created = 0;
        for (Future<Map<String, Object>> answer : answers) {
            Map<String, Object> body = answer.get();
            if (body.containsKey("automation")) {
                created++;
            } else {
                assertThat(body.get("code")).isIn("name_taken", "concurrent_modification");
                assertThat(body.get("status")).isEqualTo(409);
            }
        }
        pool.shutdown();
        assertThat(created).isEqualTo(1);
        assertThat(countAutomations()).isEqualTo(before + 1);
    }
}
