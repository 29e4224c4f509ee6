package dev.autoplane.platform.axon;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

/** Where the event log ends: the one reading of its head that read-your-writes, the rebuild, the run stream and the metrics share. */
public final class LogHead {

    private LogHead() {
    }

    /** The position of the log's last event; {@code -1} while the log is empty. */
    public static long position(EventStore eventStore) {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }
}
