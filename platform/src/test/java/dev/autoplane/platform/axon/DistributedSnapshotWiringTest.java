package dev.autoplane.platform.axon;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.eventstore.AbstractEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.AbstractEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distributed mode's event store (Axon Server) writes snapshots with the field-level serializer,
 * as the JDBC engine does: an aggregate's private state without getters survives a snapshot. The
 * auto-configured store took the getter-based serializer and wrote {@code {}} (issue 9, defect 3).
 * Built through the same factory method the application uses; nothing connects to a server.
 */
class DistributedSnapshotWiringTest {

    /** State as an aggregate keeps it: private fields, no getters. */
    static final class Busy {
        private String id;
        private List<String> openRuns = new ArrayList<>();

        Busy() {
        }

        Busy(String id, List<String> openRuns) {
            this.id = id;
            this.openRuns = new ArrayList<>(openRuns);
        }
    }

    @Test
    void axonServersEventStoreTakesSnapshotsFieldByField() throws Exception {
        AxonStorageConfiguration storage = new AxonStorageConfiguration();
        ObjectMapper base = storage.defaultAxonObjectMapper();
        Serializer snapshots = storage.snapshotSerializer(base);
        AxonServerConfiguration axonServer = AxonServerConfiguration.builder().servers("localhost:1").build();
        AxonServerConnectionManager connections = AxonServerConnectionManager.builder()
                .axonServerConfiguration(axonServer).build();
        var configuration = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine()).buildConfiguration();
        try {
            EventStore store = storage.eventStore(axonServer, connections, snapshots, storage.eventSerializer(base),
                    configuration);

            Method engine = AbstractEventStore.class.getDeclaredMethod("storageEngine");
            engine.setAccessible(true);
            // Axon Server's engine wraps it (gRPC metadata) and delegates: what it writes is what counts
            Serializer used = ((AbstractEventStorageEngine) engine.invoke(store)).getSnapshotSerializer();

            SerializedObject<byte[]> snapshot = used.serialize(new Busy("a-1", List.of("r-1", "r-2")), byte[].class);
            assertThat(new String(snapshot.getData())).contains("openRuns").isNotEqualTo("{}");
            Busy restored = used.deserialize(snapshot);
            assertThat(restored).usingRecursiveComparison().isEqualTo(new Busy("a-1", List.of("r-1", "r-2")));
        } finally {
            connections.shutdown();
        }
    }
}
