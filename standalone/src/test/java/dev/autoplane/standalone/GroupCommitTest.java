package dev.autoplane.standalone;

import dev.autoplane.platform.axon.GroupCommit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit with failures in the batch: many concurrent commands, some rejected (a name already
 * taken, one name contested by several creates, two updates from the same version). Every command
 * that was answered as done is stored, exactly once; every rejected one changed nothing; the
 * others were not failed by it. Rounds repeat until a shared commit and a rolled-back batch have
 * both happened (concurrent requests share a batch whenever they arrive while one commits; the
 * assertions hold in every round, whichever way the commands were grouped).
 */
class GroupCommitTest extends ApiTest {

    private static final String AUTOMATIONS = "/workspaces/" + WS + "/automations";

    @Autowired
    GroupCommit groupCommit;

    private record Answer(String kind, int status, Map<String, Object> body) {
    }

    @Test
    void failingCommandsInABatchChangeNothingAndFailNoOther() throws Exception {
        assertThat(groupCommit.enabled()).as("on by default with the embedded storage").isTrue();
        int sharedBefore = groupCommit.sharedCommits();
        int rolledBackBefore = groupCommit.rolledBackBatches();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            for (int round = 0; round < 30; round++) {
                round(pool);
                if (round >= 1 && groupCommit.sharedCommits() > sharedBefore
                        && groupCommit.rolledBackBatches() > rolledBackBefore) {
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(groupCommit.sharedCommits()).as("commands shared a commit").isGreaterThan(sharedBefore);
        assertThat(groupCommit.rolledBackBatches()).as("a batch with a failing command was rolled back")
                .isGreaterThan(rolledBackBefore);
    }

    @SuppressWarnings("unchecked")
    private void round(ExecutorService pool) throws Exception {
        // four existing automations, each to be updated twice from the same version
        List<Map<String, Object>> existing = new ArrayList<>();
        List<String> etags = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Object> a = createDraft(uniqueName("batched existing"));
            existing.add(a);
            etags.add(get(adminToken, AUTOMATIONS + "/" + a.get("id")).exchange().expectStatus().isOk()
                    .returnResult(String.class).getResponseHeaders().getETag());
        }
        String taken = (String) existing.get(0).get("name");
        String contested = uniqueName("batched contested");
        List<String> fresh = new ArrayList<>();
        long perCreate = eventsOf((String) existing.get(0).get("id"));
        long eventsBefore = events();
        long automationsBefore = countAutomations();

        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = uniqueName("batched fresh");
            fresh.add(name);
            answers.add(pool.submit(send(start, "fresh", () -> create(name))));
        }
        for (int i = 0; i < 4; i++) {
            answers.add(pool.submit(send(start, "taken", () -> create(taken))));
            answers.add(pool.submit(send(start, "contested", () -> create(contested))));
        }
        for (int i = 0; i < existing.size(); i++) {
            String path = AUTOMATIONS + "/" + existing.get(i).get("id");
            String etag = etags.get(i);
            for (String side : List.of("a", "b")) {
                String description = "update " + i + side;
                answers.add(pool.submit(send(start, "update " + i, () -> http.patch().uri("/api/v1" + path)
                        .header("Authorization", "Bearer " + adminToken).header("If-Match", etag)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("description", description)))));
            }
        }
        start.countDown();

        int freshCreated = 0, contestedCreated = 0;
        int[] updated = new int[existing.size()];
        for (Future<Answer> f : answers) {
            Answer a = f.get();
            switch (a.kind()) {
                case "fresh" -> {
                    assertThat(a.status()).as("a create that nothing contests: %s", a.body()).isEqualTo(201);
                    freshCreated++;
                }
                case "taken" -> {
                    assertThat(a.status()).as("a taken name: %s", a.body()).isEqualTo(409);
                    assertThat(a.body().get("code")).isEqualTo("name_taken");
                }
                case "contested" -> {
                    if (a.status() == 201) {
                        contestedCreated++;
                    } else {
                        assertThat(a.status()).as("a lost name contest: %s", a.body()).isEqualTo(409);
                        assertThat(a.body().get("code")).isIn("name_taken", "concurrent_modification");
                    }
                }
                default -> {
                    int i = Integer.parseInt(a.kind().substring("update ".length()));
                    if (a.status() == 200) {
                        updated[i]++;
                    } else {
                        assertThat(a.status()).as("an update from a stale version: %s", a.body()).isIn(409, 412);
                    }
                }
            }
        }
        assertThat(freshCreated).isEqualTo(10);
        assertThat(contestedCreated).as("one create wins the contested name").isEqualTo(1);
        assertThat(updated).as("one update of each pair wins").containsOnly(1);

        // stored exactly what was answered as done: 11 automations, one event each, and one update event per pair
        assertThat(countAutomations()).isEqualTo(automationsBefore + 11);
        for (String name : fresh) {
            assertThat(automationsNamed(name)).as(name).isEqualTo(1);
        }
        assertThat(automationsNamed(contested)).isEqualTo(1);
        assertThat(automationsNamed(taken)).isEqualTo(1);
        for (int i = 0; i < existing.size(); i++) {
            String id = (String) existing.get(i).get("id");
            assertThat(eventsOf(id)).as("created, then updated once").isEqualTo(perCreate + 1);
            Map<String, Object> now = body(get(adminToken, AUTOMATIONS + "/" + id).exchange().expectStatus().isOk());
            String description = (String) ((Map<String, Object>) now.getOrDefault("automation", now)).get("description");
            assertThat(description).isIn("update " + i + "a", "update " + i + "b");
        }
        assertThat(events() - eventsBefore).as("automation events of the round").isEqualTo(11 * perCreate + existing.size());
    }

    private Callable<Answer> send(CountDownLatch start, String kind,
                                  Callable<org.springframework.test.web.reactive.server.WebTestClient.RequestHeadersSpec<?>> request) {
        return () -> {
            var spec = request.call();
            start.await();
            var result = spec.exchange().expectBody(Map.class).returnResult();
            @SuppressWarnings("unchecked")
            Map<String, Object> body = result.getResponseBody();
            if (result.getStatus().value() == 201) {
                issued((String) body.get("secret"));
            }
            return new Answer(kind, result.getStatus().value(), body);
        };
    }

    private org.springframework.test.web.reactive.server.WebTestClient.RequestHeadersSpec<?> create(String name) {
        return http.post().uri("/api/v1" + AUTOMATIONS).header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", name, "kind", "scheduled"));
    }

    private long automationsNamed(String name) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM automation_view WHERE NOT deleted AND doc LIKE ?", Long.class,
                "%\"name\":\"" + name + "\"%");
    }

    private long eventsOf(String aggregateId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, aggregateId);
    }

    private long events() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE type = 'Automation'", Long.class);
    }
}
