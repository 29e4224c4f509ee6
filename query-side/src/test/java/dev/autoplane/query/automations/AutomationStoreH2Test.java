package dev.autoplane.query.automations;

import dev.autoplane.query.StoreFixtures;
import dev.autoplane.query.StoreFixtures.JdbcDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The AutomationStore contract on H2 (the embedded mode's database), schema from the Flyway h2 migrations. */
class AutomationStoreH2Test extends AutomationStoreContract {

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
    AutomationStore newStore() {
        db.truncate("automation_view");
        return new JdbcAutomationStore(db.jdbc(), StoreFixtures.mapper());
    }
}
