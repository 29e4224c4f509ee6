package dev.autoplane.query.revisions;

import dev.autoplane.query.StoreFixtures;

/** The RevisionStore contract on Postgres. */
class RevisionStorePostgresTest extends RevisionStoreContract {

    @Override
    RevisionStore newStore() {
        return new JdbcRevisionStore(StoreFixtures.postgres(), StoreFixtures.mapper());
    }
}
