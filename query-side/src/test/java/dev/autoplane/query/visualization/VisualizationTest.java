package dev.autoplane.query.visualization;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.connection.ConnectionRef;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.revisions.RevisionStore;
import dev.autoplane.query.revisions.RevisionView;
import dev.autoplane.query.schedules.ScheduleBook;
import dev.autoplane.query.schedules.ScheduleStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The visualization's states: PENDING at publish, drawn at its first read — COMPLETED with the diagram or FAILED with
 * why, stored so the next read does not draw again; a drawing that finishes after a newer publish leaves the newer
 * one alone; two readers at once share one drawing.
 */
class VisualizationTest {

    static final String ID = "01900000-0000-7000-8000-0000000000a1";
    static final String WS = "01900000-0000-7000-8000-000000000001";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final AutomationDefinition DEF = new AutomationDefinition("Weekly digest", null, "scheduled", Map.of(), null,
            null, null, null, List.of(), null, "default", null, Map.of())
            .withConnections(List.of(new ConnectionRef("c-1", 2), new ConnectionRef("c-2", 1)));

    final MemoryStore store = new MemoryStore();
    final MemoryRevisions revisions = new MemoryRevisions();
    final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    final VisualizationProjection projection = new VisualizationProjection(store, clock);
    final AtomicInteger drawings = new AtomicInteger();
    volatile String latest; // the automation read model's latest published revision, committed with the visualization

    VisualizationGenerator generator(Function<FlowDiagram.Flow, FlowDiagram.Rendered> renderer) {
        return new VisualizationGenerator(store, new NoAutomations(), new NoSchedules(), revisions, clock, flow -> {
            drawings.incrementAndGet();
            return renderer.apply(flow);
        });
    }

    void publish(String revision) {
        latest = revision;
        revisions.save(new RevisionView(ID, WS, revision, "published", DEF, null, T0));
        projection.on(new AutomationPublishedEvent(ID, WS, revision, "0.1", DEF, Actor.user("alice"), T0));
    }

    @Test
    void pendingAtPublishThenDrawnAtTheFirstReadWithMermaidAndAnSvgRenderedByPlantUml() {
        VisualizationGenerator generator = generator(FlowDiagram::render);
        publish("1.0");
        assertThat(store.find(ID)).get().extracting(VisualizationView::state, VisualizationView::automationVersion)
                .containsExactly("PENDING", "1.0");
        assertThat(drawings).as("a publish draws nothing").hasValue(0);

        VisualizationView v = generator.current(ID, latest).orElseThrow();
        assertThat(v.state()).isEqualTo("COMPLETED");
        assertThat(v.mermaid()).startsWith("flowchart LR").contains("revision 1.0: scheduled Weekly digest")
                .contains("connection c-1 v2").contains("connection c-2 v1").contains("pull executors").contains("API invoke");
        assertThat(v.svg()).contains("<svg").contains("connection c-1 v2");
        assertThat(v.errorMessage()).isNull();
        assertThat(store.find(ID)).contains(v);

        assertThat(generator.current(ID, latest)).contains(v);
        assertThat(drawings).as("stored: the second read draws nothing").hasValue(1);
    }

    @Test
    void aDrawingThatFailsIsStoredFailedWithWhy() {
        VisualizationGenerator generator = generator(flow -> {
            throw new IllegalStateException("the renderer broke");
        });
        publish("1.0");
        VisualizationView v = generator.current(ID, latest).orElseThrow();
        assertThat(v.state()).isEqualTo("FAILED");
        assertThat(v.errorMessage()).isEqualTo("the renderer broke");
        assertThat(v.svg()).isNull();
        assertThat(store.find(ID)).contains(v);
    }

    @Test
    void aDrawingFinishingAfterANewerPublishIsNotStoredAndTheNextReadDrawsTheNewerOne() {
        publish("1.0");
        VisualizationGenerator generator = generator(flow -> {
            if (drawings.get() == 1) {
                publish("2.0"); // published while 1.0 was being drawn
            }
            return FlowDiagram.render(flow);
        });
        assertThat(generator.current(ID, latest)).get().extracting(VisualizationView::state, VisualizationView::automationVersion)
                .containsExactly("PENDING", "2.0");
        assertThat(store.find(ID)).get().extracting(VisualizationView::state, VisualizationView::automationVersion)
                .containsExactly("PENDING", "2.0");
        assertThat(generator.current(ID, latest)).get().extracting(VisualizationView::state, VisualizationView::automationVersion)
                .containsExactly("COMPLETED", "2.0");
    }

