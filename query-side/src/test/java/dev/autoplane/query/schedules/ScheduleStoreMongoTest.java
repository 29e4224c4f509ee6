package dev.autoplane.query.schedules;

import dev.autoplane.query.StoreFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The ScheduleStore contract on a MongoDB-wire server (mongo-java-server) through the reactive driver. */
class ScheduleStoreMongoTest extends ScheduleStoreContract {

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
    ScheduleStore newStore() {
        return new MongoScheduleStore(mongo.freshDatabase(), StoreFixtures.mapper());
    }
}
