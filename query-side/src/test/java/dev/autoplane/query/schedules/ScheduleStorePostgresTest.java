package dev.autoplane.query.schedules;

import dev.autoplane.query.StoreFixtures;
import dev.autoplane.query.StoreFixtures.JdbcDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The ScheduleStore contract on PostgreSQL (zonky binaries), schema from the Flyway migrations. */
class ScheduleStorePostgresTest extends ScheduleStoreContract {

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
    ScheduleStore newStore() {
        db.truncate("automation_schedule");
        return new JdbcScheduleStore(db.jdbc(), StoreFixtures.mapper());
    }
}
