package dev.autoplane.query.revisions;

import dev.autoplane.query.StoreFixtures;
import dev.autoplane.query.StoreFixtures.JdbcDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The RevisionStore contract on PostgreSQL, a real server for this class (schema from the Flyway migrations). */
class RevisionStorePostgresTest extends RevisionStoreContract {

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
    RevisionStore newStore() {
        db.truncate("automation_revision");
        return new JdbcRevisionStore(db.jdbc(), StoreFixtures.mapper());
    }
}
