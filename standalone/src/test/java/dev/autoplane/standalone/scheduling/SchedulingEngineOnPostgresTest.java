package dev.autoplane.standalone.scheduling;

import dev.autoplane.standalone.AutoplaneApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.commandhandling.AsynchronousCommandBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The engine suite where a command is not handled on the thread and in the transaction that sent
 * it, as with Axon Server (issue 9, defect 2): PostgreSQL, and an {@link AsynchronousCommandBus}
 * whose handlers run on their own threads, each command in its own transaction. With an engine that
 * held its row locks while it waited for the fire, the first fire deadlocked here for good.
 */
@SpringBootTest(classes = {AutoplaneApplication.class, SchedulingEngineSuite.Clocks.class,
        SchedulingEngineOnPostgresTest.CommandsElsewhere.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"autoplane.scheduler.enabled=false", "autoplane.storage=postgres"})
@org.springframework.test.annotation.DirtiesContext
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a deadlock fails, not hangs
class SchedulingEngineOnPostgresTest extends SchedulingEngineSuite {

    static final Path DATA_DIR = newDataDir();
    static final EmbeddedPostgres POSTGRES = start();

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            // closed when the JVM ends, after the cached application context that uses it
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the process is ending
                }
            }));
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The storage settings are read before test property sources exist: system properties for this class only. */
    static final Map<String, String> STORAGE = Map.of(
            "autoplane.db.url", POSTGRES.getJdbcUrl("postgres", "postgres"),
            "autoplane.db.user", "postgres",
            "autoplane.db.password", "postgres",
            "autoplane.secrets.hash-key", Base64.getEncoder().encodeToString(new byte[32]));

    static {
        STORAGE.forEach(System::setProperty);
    }

    @AfterAll
    static void clearStorageSettings() {
        STORAGE.keySet().forEach(System::clearProperty);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("autoplane.data-dir", DATA_DIR::toString);
    }

    /** The delivery before each test may deadlock too (it did, on the engine that held its locks). */
    @Override
    @org.junit.jupiter.api.BeforeEach
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void connect() throws java.io.IOException {
        super.connect();
    }

    @TestConfiguration
    static class CommandsElsewhere {
        @Bean(destroyMethod = "shutdownNow")
        ExecutorService commandThreads() {
            return Executors.newFixedThreadPool(4, r -> new Thread(r, "command-elsewhere"));
        }

        /** Every command on a pool thread, in its own transaction (Axon Server's CommandProcessor threads do the same). */
        @Bean
        @Primary
        CommandBus commandBus(TransactionManager transactions, ExecutorService commandThreads) {
            return AsynchronousCommandBus.builder().transactionManager(transactions).executor(commandThreads).build();
        }
    }
}
