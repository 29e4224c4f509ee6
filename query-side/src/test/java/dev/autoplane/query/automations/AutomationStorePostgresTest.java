package dev.autoplane.query.automations;

import dev.autoplane.query.StoreFixtures;

/** The AutomationStore contract on Postgres. */
class AutomationStorePostgresTest extends AutomationStoreContract {

    @Override
    AutomationStore newStore() {
        return new JdbcAutomationStore(StoreFixtures.postgres(), StoreFixtures.mapper());
    }
}
