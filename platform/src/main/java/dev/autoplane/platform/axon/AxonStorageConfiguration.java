package dev.autoplane.platform.axon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.autoplane.events.common.MetadataKeys;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import dev.autoplane.platform.storage.DurableCommits;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;

/**
 * Axon's storage on our own JDBC schema (see {@code db/migration}): events, snapshots and
 * tracking tokens in the same database as the JDBC read models, so a projection batch and its
 * token commit in one transaction. Wired by hand: Axon 4.13's auto-configuration does not find
 * Boot 4's DataSource on its own, and its generated DDL does not run on H2 2.x.
 */
@Configuration(proxyBeanMethods = false)
public class AxonStorageConfiguration {

    static {
        // Event timestamps in milliseconds, as Axon Server stores them: an answer built while its
        // events are applied shows the same updated_at as a later read of the stored events, in every mode.
        org.axonframework.eventhandling.GenericEventMessage.clock =
                java.time.Clock.tick(java.time.Clock.systemUTC(), java.time.Duration.ofMillis(1));
    }

    /** Jackson 2 mapper for Axon (Spring WebFlux uses Jackson 3 separately). Tolerant of added fields. */
    @Bean("defaultAxonObjectMapper")
    public ObjectMapper defaultAxonObjectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
    }

    @Bean
    @Primary
    public Serializer axonSerializer(@Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        return JacksonSerializer.builder().objectMapper(mapper).build();
    }

    /**
     * Snapshots serialise an aggregate's state, which lives in private fields without getters: this
     * mapper reads and writes fields only (records through their components), so a snapshot restores
     * exactly the state the events built.
     */
    @Bean
    @Qualifier("snapshotSerializer")
    public Serializer snapshotSerializer(@Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        return JacksonSerializer.builder().objectMapper(snapshotMapper(mapper)).build();
    }

    public static ObjectMapper snapshotMapper(ObjectMapper base) {
        ObjectMapper m = base.copy();
        m.setVisibility(m.getSerializationConfig().getDefaultVisibilityChecker()
                .withFieldVisibility(com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY)
                .withGetterVisibility(com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
                .withIsGetterVisibility(com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
                .withSetterVisibility(com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE));
        return m;
    }

    /** Events and their metadata: as the default mapper, and no string breaking the text rules is written ({@link EventTextGuard}). */
    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer(@Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        return JacksonSerializer.builder().objectMapper(mapper.copy().registerModule(new EventTextGuard())).build();
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer(@Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        return JacksonSerializer.builder().objectMapper(mapper).build();
    }

    @Bean
    public TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    @Bean
    public ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        // 23505 = unique violation on both H2 and PostgreSQL: a concurrent append of the same sequence number
        return exception -> {
            for (Throwable t = exception; t != null; t = t.getCause()) {
                if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * Only when events are in Axon Server: its event store, built as Axon's auto-configuration builds
     * it but with the field-level {@link #snapshotSerializer} (the auto-configured one takes the
     * {@code @Primary} getter-based serializer, which wrote an {@code Automation} snapshot as {@code {}}
     * and made the automation refuse every command from then on).
     */
    @Bean
    @ConditionalOnExpression("'${autoplane.storage:embedded}' == 'distributed'")
    public EventStore eventStore(AxonServerConfiguration axonServer, AxonServerConnectionManager connections,
                                 @Qualifier("snapshotSerializer") Serializer snapshotSerializer,
                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                 org.axonframework.config.Configuration configuration) {
        return AxonServerEventStore.builder()
                .messageMonitor(configuration.messageMonitor(AxonServerEventStore.class, "eventStore"))
                .configuration(axonServer)
                .platformConnectionManager(connections)
                .snapshotSerializer(snapshotSerializer)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .upcasterChain(configuration.upcasterChain())
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .build();
    }

    /** Only when events are not in Axon Server. */
    @Bean
    @ConditionalOnExpression("'${autoplane.storage:embedded}' != 'distributed'")
    public EventStorageEngine eventStorageEngine(ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager,
                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 @Qualifier("snapshotSerializer") Serializer snapshotSerializer) {
        return JdbcEventStorageEngine.builder()
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(snapshotSerializer)
                .dataType(byte[].class)
                .schema(eventSchema())
                .batchSize(500)
                .readEventDataWithGaps(AxonStorageConfiguration::readEventDataWithGaps)
                .build();
    }

    /**
     * Axon's default query for a tracking token with gaps is {@code (index > ? AND index <= ?) OR index IN
     * (gaps)}; H2 answers that OR with a scan of the whole event table, which made the event stream the
     * largest CPU cost under concurrent appends. Two index lookups joined by UNION ALL return the same
     * rows (the gaps all lie below the token's index, so the two halves never overlap).
     */
    static java.sql.PreparedStatement readEventDataWithGaps(java.sql.Connection connection, EventSchema schema,
                                                            long globalIndex, int batchSize, java.util.List<Long> gaps)
            throws java.sql.SQLException {
        String fields = schema.trackedEventFields();
        String table = schema.domainEventTable();
        String index = schema.globalIndexColumn();
        String sql = "SELECT " + fields + " FROM " + table + " WHERE " + index + " > ? AND " + index + " <= ?"
                + " UNION ALL SELECT " + fields + " FROM " + table + " WHERE " + index + " IN ("
                + String.join(",", java.util.Collections.nCopies(gaps.size(), "?")) + ") ORDER BY " + index + " ASC";
        java.sql.PreparedStatement statement = connection.prepareStatement(sql);
        statement.setLong(1, globalIndex);
        statement.setLong(2, globalIndex + batchSize);
        for (int i = 0; i < gaps.size(); i++) {
            statement.setLong(i + 3, gaps.get(i));
        }
        return statement;
    }

    @Bean
    public TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .schema(TokenSchema.builder()
                        .setTokenTable("token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("timestamp")
                        .setOwnerColumn("owner")
                        .build())
                .contentType(byte[].class)
                .build();
    }

    /** Every command's request metadata is copied onto the events it produces. */
    @Bean
    public CorrelationDataProvider requestMetadataCorrelation() {
        return new SimpleCorrelationDataProvider(MetadataKeys.ALL.toArray(String[]::new));
    }

    @Bean
    public CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    /**
     * Tracking processors by default: a batch of up to {@code autoplane.projections.batch-size} events (200) commits
     * with its token. After each batch commits, read-your-writes waiters are told to look again.
     * <p>
     * A handler's error fails its whole batch ({@link org.axonframework.eventhandling.PropagatingErrorHandler}
     * for every processor): the batch and its token roll back and the processor tries the batch again
     * after a back-off, logging why. Axon's default for a listener, to log and go on, advances the token
     * past an event a read model never applied: a lock timeout or a full disk would leave a projection
     * behind its log for good, with nothing to show for it but a log line.
     */
    @Bean
    public ConfigurerModule trackingProcessorsByDefault(org.springframework.beans.factory.ObjectProvider<ReadYourWrites> readYourWrites,
                                                       @org.springframework.beans.factory.annotation.Value("${autoplane.projections.batch-size:200}") int batchSize) {
        return configurer -> configurer.eventProcessing()
                .registerTrackingEventProcessorConfiguration(config -> org.axonframework.eventhandling.TrackingEventProcessorConfiguration
                        .forSingleThreadedProcessing().andBatchSize(batchSize).andThreadFactory(AxonStorageConfiguration::processorThreads))
                .usingTrackingEventProcessors()
                .registerDefaultListenerInvocationErrorHandler(c -> org.axonframework.eventhandling.PropagatingErrorHandler.instance())
                .registerDefaultHandlerInterceptor((config, name) -> (unitOfWork, chain) -> {
                    unitOfWork.root().afterCommit(uow -> readYourWrites.ifAvailable(ReadYourWrites::progressed));
                    return chain.proceed();
                });
    }

    /**
     * A projection's batch and its token commit together and can be projected again from the log, so the tracking
     * processors' threads do not wait for the file ({@link DurableCommits}, embedded mode). A batch that takes access
     * away is written before its commit returns all the same ({@code AccessProjection}).
     */
    static java.util.concurrent.ThreadFactory processorThreads(String processor) {
        return DurableCommits.deferring(new org.axonframework.common.AxonThreadFactory("EventProcessor[" + processor + "]"));
    }

    public static EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }
}
