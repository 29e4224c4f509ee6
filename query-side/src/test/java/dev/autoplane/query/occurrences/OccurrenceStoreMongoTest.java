package dev.autoplane.query.occurrences;

import dev.autoplane.query.StoreFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The OccurrenceStore contract on a MongoDB-wire server (mongo-java-server) through the reactive driver. */
class OccurrenceStoreMongoTest extends OccurrenceStoreContract {

    static StoreFixtures.Mongo mongo;

    @BeforeAll
    static void start() {
        mongo = StoreFixtures.Mongo.start();
    }

    @AfterAll
    static void stop() {
        mongo.close();
    }

    @Override
    OccurrenceStore newStore() {
        return new MongoOccurrenceStore(mongo.freshDatabase(), StoreFixtures.mapper());
    }
}
