package dev.autoplane.command.config;

import dev.autoplane.command.scheduling.ScheduleIndexProjection;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The processing groups that write in the command's transaction (the engine's index) are
 * subscribing and let a handler's failure fail the command, so its events are not stored without
 * the index update that belongs to them (issue 15: an interrupted index update was logged,
 * "Continuing processing", and the command committed). Real Axon configuration, in memory.
 */
class InTransactionProcessorsTest {

    @ProcessingGroup(ScheduleIndexProjection.PROCESSING_GROUP)
    static class FailingIndex {
        @EventHandler
        void on(String event) {
            throw new IllegalStateException("the index update failed");
        }
    }

    static class Appender {
        private final EventBus events;

        Appender(EventBus events) {
            this.events = events;
        }

        @CommandHandler
        void handle(Integer command) {
            events.publish(GenericEventMessage.asEventMessage("appended " + command));
        }
    }

    @Test
    void aFailingInTransactionHandlerFailsTheCommandAndNothingIsStored() throws Exception {
        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)   // no Axon Server connector
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .registerCommandHandler(c -> new Appender(c.eventBus()));
        configurer.eventProcessing().registerEventHandler(c -> new FailingIndex());
        CommandSideConfiguration.inTransactionProcessors(new org.springframework.core.env.StandardEnvironment()).configureModule(configurer);
        Configuration axon = configurer.start();
        try {
            assertThatThrownBy(() -> axon.commandGateway().sendAndWait(1)).hasMessageContaining("the index update failed");
            assertThat(axon.eventStore().openStream(null).hasNextAvailable()).as("events stored").isFalse();
        } finally {
            axon.shutdown();
        }
    }
}
