package dev.autoplane.query.automations;

import dev.autoplane.query.StoreFixtures;
import dev.autoplane.query.StoreFixtures.JdbcDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The AutomationStore contract on PostgreSQL: a real server (zonky binaries) for this class,
 * schema from the Flyway postgresql migrations.
 */
class AutomationStorePostgresTest extends AutomationStoreContract {

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
    AutomationStore newStore() {
        db.truncate("automation_view");
        return new JdbcAutomationStore(db.jdbc(), StoreFixtures.mapper());
    }
}
