package dev.autoplane.command.config;

import org.axonframework.common.caching.WeakReferenceCache;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a command cached inside a database transaction leaves the cache when that transaction rolls
 * back, also when the command's own unit of work had finished (the engine's batch of fires shares
 * one transaction). A real transaction manager on an in-memory H2 database.
 */
class TransactionBoundCacheTest {

    private final TransactionBoundCache cache = new TransactionBoundCache(new WeakReferenceCache());
    private final TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(h2()));
    private final Object state = new Object();

    private static JdbcDataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:cache-test;DB_CLOSE_DELAY=-1");
        return ds;
    }

    @Test
    void anEntryWrittenInATransactionThatRollsBackIsForgotten() {
        transactions.executeWithoutResult(status -> {
            cache.put("a", state);
            assertThat(cache.containsKey("a")).isTrue();
            status.setRollbackOnly();
        });
        assertThat(cache.containsKey("a")).isFalse();
    }

    @Test
    void anEntryWrittenInATransactionThatCommitsStays() {
        transactions.executeWithoutResult(status -> cache.put("b", state));
        assertThat(cache.<String, Object>get("b")).isSameAs(state);
    }

    @Test
    void anEntryWrittenOutsideATransactionStays() {
        cache.put("c", state);
        assertThat(cache.<String, Object>get("c")).isSameAs(state);
    }
}
