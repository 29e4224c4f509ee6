package dev.autoplane.platform.access;

import dev.autoplane.events.identity.IdentityEvents.PersonalAccessTokenIssuedEvent;
import dev.autoplane.events.identity.IdentityEvents.PersonalAccessTokenRevokedEvent;
import dev.autoplane.platform.storage.CrashImage;
import dev.autoplane.platform.storage.DurableCommits;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access projection runs on a tracking processor's thread, whose batches reach the database file with the next
 * write ({@link DurableCommits}). A batch that takes access away must not: once a revocation's batch has committed
 * (and so before the revoke is answered), the file holds it, so a {@code kill -9} then cannot bring the token back.
 * A grant may wait (a crash loses it until the projection applies it again: it fails closed). The file is copied
 * while the database is open, as a crash would leave it, and the copy read on its own.
 */
class AccessDurabilityTest {

    @TempDir
    Path dir;

    private DurableCommits dataSource;
    private Connection holder;
    private AccessProjection projection;
    private TransactionTemplate transaction;
    private ExecutorService processorThread;

    @BeforeEach
    void open() throws Exception {
        dataSource = CrashImage.dataSource(dir);
        holder = dataSource.getConnection();
        Flyway.configure().dataSource(dataSource)
                .locations(CrashImage.environment(dir, Map.of()).getProperty("spring.flyway.locations").split(","))
                .load().migrate();
        projection = new AccessProjection(new JdbcTemplate(dataSource),
                new StaticListableBeanFactory().getBeanProvider(CachedAccessDirectory.class));
        transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        processorThread = Executors.newSingleThreadExecutor(DurableCommits.deferring(Executors.defaultThreadFactory()));
    }

    @AfterEach
    void close() throws Exception {
        processorThread.shutdownNow();
        holder.close();
    }

    @Test
    void aRevocationIsInTheFileOnceItsBatchHasCommitted() throws Exception {
        asBatch(() -> projection.on(issued("tok-1")));
        asBatch(() -> projection.on(issued("tok-2")));
        assertThat(tokensInACopyOfTheFile()).as("grants wait for the next write").isEmpty();

        asBatch(() -> projection.on(new PersonalAccessTokenRevokedEvent("tok-1", "user-1", null, Instant.now())));
        assertThat(tokensInACopyOfTheFile()).containsExactly(Map.entry("tok-1", true), Map.entry("tok-2", false));
    }

    /** As the processor runs a batch: on its thread, in one transaction. */
    private void asBatch(Runnable handler) throws Exception {
        processorThread.submit(() -> transaction.executeWithoutResult(status -> handler.run())).get();
    }

    private static PersonalAccessTokenIssuedEvent issued(String tokenId) {
        return new PersonalAccessTokenIssuedEvent(tokenId, "user-1", "ci", "hash-" + tokenId, null, null, Instant.now());
    }

    private Map<String, Boolean> tokensInACopyOfTheFile() throws Exception {
        Map<String, Boolean> tokens = new LinkedHashMap<>();
        CrashImage.rows(dir, "SELECT token_id, revoked FROM access_token ORDER BY token_id",
                rs -> tokens.put(rs.getString(1), rs.getBoolean(2)));
        return tokens;
    }
}
