package dev.autoplane.query.automations;

import dev.autoplane.query.StoreFixtures;

/** The AutomationStore contract on Mongo. */
class AutomationStoreMongoTest extends AutomationStoreContract {

    @Override
    AutomationStore newStore() {
        return new MongoAutomationStore(StoreFixtures.mongo(), StoreFixtures.mapper());
    }
}
