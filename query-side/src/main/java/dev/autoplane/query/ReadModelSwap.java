package dev.autoplane.query;

import org.springframework.core.InfrastructureProxy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The moment a rebuilt read model replaces the live one (issue 14, "rebuild at scale"): its shadow tables are
 * renamed to the live names. H2 commits each DDL statement on its own, so between renaming the live table away
 * and the shadow into its place a reader would find no table; PostgreSQL renames in one transaction but a
 * reader of this process should not wait on its locks either. So every JDBC read-model adapter
 * ({@link JdbcDocumentTable}) takes its connections through {@link #guarded}: each connection taken outside a
 * transaction holds a share of one process-wide permit set until it is closed, and {@link #exclusively} takes
 * them all (fair: waiting readers queue behind it, none starves it). A statement therefore sees the old tables
 * or the new ones, never neither. Connections bound to a transaction (the projections' batches, which the
 * rebuild pauses before it swaps) are the transaction's and take no share.
 * <p>
 * The embedded H2 database is one process's; a PostgreSQL database that several query-side processes share
 * needs no more than its own transactional DDL (a reader of another process waits on the renames' lock and
 * then reads the new table).
 */
public final class ReadModelSwap {

    private static final int ALL = 1 << 20;
    private static final Semaphore PERMITS = new Semaphore(ALL, true);

    private ReadModelSwap() {
    }

    /** A template whose connections (outside a transaction) are held off while a swap runs. */
    public static JdbcTemplate guarded(JdbcTemplate jdbc) {
        DataSource ds = jdbc.getDataSource();
        if (ds == null || ds instanceof Guarded) {
            return jdbc;
        }
        JdbcTemplate guarded = new JdbcTemplate(new Guarded(ds), true);
        guarded.setExceptionTranslator(jdbc.getExceptionTranslator());
        guarded.setFetchSize(jdbc.getFetchSize());
        guarded.setMaxRows(jdbc.getMaxRows());
        guarded.setQueryTimeout(jdbc.getQueryTimeout());
        return guarded;
    }

    /** Runs {@code swap} once no guarded connection is open, holding every new one off until it returns. */
    public static void exclusively(Duration timeout, Runnable swap) {
        try {
            if (!PERMITS.tryAcquire(ALL, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("read-model readers did not finish within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for read-model readers", e);
        }
        try {
            swap.run();
        } finally {
            PERMITS.release(ALL);
        }
    }

    /**
     * The data source with a permit per connection. An {@link InfrastructureProxy} of the real one, so Spring
     * finds the transaction bound to the real one (and hands its connection out without asking here).
     */
    private static final class Guarded extends DelegatingDataSource implements InfrastructureProxy {

        Guarded(DataSource target) {
            super(target);
        }

        @Override
        public Object getWrappedObject() {
            return obtainTargetDataSource();
        }

        @Override
        public Connection getConnection() throws SQLException {
            return holding(() -> super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return holding(() -> super.getConnection(username, password));
        }

        private interface Open {
            Connection open() throws SQLException;
        }

        private static Connection holding(Open open) throws SQLException {
            try {
                PERMITS.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while a read model was swapped", e);
            }
            Connection connection;
            try {
                connection = open.open();
            } catch (SQLException | RuntimeException e) {
                PERMITS.release();
                throw e;
            }
            AtomicBoolean released = new AtomicBoolean();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            try {
                                return method.invoke(connection, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            } finally {
                                if (released.compareAndSet(false, true)) {
                                    PERMITS.release();
                                }
                            }
                        }
                        if (method.getName().equals("unwrap") && args != null && args[0] == Connection.class) {
                            return connection;
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
