package dev.autoplane.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.autoplane.platform.axon.AxonStorageConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.UUID;

/**
 * The three real stores the read-model adapters run against in tests: H2 (the embedded mode's
 * database), PostgreSQL (real binaries, started once per JVM) and a MongoDB-wire server. Schemas
 * come from the same Flyway migrations the product runs.
 */
public final class StoreFixtures {

    private static EmbeddedPostgres postgres;
    private static MongoServer mongo;
    private static MongoClient mongoClient;

    private StoreFixtures() {
    }

    public static ObjectMapper mapper() {
        return new AxonStorageConfiguration().defaultAxonObjectMapper();
    }

    public static JdbcTemplate h2() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        migrate(ds, "h2");
        return new JdbcTemplate(ds);
    }

    public static synchronized JdbcTemplate postgres() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // shutting down
                    }
                }));
            }
            String db = "t" + UUID.randomUUID().toString().replace("-", "");
            new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE " + db);
            DataSource ds = postgres.getDatabase("postgres", db);
            migrate(ds, "postgresql");
            return new JdbcTemplate(ds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized com.mongodb.reactivestreams.client.MongoDatabase mongo() {
        if (mongo == null) {
            mongo = new MongoServer(new MemoryBackend().version(de.bwaldvogel.mongo.ServerVersion.MONGO_5_0));
            InetSocketAddress address = mongo.bind();
            mongoClient = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                mongoClient.close();
                mongo.shutdownNow();
            }));
        }
        return mongoClient.getDatabase("t" + UUID.randomUUID().toString().replace("-", ""));
    }

    private static void migrate(DataSource ds, String vendor) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/" + vendor).load().migrate();
    }
}
