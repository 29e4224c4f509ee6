package dev.autoplane.standalone.delivery;

import dev.autoplane.command.delivery.DeliveryQueue;
import dev.autoplane.command.delivery.DeliveryQueue.Owed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Push delivery's claims on a real PostgreSQL, where two nodes share the queue: the claim queries run as
 * written there ({@code FOR UPDATE OF q SKIP LOCKED} over the join), and two nodes claiming at once never
 * both get a run — to lease, or to send — twenty rounds in a row.
 */
class DeliveryQueueOnPostgresTest {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");

    static EmbeddedPostgres postgres;
    static DataSource dataSource;
    JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").load().migrate();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void empty() {
        jdbc = new JdbcTemplate(dataSource);
        jdbc.update("DELETE FROM run_queue");
        jdbc.update("DELETE FROM delivery_target");
    }

    /** Two nodes' queues over one database (each its own transaction manager, as two processes have). */
    static DeliveryQueue node() {
        return new DeliveryQueue(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
    }

    void pushAutomation(String automationId) {
        jdbc.update("INSERT INTO delivery_target (automation_id, workspace_id, url, secret_key_id, secret_ciphertext)"
                + " VALUES (?, ?, 'https://executor.example/runs', 'k1', 'sealed')", automationId, WS);
    }

    void run(String runId, String automationId, String status, Instant dueAt, Instant deliveryDueAt) {
        jdbc.update("INSERT INTO run_queue (run_id, workspace_id, automation_id, status, due_at, lease_id, delivery_due_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", runId, WS, automationId, status, Timestamp.from(dueAt),
                "running".equals(status) ? "delivery:" + runId : null,
                deliveryDueAt == null ? null : Timestamp.from(deliveryDueAt));
    }

    @Test
    void onlyDueRunsOfPushAutomationsAreClaimedToLeaseAndOwedSendsToSend() {
        pushAutomation("a-push");
        run("r1", "a-push", "scheduled", NOW.minusSeconds(5), null);
        run("r2", "a-push", "scheduled", NOW.plusSeconds(60), null);            // not due yet
        run("r3", "a-pull", "scheduled", NOW.minusSeconds(5), null);            // no delivery target: pull executors'
        run("r4", "a-push", "running", NOW.minusSeconds(9), NOW.minusSeconds(1)); // a send owed
        run("r5", "a-push", "running", NOW.minusSeconds(9), NOW.plusSeconds(30)); // a retry later

        DeliveryQueue queue = node();
        assertThat(queue.claimToLease(NOW, 10, Duration.ofSeconds(30), List.of())).extracting(Owed::runId)
                .containsExactly("r1");
        assertThat(queue.claimToLease(NOW, 10, Duration.ofSeconds(30), List.of())).as("claimed already").isEmpty();
        assertThat(queue.claimToSend(NOW, 10, Duration.ofSeconds(30), List.of()))
                .singleElement().satisfies(o -> assertThat(o.leaseId()).isEqualTo("delivery:r4"));
        assertThat(queue.claimToSend(NOW, 10, Duration.ofSeconds(30), List.of("a-push"))).as("busy automation").isEmpty();
        queue.release("r1");
        assertThat(queue.claimToLease(NOW, 10, Duration.ofSeconds(30), List.of("a-push"))).as("busy automation").isEmpty();
        assertThat(queue.claimToLease(NOW, 10, Duration.ofSeconds(30), List.of())).extracting(Owed::runId)
                .containsExactly("r1");
        assertThat(queue.claimToLease(NOW.plusSeconds(31), 10, Duration.ofSeconds(30), List.of()))
                .as("a claim that ran out is claimable again").extracting(Owed::runId).contains("r1");
    }

    @Test
    void twoNodesClaimingAtOnceNeverBothGetARun() throws Exception {
        pushAutomation("a-push");
        DeliveryQueue first = node();
        DeliveryQueue second = node();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                jdbc.update("DELETE FROM run_queue");
                for (int i = 0; i < 30; i++) {
                    run("lease-" + i, "a-push", "scheduled", NOW.minusSeconds(i), null);
                    run("send-" + i, "a-push", "running", NOW.minusSeconds(60), NOW.minusSeconds(i));
                }
                List<Callable<List<Owed>>> claims = new ArrayList<>();
                for (DeliveryQueue node : List.of(first, second)) {
                    claims.add(() -> node.claimToLease(NOW, 20, Duration.ofSeconds(30), List.of()));
                    claims.add(() -> node.claimToSend(NOW, 20, Duration.ofSeconds(30), List.of()));
                }
                List<String> claimed = new ArrayList<>();
                for (Future<List<Owed>> f : pool.invokeAll(claims)) {
                    f.get().forEach(o -> claimed.add(o.runId()));
                }
                assertThat(claimed).as("round %d: no run claimed twice", round).doesNotHaveDuplicates();
                assertThat(Set.copyOf(claimed)).as("round %d: every owed run claimed by one node or the other", round)
                        .hasSize(60);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
