package dev.autoplane.query.runs;

import dev.autoplane.query.StoreFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The RunStore contract on a MongoDB-wire server (mongo-java-server) through the reactive driver. */
class RunStoreMongoTest extends RunStoreContract {

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
    RunStore newStore() {
        return new MongoRunStore(mongo.freshDatabase(), StoreFixtures.mapper());
    }
}
