package dev.autoplane.command.automation;

import dev.autoplane.command.run.Run;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.command.RepositoryProvider;

import java.util.List;

/**
 * The runs an automation fixture's fires create ({@code createNew(Run.class, ...)}), kept in an event
 * store of their own, so the fixture's expectations stay about the automation's events.
 */
final class RunRepositories implements RepositoryProvider {

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final Repository<Run> runs = EventSourcingRepository.builder(Run.class).eventStore(store).build();

    @Override
    @SuppressWarnings("unchecked")
    public <T> Repository<T> repositoryFor(Class<T> aggregateType) {
        return aggregateType == Run.class ? (Repository<T>) runs : null;
    }

    /** The events of one run's stream, payloads only. */
    List<Object> events(String runId) {
        return store.readEvents(runId).asStream().map(m -> (Object) m.getPayload()).toList();
    }
}
