package dev.autoplane.query.revisions;

import dev.autoplane.query.StoreFixtures;

/** The RevisionStore contract on H2. */
class RevisionStoreH2Test extends RevisionStoreContract {

    @Override
    RevisionStore newStore() {
        return new JdbcRevisionStore(StoreFixtures.h2(), StoreFixtures.mapper());
    }
}
