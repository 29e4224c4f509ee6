package dev.autoplane.query.visualization;

import dev.autoplane.query.StoreContract;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link VisualizationStore} adapter must do, on H2, PostgreSQL and the MongoDB wire. */
class VisualizationStoreTest extends StoreContract<VisualizationStore> {

    static final Instant T = Instant.parse("2026-03-01T10:00:00.123456789Z");

    @Override
    protected VisualizationStore newStore() {
        return emptyStore("automation_visualization", JdbcVisualizationStore::new, MongoVisualizationStore::new);
    }

    @Test
    void oneDocumentPerAutomationEachSaveReplacingTheLast() {
        store.save(new VisualizationView(A1, WS, "1.0", VisualizationView.PENDING, null, null, null, T));
        VisualizationView done = new VisualizationView(A1, WS, "1.0", VisualizationView.COMPLETED, null,
                "flowchart LR\n  d[\"revision 1.0 ✓\"]\n", "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>“1.0”</text></svg>",
                T.plusSeconds(1));
        store.save(done);
        VisualizationView other = new VisualizationView(A2, WS, "2.0", VisualizationView.FAILED, "boom: \"quoted\"", null,
                null, T);
        store.save(other);
        assertThat(store.find(A1)).contains(done);
        assertThat(store.find(A2)).contains(other);
    }

    @Test
    void deletedAndClearedDocumentsAreGone() {
        store.save(new VisualizationView(A1, WS, "1.0", VisualizationView.PENDING, null, null, null, T));
        store.save(new VisualizationView(A2, WS, "1.0", VisualizationView.PENDING, null, null, null, T));
        store.delete(A1);
        assertThat(store.find(A1)).isEmpty();
        assertThat(store.find(A2)).isPresent();
        store.clear();
        assertThat(store.find(A2)).isEmpty();
    }
}
