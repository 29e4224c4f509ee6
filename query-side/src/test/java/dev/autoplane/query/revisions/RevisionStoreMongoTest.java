package dev.autoplane.query.revisions;

import dev.autoplane.query.StoreFixtures;

/** The RevisionStore contract on Mongo. */
class RevisionStoreMongoTest extends RevisionStoreContract {

    @Override
    RevisionStore newStore() {
        return new MongoRevisionStore(StoreFixtures.mongo(), StoreFixtures.mapper());
    }
}
