package dev.autoplane.query.runs;

import dev.autoplane.query.StoreFixtures;
import dev.autoplane.query.StoreFixtures.JdbcDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The RunStore contract on PostgreSQL (a real server from zonky binaries), schema from the Flyway migrations. */
class RunStorePostgresTest extends RunStoreContract {

    static JdbcDatabase db;

    @BeforeAll
    static void start() {
        db = StoreFixtures.postgres();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Override
    RunStore newStore() {
        db.truncate("run_view");
        return new JdbcRunStore(db.jdbc(), StoreFixtures.mapper());
    }
}
