package dev.autoplane.command.config;

import dev.autoplane.events.common.DomainException;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon wiring of the command side. */
@Configuration(proxyBeanMethods = false)
public class CommandSideConfiguration {

    /** Snapshot an automation every 100 events, so loading stays cheap however long its history grows. */
    @Bean
    public SnapshotTriggerDefinition automationSnapshotTrigger(Snapshotter snapshotter) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, 100);
    }

    /**
     * The automations in use stay in memory, up to {@code autoplane.aggregates.cache-size} of them
     * ({@link BoundedCache}): a command on a warm automation, and a fire of a due one, does not re-read its
     * snapshot and events. Conflicting appends are still caught by the event store's unique (aggregate,
     * sequence) key. What a command put in the cache leaves it again if the database transaction around
     * it rolls back ({@link TransactionBoundCache}). In the postgres mode nodes share the database
     * without routing an automation's commands to one node, so another node's cached copy would be
     * stale: there every command loads the automation (from its latest snapshot and the events after it).
     */
    @Bean
    public org.axonframework.common.caching.Cache automationCache(@Value("${autoplane.storage:embedded}") String storage,
                                                                  @Value("${autoplane.aggregates.cache-size:10000}") long size) {
        return "postgres".equals(storage) ? org.axonframework.common.caching.NoCache.INSTANCE
                : new TransactionBoundCache(new BoundedCache(size));
    }

    /**
     * The scheduling engine's index and the subject keys of purged automations are kept by
     * subscribing processors where events and index share a database: in the unit of work (and the
     * database transaction) that appends the events, never behind or ahead of the log. A handler that
     * fails there fails the command, which rolls back whole: Axon's default for a listener, to log and
     * continue, would commit the events without the index update that belongs to them. Where events
     * live in Axon Server (distributed mode) no projection can share the append's transaction: there
     * they are tracking processors (the default), idempotent and resumed from their tokens.
     */
    @Bean
    public static org.axonframework.config.ConfigurerModule inTransactionProcessors(org.springframework.core.env.Environment environment) {
        boolean distributed = "distributed".equals(environment.getProperty("autoplane.storage", "embedded"));
        return configurer -> {
            if (distributed) {
                return;
            }
            for (String group : IN_TRANSACTION_GROUPS) {
                configurer.eventProcessing()
                        .registerSubscribingEventProcessor(group)
                        .registerListenerInvocationErrorHandler(group, c -> PropagatingErrorHandler.instance());
            }
        };
    }

    /** The processing groups that run in the appending transaction (see {@link #inTransactionProcessors}). */
    public static final java.util.List<String> IN_TRANSACTION_GROUPS = java.util.List.of(
            dev.autoplane.command.scheduling.ScheduleIndexProjection.PROCESSING_GROUP,
            dev.autoplane.command.crypto.SubjectKeyShredder.PROCESSING_GROUP,
            dev.autoplane.command.run.RunQueueProjection.PROCESSING_GROUP,
            dev.autoplane.command.run.RunEndRelay.PROCESSING_GROUP,
            dev.autoplane.command.webhook.WebhookTriggerProjection.PROCESSING_GROUP,
            dev.autoplane.command.delivery.DeliveryTargetProjection.PROCESSING_GROUP,
            dev.autoplane.command.connection.ConnectionDirectoryProjection.PROCESSING_GROUP);

    /**
     * Domain errors travel as {@link CommandExecutionException} details, so they keep their code and
     * kind across process boundaries (Axon Server) as well as locally.
     */
    @Autowired
    public void registerDomainErrorInterceptor(CommandBus commandBus) {
        commandBus.registerHandlerInterceptor(domainErrorsAsDetails());
    }

    /** Key material and idempotency marks that belong to a command commit with it (see {@link CommandTransactionWrites}). */
    @Autowired
    public void registerTransactionWrites(CommandBus commandBus, CommandTransactionWrites writes) {
        commandBus.registerHandlerInterceptor(writes.interceptor());
    }

    static MessageHandlerInterceptor<CommandMessage<?>> domainErrorsAsDetails() {
        return (unitOfWork, chain) -> {
            try {
                return chain.proceed();
            } catch (DomainException e) {
                throw new CommandExecutionException(e.getMessage(), null, e.details());
            }
        };
    }
}
