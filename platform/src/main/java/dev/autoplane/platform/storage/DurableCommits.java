package dev.autoplane.platform.storage;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

/**
 * The embedded database's durability, decided per writer: a commit is written to the file before the committing
 * thread goes on, unless the thread derives what it writes from the event log (a read-model projection).
 * <p>
 * H2 writes a new chunk of every page a transaction changed when it commits ({@code WRITE_DELAY=0}), and a
 * projection's batch touches its documents, their indexes and its token: measured on the P1 load, 59 KB were
 * written to the file per answered command, a third of it by the projections' own commits. Yet a projection
 * needs no write of its own: its batch and its token commit in one transaction of the same store, so a crash loses
 * both or neither, and the processor projects the lost batch again from the log it reads. So the embedded URL gives
 * H2 a write delay ({@code autoplane.h2.projection-write-delay}, 100 ms) and this data source writes the file
 * itself after every commit that is not a projection's, exactly as H2 did with {@code WRITE_DELAY=0}
 * ({@link MVStore#commit()} once the transaction has committed; it waits for a write already under way and writes
 * whatever it did not cover). A projection's batch reaches the file with the next such write, or after the delay.
 * <p>
 * What counts as a commit: {@link Connection#commit()}, {@link Connection#setAutoCommit} ending a transaction, and
 * every write statement ({@code executeUpdate}, {@code executeBatch}, {@code execute}) on a connection in auto-commit
 * mode. A transaction that wrote nothing writes nothing. The threads that may defer are those made by
 * {@link #deferring(ThreadFactory)}: the tracking processors' (see {@code AxonStorageConfiguration}). A transaction
 * of theirs that must outlive a crash from the moment it commits says so ({@link #writeWithCommit()}): the access
 * projection's batch that revokes a token or takes a role or a scope away is written before the request that made
 * the change is answered (the answer waits for the projections), so no restart can bring the access back even for
 * the moment the projection needs to catch up.
 */
public final class DurableCommits extends DelegatingDataSource {

    /**
     * Every data source of the context is wrapped; one that is not the embedded H2 database of this process (PostgreSQL,
     * whose commits are durable by themselves) hands its connections out untouched.
     */
    @org.springframework.stereotype.Component
    static class Wrapping implements org.springframework.beans.factory.config.BeanPostProcessor {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
            return bean instanceof DataSource dataSource && !(bean instanceof DurableCommits) ? new DurableCommits(dataSource) : bean;
        }
    }

    private static final ThreadLocal<Boolean> DEFERS = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> WRITE_WITH_COMMIT = new ThreadLocal<>();
    private static final Set<String> WRITES = Set.of("execute", "executeUpdate", "executeLargeUpdate", "executeBatch",
            "executeLargeBatch");

    /** The embedded database's store, once the first connection has shown it; null before, and for any other database. */
    private volatile MVStore store;
    /** Whether the first connection has been looked at. */
    private volatile boolean known;

    public DurableCommits(DataSource target) {
        super(target);
    }

    /** Threads whose commits may reach the file with the next write (or after H2's write delay) instead of their own. */
    public static ThreadFactory deferring(ThreadFactory threads) {
        return task -> threads.newThread(() -> {
            DEFERS.set(Boolean.TRUE);
            task.run();
        });
    }

    /** Whether this thread's commits wait for the next write of the file. */
    private static boolean defers() {
        return DEFERS.get() != null && WRITE_WITH_COMMIT.get() == null;
    }

    /** The transaction open on this thread is written to the file with its commit, even on a thread that defers. */
    public static void writeWithCommit() {
        WRITE_WITH_COMMIT.set(Boolean.TRUE);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return durable(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return durable(super.getConnection(username, password));
    }

    private Connection durable(Connection connection) throws SQLException {
        if (!known) {
            store = storeOf(connection);
            known = true;
        }
        return store == null ? connection
                : (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                new Tracked(connection));
    }

    /** The store of the embedded H2 database this connection is to, or {@code null} for any other database. */
    private static MVStore storeOf(Connection connection) throws SQLException {
        if (connection.isWrapperFor(JdbcConnection.class)
                && connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
            return session.getDatabase().getStore().getMvStore();
        }
        return null;
    }

    /** A commit that wrote something: to the file now, unless this thread defers. */
    void committed() throws SQLException {
        if (defers()) {
            return;
        }
        WRITE_WITH_COMMIT.remove();
        try {
            store.commit();
        } catch (MVStoreException e) {
            throw new SQLException("the commit could not be written to the database file", e);
        }
    }

    /** A connection that knows whether its open transaction wrote anything. */
    private final class Tracked implements InvocationHandler {

        private final Connection target;
        private boolean wrote;

        Tracked(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "commit" -> {
                    target.commit();
                    ended();
                    return null;
                }
                case "rollback" -> {
                    if (args == null || args.length == 0) {
                        wrote = false;
                        WRITE_WITH_COMMIT.remove();
                    }
                    return call(method, args);
                }
                case "setAutoCommit" -> {
                    boolean ends = (Boolean) args[0] && !target.getAutoCommit();
                    target.setAutoCommit((Boolean) args[0]);
                    if (ends) {
                        ended();
                    }
                    return null;
                }
                case "createStatement" -> {
                    return statement(Statement.class, (Statement) call(method, args), proxy);
                }
                case "prepareStatement" -> {
                    return statement(PreparedStatement.class, (Statement) call(method, args), proxy);
                }
                case "prepareCall" -> {
                    return statement(CallableStatement.class, (Statement) call(method, args), proxy);
                }
                case "unwrap" -> {
                    return ((Class<?>) args[0]).isInstance(proxy) ? proxy : target.unwrap((Class<?>) args[0]);
                }
                case "isWrapperFor" -> {
                    return ((Class<?>) args[0]).isInstance(proxy) || target.isWrapperFor((Class<?>) args[0]);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                    return call(method, args);
                }
            }
        }

        private void ended() throws SQLException {
            if (wrote) {
                wrote = false;
                committed();
            }
        }

        /** A statement ran that may have written: committed now (auto-commit) or with the transaction. */
        void wrote() throws SQLException {
            if (target.getAutoCommit()) {
                committed();
            } else {
                wrote = true;
            }
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private Object statement(Class<? extends Statement> type, Statement statement, Object connection) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
                if (method.getName().equals("getConnection")) {
                    return connection;
                }
                if (method.getName().equals("unwrap") && ((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                try {
                    return method.invoke(statement, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                } finally {
                    if (WRITES.contains(method.getName())) {
                        wrote(); // a failed batch may have applied (and in auto-commit mode committed) a part
                    }
                }
            });
        }
    }
}
