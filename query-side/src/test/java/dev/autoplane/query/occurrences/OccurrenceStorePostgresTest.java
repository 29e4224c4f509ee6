package dev.autoplane.query.occurrences;

import dev.autoplane.query.StoreFixtures;
import dev.autoplane.query.StoreFixtures.JdbcDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The OccurrenceStore contract on PostgreSQL (zonky binaries), schema from the Flyway migrations. */
class OccurrenceStorePostgresTest extends OccurrenceStoreContract {

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
    OccurrenceStore newStore() {
        db.truncate("occurrence_view");
        return new JdbcOccurrenceStore(db.jdbc(), StoreFixtures.mapper());
    }
}
