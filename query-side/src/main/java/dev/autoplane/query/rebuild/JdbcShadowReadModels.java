package dev.autoplane.query.rebuild;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.platform.jdbc.SqlDialect;
import dev.autoplane.query.ReadModelSwap;
import dev.autoplane.query.automations.JdbcAutomationStore;
import dev.autoplane.query.occurrences.JdbcOccurrenceStore;
import dev.autoplane.query.revisions.JdbcRevisionStore;
import dev.autoplane.query.runs.JdbcRunStore;
import dev.autoplane.query.schedules.JdbcScheduleStore;
import dev.autoplane.query.visualization.JdbcVisualizationStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The shadows in H2 or PostgreSQL: one table per read-model table, {@code <name>__shadow}, with the live
 * table's columns, primary key and indexes (their names ending in {@code __shadow} too). The shape is written
 * here a second time beside the migrations; {@code ShadowReadModelsTest} holds the two to the same columns
 * and indexes, on both databases.
 * <p>
 * Promotion, per table: the live one renamed away, the shadow renamed into its place, the old one dropped,
 * and the shadow's primary key and indexes renamed to the live names, so the next rebuild starts from the
 * same names. One transaction (PostgreSQL's DDL is transactional; H2 commits each statement, and
 * {@link ReadModelSwap#exclusively} keeps this process's readers off the tables meanwhile).
 */
public class JdbcShadowReadModels implements ShadowReadModels {

    private static final Duration READERS = Duration.ofSeconds(30);

    /** A read-model table: its columns ({@code %doc%} is the JSON column's type), primary key, and indexes. */
    record Table(String name, String columns, String primaryKey, List<Index> indexes) {
    }

    record Index(String name, String columns) {
    }

    static final List<Table> TABLES = List.of(
            new Table("automation_view", "id VARCHAR(64) NOT NULL, workspace_id VARCHAR(64) NOT NULL, deleted BOOLEAN NOT NULL,"
                    + " version BIGINT NOT NULL, doc %doc% NOT NULL", "id",
                    List.of(new Index("ix_automation_view_workspace", "workspace_id, id"))),
            new Table("automation_revision", "automation_id VARCHAR(64) NOT NULL, major INTEGER NOT NULL, minor INTEGER NOT NULL,"
                    + " workspace_id VARCHAR(64) NOT NULL, stage VARCHAR(16) NOT NULL, doc %doc% NOT NULL",
                    "automation_id, major, minor", List.of()),
            new Table("automation_schedule", "automation_id VARCHAR(64) NOT NULL, workspace_id VARCHAR(64) NOT NULL,"
                    + " version BIGINT NOT NULL, doc %doc% NOT NULL", "automation_id", List.of()),
            new Table("run_view", "id VARCHAR(64) NOT NULL, workspace_id VARCHAR(64) NOT NULL, automation_id VARCHAR(64) NOT NULL,"
                    + " trigger_id VARCHAR(200), status VARCHAR(16) NOT NULL, scheduled_at BIGINT NOT NULL, version BIGINT NOT NULL,"
                    + " doc %doc% NOT NULL", "id",
                    List.of(new Index("ix_run_view_workspace", "workspace_id, id"), new Index("ix_run_view_automation", "automation_id, id"),
                            new Index("ix_run_view_trigger", "automation_id, trigger_id, id"),
                            new Index("ix_run_view_status", "workspace_id, status, id"))),
            new Table("run_summary", "automation_id VARCHAR(64) NOT NULL, last_run_id VARCHAR(64), last_run_status VARCHAR(16),"
                    + " scheduled BIGINT DEFAULT 0 NOT NULL, running BIGINT DEFAULT 0 NOT NULL, delegated BIGINT DEFAULT 0 NOT NULL,"
                    + " completed BIGINT DEFAULT 0 NOT NULL, failed BIGINT DEFAULT 0 NOT NULL, canceled BIGINT DEFAULT 0 NOT NULL",
                    "automation_id", List.of()),
            new Table("occurrence_view", "fire_id VARCHAR(400) NOT NULL, workspace_id VARCHAR(64) NOT NULL, automation_id VARCHAR(64) NOT NULL,"
                    + " outcome VARCHAR(32) NOT NULL, scheduled_at BIGINT NOT NULL, doc %doc% NOT NULL", "fire_id",
                    List.of(new Index("ix_occurrence_view_automation", "automation_id, scheduled_at, fire_id"))),
            new Table("automation_visualization", "automation_id VARCHAR(64) NOT NULL, workspace_id VARCHAR(64) NOT NULL,"
                    + " doc VARCHAR NOT NULL", "automation_id", List.of()));

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final TransactionTemplate transaction;
    private final String docType;

    public JdbcShadowReadModels(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        this.docType = SqlDialect.of(jdbc) == SqlDialect.POSTGRESQL ? "TEXT" : "VARCHAR";
    }

    @Override
    public List<Object> prepare(Clock clock) {
        discard();
        for (Table t : TABLES) {
            String shadow = t.name() + SUFFIX;
            jdbc.execute("CREATE TABLE " + shadow + " (" + t.columns().replace("%doc%", docType)
                    + ", CONSTRAINT " + shadow + "_pkey PRIMARY KEY (" + t.primaryKey() + "))");
            for (Index i : t.indexes()) {
                jdbc.execute("CREATE INDEX " + i.name() + SUFFIX + " ON " + shadow + " (" + i.columns() + ")");
            }
        }
        return ShadowReadModels.projections(new JdbcAutomationStore(jdbc, mapper, SUFFIX), new JdbcScheduleStore(jdbc, mapper, SUFFIX),
                new JdbcRevisionStore(jdbc, mapper, SUFFIX), new JdbcRunStore(jdbc, mapper, SUFFIX),
                new JdbcOccurrenceStore(jdbc, mapper, SUFFIX), new JdbcVisualizationStore(jdbc, mapper, SUFFIX), clock);
    }

    @Override
    public void promote() {
        ReadModelSwap.exclusively(READERS, () -> transaction.executeWithoutResult(status -> {
            for (Table t : TABLES) {
                String live = t.name();
                String old = live + "__old";
                jdbc.execute("DROP TABLE IF EXISTS " + old);
                jdbc.execute("ALTER TABLE " + live + " RENAME TO " + old);
                jdbc.execute("ALTER TABLE " + live + SUFFIX + " RENAME TO " + live);
                jdbc.execute("DROP TABLE " + old);
                jdbc.execute("ALTER TABLE " + live + " RENAME CONSTRAINT " + live + SUFFIX + "_pkey TO " + live + "_pkey");
                for (Index i : t.indexes()) {
                    jdbc.execute("ALTER INDEX " + i.name() + SUFFIX + " RENAME TO " + i.name());
                }
            }
        }));
    }

    @Override
    public void discard() {
        for (Table t : TABLES) {
            jdbc.execute("DROP TABLE IF EXISTS " + t.name() + SUFFIX);
        }
    }
}
