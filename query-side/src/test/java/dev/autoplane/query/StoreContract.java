package dev.autoplane.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.reactivestreams.client.MongoDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.function.BiFunction;

/**
 * The base of each read-model store's contract test: the test class runs once on every real store
 * the product uses (H2, a real PostgreSQL, a MongoDB-wire server), opened once per run of the class
 * and closed after it; each test asks for an {@link #emptyStore empty store}.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreContract.Backend.class)
public abstract class StoreContract<S> {

    /** Workspaces and automations the contracts store things of (UUIDv7-shaped, in string order). */
    protected static final String WS = "01900000-0000-7000-8000-000000000001";
    protected static final String OTHER_WS = "01900000-0000-7000-8000-000000000002";
    protected static final String A1 = "01900000-0000-7000-8000-00000000a001";
    protected static final String A2 = "01900000-0000-7000-8000-00000000a002";

    /** Where a store's contract runs. */
    public enum Backend { H2, POSTGRES, MONGO }

    private static StoreFixtures.JdbcDatabase jdbc;
    private static StoreFixtures.Mongo mongo;

    @Parameter
    protected Backend backend;

    /** The adapter under test, over an empty store, new for every test. */
    protected S store;

    /** An adapter over an empty store of this run's backend ({@link #emptyStore}). */
    protected abstract S newStore();

    @BeforeEach
    void emptyStoreForEachTest() {
        store = newStore();
    }

    @BeforeParameterizedClassInvocation
    static void open(Backend backend) {
        switch (backend) {
            case H2 -> jdbc = StoreFixtures.h2();
            case POSTGRES -> jdbc = StoreFixtures.postgres();
            case MONGO -> mongo = StoreFixtures.Mongo.start();
        }
    }

    @AfterParameterizedClassInvocation
    static void close() {
        if (jdbc != null) {
            jdbc.close();
            jdbc = null;
        }
        if (mongo != null) {
            mongo.close();
            mongo = null;
        }
    }

    /** The adapter for this run's store, over an empty store: {@code table} emptied, or a fresh MongoDB database. */
    protected S emptyStore(String table, BiFunction<JdbcTemplate, ObjectMapper, S> jdbcAdapter,
                               BiFunction<MongoDatabase, ObjectMapper, S> mongoAdapter) {
        if (backend == Backend.MONGO) {
            return mongoAdapter.apply(mongo.freshDatabase(), StoreFixtures.mapper());
        }
        jdbc.truncate(table);
        return jdbcAdapter.apply(jdbc.jdbc(), StoreFixtures.mapper());
    }
}
