package dev.autoplane.query.history;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one aggregate's events straight from the event store (the truth), oldest first. Used by
 * the history endpoint and by {@code ?as_of=} reconstruction.
 */
@Component
public class EventHistoryReader {

    private final EventStore eventStore;

    public EventHistoryReader(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    public List<DomainEventMessage<?>> events(String aggregateId) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        // from sequence 0: never start from a snapshot, the history is every event
        DomainEventStream stream = eventStore.readEvents(aggregateId, 0L);
        while (stream.hasNext()) {
            events.add(stream.next());
        }
        return events;
    }
}
