package dev.autoplane.platform.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reactor interrupts a worker thread when the request it serves is canceled (a client that goes
 * away). The embedded database must shrug that off: writers that are interrupted mid-I/O carry on,
 * and the database stays writable (with H2's plain file system the file channel closes and every
 * later write fails until a restart).
 */
class EmbeddedDatabaseInterruptTest {

    @Test
    void interruptedWritersDoNotBreakTheEmbeddedDatabase(@TempDir Path dir) throws Exception {
        String url = CrashImage.url(dir);
        assertThat(url).contains(dir.toString());
        assertThat(url).startsWith("jdbc:h2:retry:");

        // one connection stays open all along, as the application's pool does: the database is never reopened
        try (Connection holder = DriverManager.getConnection(url, "sa", "")) {
            holder.createStatement().execute("CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(600))");
            int perWriter = 2_000;
            AtomicInteger stored = new AtomicInteger();
            Thread[] writers = new Thread[4];
            for (int w = 0; w < writers.length; w++) {
                writers[w] = new Thread(() -> {
                    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                        for (int i = 0; i < perWriter; i++) {
                            try {
                                c.createStatement().execute("INSERT INTO t (v) VALUES ('" + "x".repeat(500) + "')");
                                stored.incrementAndGet();
                            } catch (java.sql.SQLException e) {
                                // the interrupted request's statement may fail; the worker goes on with the next one
                            }
                            Thread.interrupted(); // like a pooled worker that is reused after a canceled task
                        }
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                writers[w].start();
            }
            for (int k = 0; k < 40; k++) {
                Thread.sleep(5);
                writers[k % writers.length].interrupt();
            }
            for (Thread w : writers) {
                w.join();
            }
            holder.createStatement().execute("INSERT INTO t (v) VALUES ('after')");
            ResultSet rs = holder.createStatement().executeQuery("SELECT COUNT(*) FROM t");
            rs.next();
            assertThat(stored.get()).as("inserts that succeeded").isGreaterThan(writers.length * perWriter / 2);
            assertThat(rs.getLong(1)).as("every acknowledged insert is there").isEqualTo(stored.get() + 1L);
        }
    }
}
