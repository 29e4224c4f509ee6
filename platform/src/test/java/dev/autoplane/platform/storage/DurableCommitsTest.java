package dev.autoplane.platform.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the embedded database file holds at the moment of a crash, per writer. The file is copied while the
 * database is open, as {@code kill -9} would leave it, and the copy opened on its own: a commit of an ordinary
 * thread is in it as soon as the commit returns; a projection thread's is not until a later commit writes the file
 * (the application's URL, with the write delay made long enough that H2's own background write cannot interfere).
 */
class DurableCommitsTest {

    @TempDir
    Path dir;

    private DurableCommits dataSource;
    private Connection holder;
    private ExecutorService projection;

    @BeforeEach
    void open() throws Exception {
        dataSource = CrashImage.dataSource(dir);
        holder = dataSource.getConnection(); // keeps the database open between the test's connections
        holder.createStatement().execute("CREATE TABLE doc (id INT PRIMARY KEY, body VARCHAR(200))");
        ThreadFactory threads = DurableCommits.deferring(Executors.defaultThreadFactory());
        projection = Executors.newSingleThreadExecutor(threads);
    }

    @AfterEach
    void close() throws Exception {
        projection.shutdownNow();
        holder.close();
    }

    @Test
    void anOrdinaryCommitIsInTheFileWhenItReturns() throws Exception {
        insert(1, true);                 // auto-commit
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            write(c, 2);
            c.commit();                  // a transaction
            c.setAutoCommit(true);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            write(c, 3);
            c.setAutoCommit(true);       // ends (commits) the transaction as well
        }
        assertThat(idsInACopyOfTheFile()).containsExactly(1, 2, 3);
    }

    @Test
    void aProjectionsCommitWaitsForTheNextWriteOfTheFile() throws Exception {
        insert(1, true);
        onProjectionThread(() -> insert(2, false));
        onProjectionThread(() -> insert(3, true));
        assertThat(idsInACopyOfTheFile()).as("the projection's commits, before any other write").containsExactly(1);

        insert(4, false);                // the next ordinary commit writes everything committed before it
        assertThat(idsInACopyOfTheFile()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aProjectionsTransactionThatAsksToBeWrittenIsInTheFileWhenItReturns() throws Exception {
        insert(1, true);
        onProjectionThread(() -> {
            DurableCommits.writeWithCommit(); // as the access projection does for a revocation
            return insert(2, false);
        });
        onProjectionThread(() -> insert(3, false)); // the next batch defers again
        assertThat(idsInACopyOfTheFile()).containsExactly(1, 2);
    }

    @Test
    void aRolledBackTransactionDoesNotCarryItsRequestIntoTheNext() throws Exception {
        onProjectionThread(() -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                DurableCommits.writeWithCommit();
                write(c, 1);
                c.rollback();
                c.setAutoCommit(true);
            }
            return insert(2, false);
        });
        assertThat(idsInACopyOfTheFile()).isEmpty();
    }

    private void onProjectionThread(Callable<?> work) throws Exception {
        projection.submit(work).get();
    }

    private Void insert(int id, boolean autoCommit) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(autoCommit);
            write(c, id);
            if (!autoCommit) {
                c.commit();
                c.setAutoCommit(true);
            }
        }
        return null;
    }

    private static void write(Connection c, int id) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO doc VALUES (?, ?)")) {
            insert.setInt(1, id);
            insert.setString(2, "row " + id);
            insert.executeUpdate();
        }
    }

    /** The ids a process opening the file as it is now would find (the open database is not touched). */
    private List<Integer> idsInACopyOfTheFile() throws Exception {
        return CrashImage.rows(dir, "SELECT id FROM doc ORDER BY id", rs -> rs.getInt(1));
    }
}
