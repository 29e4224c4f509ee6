package dev.autoplane.query.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ConnectionString;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import dev.autoplane.query.automations.AutomationProjection;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.automations.JdbcAutomationStore;
import dev.autoplane.query.automations.MongoAutomationStore;
import dev.autoplane.query.occurrences.JdbcOccurrenceStore;
import dev.autoplane.query.occurrences.MongoOccurrenceStore;
import dev.autoplane.query.occurrences.OccurrenceProjection;
import dev.autoplane.query.occurrences.OccurrenceStore;
import dev.autoplane.query.revisions.JdbcRevisionStore;
import dev.autoplane.query.revisions.MongoRevisionStore;
import dev.autoplane.query.revisions.RevisionProjection;
import dev.autoplane.query.revisions.RevisionStore;
import dev.autoplane.query.runs.JdbcRunStore;
import dev.autoplane.query.runs.MongoRunStore;
import dev.autoplane.query.runs.RunProjection;
import dev.autoplane.query.runs.RunStore;
import dev.autoplane.query.schedules.JdbcScheduleStore;
import dev.autoplane.query.schedules.MongoScheduleStore;
import dev.autoplane.query.schedules.ScheduleStore;
import org.axonframework.config.ConfigurerModule;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/**
 * Chooses the read-model adapters: MongoDB when {@code autoplane.mongodb.uri} is set (the
 * distributed mode, or the postgres mode with Mongo read models), otherwise the JDBC database
 * that also holds the tracking tokens (so a projection batch and its token commit together).
 */
@Configuration(proxyBeanMethods = false)
public class QuerySideConfiguration {

    /** The tracking processor that feeds every query-side read model (see {@link #oneEventStreamForTheReadModels}). */
    public static final String READ_MODELS = "read-models";

    /** The projections (processing groups) that {@link #READ_MODELS} runs. */
    public static final List<String> READ_MODEL_GROUPS = List.of(AutomationProjection.PROCESSING_GROUP,
            RevisionProjection.PROCESSING_GROUP, RunProjection.PROCESSING_GROUP, OccurrenceProjection.PROCESSING_GROUP);

    /**
     * One event stream for the read models: the automation, revision, run and occurrence projections are
     * handlers of one tracking processor, which reads the log once per batch, hands each event to each of
     * them, and commits their writes with its one token in one transaction (where the read models share the
     * token store's database). Four processors read every event four times and committed four times per
     * batch. The access projection keeps its own processor: both sides of a split deployment run it.
     */
    @Bean
    public static ConfigurerModule oneEventStreamForTheReadModels() {
        return configurer -> configurer.eventProcessing()
                .assignProcessingGroup(group -> READ_MODEL_GROUPS.contains(group) || AUDIT_LOG.equals(group) ? READ_MODELS : group);
    }

    /**
     * The audit log's projection rides on the same stream (one more handler, not one more read of the log and
     * one more commit per batch; the processor's single thread is the one serial order its hash chains need).
     * It is not replayable ({@code @DisallowReplay}): a replay of the read models passes it by.
     */
    public static final String AUDIT_LOG = "audit-log";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression("'${autoplane.mongodb.uri:}' == ''")
    static class JdbcReadModels {

        @Bean
        AutomationStore automationStore(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
            return new JdbcAutomationStore(jdbc, mapper);
        }

        @Bean
        RevisionStore revisionStore(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
            return new JdbcRevisionStore(jdbc, mapper);
        }

        @Bean
        ScheduleStore scheduleStore(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
            return new JdbcScheduleStore(jdbc, mapper);
        }

        @Bean
        RunStore runStore(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
            return new JdbcRunStore(jdbc, mapper);
        }

        @Bean
        OccurrenceStore occurrenceStore(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
            return new JdbcOccurrenceStore(jdbc, mapper);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression("'${autoplane.mongodb.uri:}' != ''")
    static class MongoReadModels {

        @Bean(destroyMethod = "close")
        MongoClient autoplaneMongoClient(@Value("${autoplane.mongodb.uri}") String uri) {
            return MongoClients.create(uri);
        }

        @Bean
        MongoDatabase autoplaneMongoDatabase(MongoClient client, @Value("${autoplane.mongodb.uri}") String uri) {
            String database = new ConnectionString(uri).getDatabase();
            return client.getDatabase(database == null ? "autoplane" : database);
        }

        @Bean
        AutomationStore automationStore(MongoDatabase database, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
            return new MongoAutomationStore(database, mapper);
        }

        @Bean
        RevisionStore revisionStore(MongoDatabase database, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
            return new MongoRevisionStore(database, mapper);
        }

        @Bean
        ScheduleStore scheduleStore(MongoDatabase database, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
            return new MongoScheduleStore(database, mapper);
        }

        @Bean
        RunStore runStore(MongoDatabase database, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
            return new MongoRunStore(database, mapper);
        }

        @Bean
        OccurrenceStore occurrenceStore(MongoDatabase database, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
            return new MongoOccurrenceStore(database, mapper);
        }
    }
}
