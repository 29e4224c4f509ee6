package dev.autoplane.query.automations;

import dev.autoplane.query.StoreFixtures;

/** The AutomationStore contract on H2. */
class AutomationStoreH2Test extends AutomationStoreContract {

    @Override
    AutomationStore newStore() {
        return new JdbcAutomationStore(StoreFixtures.h2(), StoreFixtures.mapper());
    }
}
