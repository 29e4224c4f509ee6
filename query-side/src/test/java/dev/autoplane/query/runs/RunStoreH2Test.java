package dev.autoplane.query.runs;

import dev.autoplane.query.StoreFixtures;
import dev.autoplane.query.StoreFixtures.JdbcDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The RunStore contract on H2 (the embedded mode's database), schema from the Flyway migrations. */
class RunStoreH2Test extends RunStoreContract {

    static JdbcDatabase db;

    @BeforeAll
    static void start() {
        db = StoreFixtures.h2();
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
