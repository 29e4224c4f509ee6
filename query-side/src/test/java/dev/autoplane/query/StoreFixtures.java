package dev.autoplane.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.autoplane.platform.axon.AxonStorageConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The three real stores the read-model adapters run against in tests: H2 (the embedded mode's
 * database), PostgreSQL (real binaries from Maven Central through zonky, one server per test class)
 * and a MongoDB-wire server (mongo-java-server, one per test class). JDBC schemas come from the same
 * Flyway migrations the product runs ({@code db/migration/common} plus the vendor folder, as
 * {@code AutoplaneEnvironmentPostProcessor} configures them).
 *
 * <p>Each fixture is opened in a test class's {@code @BeforeAll} and closed in its {@code @AfterAll}.
 */
public final class StoreFixtures {

    private StoreFixtures() {
    }

    /** The mapper the product gives the stores ({@code defaultAxonObjectMapper}). */
    public static ObjectMapper mapper() {
        return new AxonStorageConfiguration().defaultAxonObjectMapper();
    }

    /** A migrated JDBC database; tests empty the tables they use before each test. */
    public interface JdbcDatabase extends AutoCloseable {

        JdbcTemplate jdbc();

        default void truncate(String... tables) {
            for (String table : tables) {
                jdbc().execute("DELETE FROM " + table);
            }
        }

        @Override
        void close();

        /** A database reached through {@code jdbc}, released by {@code close}. */
        static JdbcDatabase of(JdbcTemplate jdbc, Runnable close) {
            return new JdbcDatabase() {
                @Override
                public JdbcTemplate jdbc() {
                    return jdbc;
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }

    /** An in-memory H2 database held open by one connection; closing it drops the database. */
    public static JdbcDatabase h2() {
        SingleConnectionDataSource ds = new SingleConnectionDataSource(
                "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=0", "sa", "", true);
        migrate(ds, "h2");
        return JdbcDatabase.of(new JdbcTemplate(ds), ds::destroy);
    }

    /**
     * An H2 database for one test class: {@code @RegisterExtension static final H2PerClass db = new H2PerClass();}
     * opens it before the class's first test and drops it after its last.
     */
    public static final class H2PerClass implements org.junit.jupiter.api.extension.BeforeAllCallback,
            org.junit.jupiter.api.extension.AfterAllCallback {

        private JdbcDatabase db;

        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) {
            db = h2();
        }

        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) {
            db.close();
        }

        public JdbcTemplate jdbc() {
            return db.jdbc();
        }

        public void truncate(String... tables) {
            db.truncate(tables);
        }
    }

    /**
     * A PostgreSQL server of its own (zonky: real binaries, {@code initdb} into a temp directory),
     * with a migrated database, until closed.
     */
    public static JdbcDatabase postgres() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            String db = "t" + UUID.randomUUID().toString().replace("-", "");
            new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE " + db);
            SingleConnectionDataSource ds = new SingleConnectionDataSource(
                    postgres.getDatabase("postgres", db).getConnection(), true);
            migrate(ds, "postgresql");
            return JdbcDatabase.of(new JdbcTemplate(ds), () -> {
                ds.destroy();
                try {
                    postgres.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A MongoDB-wire server on 127.0.0.1 (random port) and a reactive-driver client for it. */
    public static final class Mongo implements AutoCloseable {

        private final MongoServer server;
        private final MongoClient client;

        private Mongo() {
            // the 5.x driver refuses servers older than 4.2; mongo-java-server speaks 3.6 unless told otherwise
            server = new MongoServer(new MemoryBackend().version(ServerVersion.MONGO_5_0));
            server.bind("127.0.0.1", 0);
            InetSocketAddress address = server.getLocalAddress();
            client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
        }

        public static Mongo start() {
            return new Mongo();
        }

        /** A database no other test has used. */
        public MongoDatabase freshDatabase() {
            return client.getDatabase("t" + UUID.randomUUID().toString().replace("-", ""));
        }

        @Override
        public void close() {
            client.close();
            server.shutdownNow();
        }
    }

    private static void migrate(DataSource ds, String vendor) {
        Flyway.configure().dataSource(ds)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
                .load().migrate();
    }
}