    @Test
    void aDrawingStoredOverANewerPublishIsDrawnAgainForTheLatestRevision() {
        VisualizationGenerator generator = generator(FlowDiagram::render);
        publish("1.0");
        VisualizationView first = generator.current(ID, latest).orElseThrow();
        publish("2.0");
        store.save(first); // the race the check before the save narrows but cannot close: 1.0's drawing over 2.0's PENDING
        assertThat(generator.current(ID, latest)).get().extracting(VisualizationView::state, VisualizationView::automationVersion)
                .containsExactly("COMPLETED", "2.0");
        assertThat(store.find(ID)).get().extracting(VisualizationView::automationVersion).isEqualTo("2.0");
    }

    @Test
    void aRevisionNotYetInItsReadModelIsNotDrawnNorFailed() {
        VisualizationGenerator generator = generator(FlowDiagram::render);
        projection.on(new AutomationPublishedEvent(ID, WS, "1.0", "0.1", DEF, Actor.user("alice"), T0)); // no revision row
        assertThat(generator.current(ID, "1.0")).get().extracting(VisualizationView::state).isEqualTo("PENDING");
        assertThat(drawings).hasValue(0);
        revisions.save(new RevisionView(ID, WS, "1.0", "published", DEF, null, T0));
        assertThat(generator.current(ID, "1.0")).get().extracting(VisualizationView::state).isEqualTo("COMPLETED");
    }

    @Test
    void twoReadersAtOnceShareOneDrawing() throws Exception {
        CountDownLatch drawing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        VisualizationGenerator generator = generator(flow -> {
            drawing.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FlowDiagram.render(flow);
        });
        publish("1.0");
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<VisualizationView>> first = readers.submit(() -> generator.current(ID, latest));
            assertThat(drawing.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Optional<VisualizationView>> second = readers.submit(() -> generator.current(ID, latest));
            Thread.sleep(100); // the second reader is waiting on the first one's drawing
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).get().extracting(VisualizationView::state).isEqualTo("COMPLETED");
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(first.get());
            assertThat(drawings).hasValue(1);
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void nothingPublishedIsEmpty() {
        assertThat(generator(FlowDiagram::render).current(ID, null)).isEmpty();
    }

    @Test
    void labelsKeepNothingADiagramLanguageReads() {
        assertThat(FlowDiagram.label("a\"b];\n--> c")).isEqualTo("a b -- c");
    }

    // --- the test's own in-memory ports

    static final class MemoryStore implements VisualizationStore {
        final Map<String, VisualizationView> docs = new java.util.concurrent.ConcurrentHashMap<>();

        public void save(VisualizationView v) {
            docs.put(v.automationId(), v);
        }

        public Optional<VisualizationView> find(String automationId) {
            return Optional.ofNullable(docs.get(automationId));
        }

        public void delete(String automationId) {
            docs.remove(automationId);
        }

        public void clear() {
            docs.clear();
        }
    }

    static final class NoAutomations implements AutomationStore {
        public void save(AutomationView view) {
        }

        public void delete(String automationId) {
        }

        public Optional<AutomationView> find(String automationId) {
            return Optional.empty();
        }

        public List<AutomationView> page(String workspaceId, String afterId, boolean includeDeleted, int limit) {
            return List.of();
        }

        public void clear() {
        }
    }

    static final class NoSchedules implements ScheduleStore {
        public void save(ScheduleBook book) {
        }

        public Optional<ScheduleBook> find(String automationId) {
            return Optional.empty();
        }

        public void delete(String automationId) {
        }

        public void clear() {
        }
    }

    static final class MemoryRevisions implements RevisionStore {
        final Map<String, RevisionView> docs = new HashMap<>();

        public void save(RevisionView r) {
            docs.putIfAbsent(r.automationId() + "/" + r.revision(), r);
        }

        public List<RevisionView> list(String automationId) {
            return docs.values().stream().filter(r -> r.automationId().equals(automationId)).toList();
        }

        public Optional<RevisionView> find(String automationId, String revision) {
            return Optional.ofNullable(docs.get(automationId + "/" + revision));
        }

        public void deleteAll(String automationId) {
            docs.values().removeIf(r -> r.automationId().equals(automationId));
        }

        public void clear() {
            docs.clear();
        }
    }
}
