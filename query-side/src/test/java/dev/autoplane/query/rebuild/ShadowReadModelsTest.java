package dev.autoplane.query.rebuild;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.query.StoreContract.Backend;
import dev.autoplane.query.StoreFixtures;
import dev.autoplane.query.TestViews;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.automations.JdbcAutomationStore;
import dev.autoplane.query.automations.MongoAutomationStore;
import dev.autoplane.query.runs.JdbcRunStore;
import dev.autoplane.query.runs.MongoRunStore;
import dev.autoplane.query.runs.RunStore;
import dev.autoplane.query.runs.RunSummary;
import com.mongodb.reactivestreams.client.MongoDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.ConnectionCallback;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shadows a rebuild writes, and their promotion, on every real store (H2, a real PostgreSQL, a
 * MongoDB-wire server): what was written to the shadows is what the live adapters read afterwards, nothing
 * of the old read model is left, and a second rebuild can follow the first (the names are free again). On
 * the JDBC databases the shadow tables have the migrated tables' columns and indexes.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class ShadowReadModelsTest {

    static final String WS = "01900000-0000-7000-8000-000000000001";

    private static StoreFixtures.JdbcDatabase jdbc;
    private static StoreFixtures.Mongo mongo;
    /** The read-model tables as the migrations made them, taken before any test swapped them. */
    private static Map<String, List<String>> migrated;

    @Parameter
    Backend backend;

    private MongoDatabase database;
    private final ObjectMapper mapper = StoreFixtures.mapper();

    @BeforeParameterizedClassInvocation
    static void open(Backend backend) {
        switch (backend) {
            case H2 -> jdbc = StoreFixtures.h2();
            case POSTGRES -> jdbc = StoreFixtures.postgres();
            case MONGO -> mongo = StoreFixtures.Mongo.start();
        }
        if (jdbc != null) {
            migrated = shapes("");
        }
    }

    private static Map<String, List<String>> shapes(String suffix) {
        Map<String, List<String>> shapes = new TreeMap<>();
        for (JdbcShadowReadModels.Table t : JdbcShadowReadModels.TABLES) {
            shapes.put(t.name(), shape(t.name() + suffix, suffix));
        }
        return shapes;
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

    @BeforeEach
    void fresh() {
        if (backend == Backend.MONGO) {
            database = mongo.freshDatabase();
        } else {
            shadows().discard();
            jdbc.truncate("automation_view", "run_view", "run_summary");
        }
    }

    private ShadowReadModels shadows() {
        return backend == Backend.MONGO ? new MongoShadowReadModels(database, mapper) : new JdbcShadowReadModels(jdbc.jdbc(), mapper);
    }

    private AutomationStore automations(String suffix) {
        return backend == Backend.MONGO ? new MongoAutomationStore(database, mapper, suffix)
                : new JdbcAutomationStore(jdbc.jdbc(), mapper, suffix);
    }

    private RunStore runs(String suffix) {
        return backend == Backend.MONGO ? new MongoRunStore(database, mapper, suffix) : new JdbcRunStore(jdbc.jdbc(), mapper, suffix);
    }

    private static String id(int n) {
        return String.format("01900000-0000-7000-8000-%012d", n);
    }

    private List<String> liveIds() {
        return automations("").page(WS, null, true, 100).stream().map(AutomationView::id).toList();
    }

    @Test
    void whatTheShadowsHoldReplacesTheLiveReadModelsAndASecondRebuildCanFollow() {
        AutomationStore live = automations("");
        live.save(TestViews.rich(id(1), WS, 3, null));
        live.save(TestViews.rich(id(2), WS, 3, null));
        runs("").addToSummaries(List.of(new RunSummary(id(1), null, null, Map.of("scheduled", 5L))));

        for (int round = 1; round <= 2; round++) {
            ShadowReadModels shadows = shadows();
            List<Object> projections = shadows.prepare(Clock.systemUTC());
            assertThat(projections).hasSize(5);
            AutomationStore shadow = automations(ShadowReadModels.SUFFIX);
            assertThat(shadow.page(WS, null, true, 100)).as("a shadow starts empty").isEmpty();
            shadow.save(TestViews.rich(id(10 + round), WS, 7, null));
            runs(ShadowReadModels.SUFFIX).addToSummaries(List.of(new RunSummary(id(10 + round), null, null, Map.of("completed", 1L))));
            assertThat(liveIds()).as("the live read model serves on while the shadow fills").hasSize(round == 1 ? 2 : 1);

            shadows.promote();

            assertThat(liveIds()).containsExactly(id(10 + round));
            assertThat(automations("").find(id(10 + round)).orElseThrow().version()).isEqualTo(7);
            assertThat(runs("").summaries(List.of(id(1), id(11), id(12))).keySet()).containsExactly(id(10 + round));
            assertThat(runs("").summaries(List.of(id(10 + round))).get(id(10 + round)).counts()).containsEntry("completed", 1L);
            // the promoted read model is written as the live one was
            automations("").save(TestViews.rich(id(20 + round), WS, 1, null));
            assertThat(liveIds()).containsExactly(id(10 + round), id(20 + round));
            automations("").delete(id(20 + round));
        }
    }

    @Test
    void aDiscardedRebuildLeavesTheLiveReadModelAsItWas() {
        automations("").save(TestViews.rich(id(1), WS, 3, null));
        ShadowReadModels shadows = shadows();
        shadows.prepare(Clock.systemUTC());
        automations(ShadowReadModels.SUFFIX).save(TestViews.rich(id(2), WS, 3, null));
        shadows.discard();
        assertThat(liveIds()).containsExactly(id(1));
        shadows.discard(); // nothing left to drop: no error
    }

    @Test
    void theShadowTablesHaveTheColumnsAndIndexesOfTheMigratedTables() {
        assumeTrue(backend != Backend.MONGO, "MongoDB collections have no declared columns; the stores make their indexes");
        ShadowReadModels shadows = shadows();
        shadows.prepare(Clock.systemUTC());
        assertThat(shapes(ShadowReadModels.SUFFIX)).isEqualTo(migrated);
        shadows.promote();
        assertThat(shapes("")).as("after the swap, the live tables are shaped as the migrations made them").isEqualTo(migrated);
    }

    /** Columns (name, type, size, nullable, default), primary-key columns, and indexes (name without suffix, columns). */
    private static List<String> shape(String table, String suffix) {
        return jdbc.jdbc().execute((ConnectionCallback<List<String>>) connection -> {
            DatabaseMetaData meta = connection.getMetaData();
            String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            List<String> out = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(null, null, name, null)) {
                while (rs.next()) {
                    out.add("column " + rs.getInt("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT)
                            + " " + rs.getString("TYPE_NAME") + "(" + rs.getInt("COLUMN_SIZE") + ") null=" + rs.getString("IS_NULLABLE")
                            + " default=" + rs.getString("COLUMN_DEF"));
                }
            }
            try (ResultSet rs = meta.getPrimaryKeys(null, null, name)) {
                while (rs.next()) {
                    out.add("key " + rs.getInt("KEY_SEQ") + " " + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            try (ResultSet rs = meta.getIndexInfo(null, null, name, false, false)) {
                while (rs.next()) {
                    String index = rs.getString("INDEX_NAME");
                    if (index == null || !rs.getBoolean("NON_UNIQUE")) {
                        continue; // the primary key's own index, named by the database
                    }
                    index = index.toLowerCase(Locale.ROOT);
                    out.add("index " + (index.endsWith(suffix) ? index.substring(0, index.length() - suffix.length()) : index)
                            + " " + rs.getInt("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            out.sort(null);
            assertThat(out).as("table " + table + " exists").isNotEmpty();
            return out;
        });
    }
}
