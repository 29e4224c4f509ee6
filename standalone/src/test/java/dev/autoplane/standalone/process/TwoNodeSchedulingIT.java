package dev.autoplane.standalone.process;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Two nodes on one PostgreSQL, both running the engine: every occurrence fires exactly once, and
 * when one node is killed with SIGKILL the other keeps firing every schedule without a gap.
 */
class TwoNodeSchedulingIT {

    @Test
    void twoNodesFireEachOccurrenceOnceAndOneKeepsFiringWhenTheOtherDies(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            // a source the killed node had claimed waits for its lease: keep that shorter than the watch
            Map<String, String> common = ServerProcess.with(ServerProcess.postgresMode(postgres),
                    "AUTOPLANE_SCHEDULER_CLAIM_LEASE", "PT2S");
            Path jar = ServerProcess.jar("target/autoplane-standalone.jar");
            Path dataA = Files.createDirectories(dir.resolve("a"));
            Path dataB = Files.createDirectories(dir.resolve("b"));
            HttpClient client = HttpClient.newHttpClient();
            List<String> ids;
            Instant killed;
            try (ServerProcess a = new ServerProcess(jar, ServerProcess.with(common, "AUTOPLANE_DATA_DIR", dataA.toString()), dir.resolve("a.log")).start()) {
                a.awaitHealthy(Duration.ofSeconds(120));
                try (ServerProcess b = new ServerProcess(jar, ServerProcess.with(common, "AUTOPLANE_DATA_DIR", dataB.toString()), dir.resolve("b.log")).start()) {
                    b.awaitHealthy(Duration.ofSeconds(120));
                    String token = Files.readString(dataA.resolve("admin-token")).trim();
                    ids = FireLedger.everySecond(client, a.url(), token, 20);
                    Thread.sleep(5_000);
                    a.kill9();
                    killed = Instant.now();
                    Thread.sleep(5_000);
                }
            }
            var ledger = FireLedger.read(url, "postgres", "postgres", ids);
            FireLedger.assertEverySecondFiredOnce(ledger, killed.plusSeconds(3));
        }
    }

}
