package dev.autoplane.platform.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.StandardEnvironment;

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
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("test",
                java.util.Map.of("autoplane.data-dir", dir.toString())));
        new AutoplaneEnvironmentPostProcessor().postProcessEnvironment(env, null);
        String url = env.getProperty("spring.datasource.url");
        assertThat(url).contains(dir.toString());
        assertThat(url).startsWith("jdbc:h2:retry:");

        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(600))");
        }
        int perWriter = 3_000;
        AtomicInteger failures = new AtomicInteger();
        Thread[] writers = new Thread[4];
        for (int w = 0; w < writers.length; w++) {
            writers[w] = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                    for (int i = 0; i < perWriter; i++) {
                        c.createStatement().execute("INSERT INTO t (v) VALUES ('" + "x".repeat(500) + "')");
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
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
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("INSERT INTO t (v) VALUES ('after')");
            ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t");
            rs.next();
            assertThat(failures.get()).as("writers that failed").isZero();
            assertThat(rs.getLong(1)).isEqualTo(writers.length * (long) perWriter + 1);
        }
    }
}
