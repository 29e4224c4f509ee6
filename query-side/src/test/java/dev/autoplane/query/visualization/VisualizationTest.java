package dev.autoplane.query.visualization;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.connection.ConnectionRef;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.schedules.ScheduleBook;
import dev.autoplane.query.schedules.ScheduleStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The visualization's states: PENDING at publish, then COMPLETED with the diagram or FAILED with why; a generation
 * that finishes after a newer publish leaves the newer one alone. Generation runs on an executor the test drives.
 */
class VisualizationProjectionTest {

    static final String ID = "01900000-0000-7000-8000-0000000000a1";
    static final String WS = "01900000-0000-7000-8000-000000000001";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final AutomationDefinition DEF = new AutomationDefinition("Weekly digest", null, "scheduled", Map.of(), null,
            null, null, null, List.of(), null, "default", null, Map.of())
            .withConnections(List.of(new ConnectionRef("c-1", 2), new ConnectionRef("c-2", 1)));

    final MemoryStore store = new MemoryStore();
    final HeldTasks tasks = new HeldTasks();

    VisualizationProjection projection(java.util.function.Function<FlowDiagram.Flow, FlowDiagram.Rendered> renderer) {
        return new VisualizationProjection(store, new NoAutomations(), new NoSchedules(), Clock.fixed(T0, ZoneOffset.UTC),
                tasks, renderer);
    }

    static AutomationPublishedEvent published(String revision) {
        return new AutomationPublishedEvent(ID, WS, revision, "0.1", DEF, Actor.user("alice"), T0);
    }

    @Test
    void pendingAtPublishThenCompletedWithMermaidAndAnSvgRenderedByPlantUml() {
        VisualizationProjection p = projection(FlowDiagram::render);
        p.on(published("1.0"));
        assertThat(store.find(ID)).get().extracting(VisualizationView::state, VisualizationView::automationVersion)
                .containsExactly("PENDING", "1.0");
        tasks.runAll();
        VisualizationView v = store.find(ID).orElseThrow();
        assertThat(v.state()).isEqualTo("COMPLETED");
        assertThat(v.mermaid()).startsWith("flowchart LR").contains("revision 1.0: scheduled Weekly digest")
                .contains("connection c-1 v2").contains("connection c-2 v1").contains("pull executors").contains("API invoke");
        assertThat(v.svg()).contains("<svg").contains("connection c-1 v2");
        assertThat(v.errorMessage()).isNull();
    }

    @Test
    void aGenerationThatFailsIsFailedWithWhy() {
        VisualizationProjection p = projection(flow -> {
            throw new IllegalStateException("the renderer broke");
        });
        p.on(published("1.0"));
        tasks.runAll();
        VisualizationView v = store.find(ID).orElseThrow();
        assertThat(v.state()).isEqualTo("FAILED");
        assertThat(v.errorMessage()).isEqualTo("the renderer broke");
        assertThat(v.svg()).isNull();
    }

    @Test
    void aGenerationFinishingAfterANewerPublishIsDropped() {
        VisualizationProjection p = projection(FlowDiagram::render);
        p.on(published("1.0"));
        p.on(published("2.0"));
        tasks.runFirst(); // 1.0's generation ends after 2.0 was published: 2.0 stays pending
        assertThat(store.find(ID)).get().extracting(VisualizationView::state, VisualizationView::automationVersion)
                .containsExactly("PENDING", "2.0");
        tasks.runAll();
        assertThat(store.find(ID)).get().extracting(VisualizationView::state, VisualizationView::automationVersion)
                .containsExactly("COMPLETED", "2.0");
    }

    @Test
    void labelsKeepNothingADiagramLanguageReads() {
        assertThat(FlowDiagram.label("a\"b];\n--> c")).isEqualTo("a b -- c");
    }

    // --- the test's own in-memory ports

    static final class MemoryStore implements VisualizationStore {
        final Map<String, VisualizationView> docs = new HashMap<>();

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

    /** Holds the generation tasks until the test runs them. */
    static final class HeldTasks extends AbstractExecutorService {
        final List<Runnable> held = new ArrayList<>();

        void runFirst() {
            held.remove(0).run();
        }

        void runAll() {
            while (!held.isEmpty()) {
                runFirst();
            }
        }

        public void execute(Runnable command) {
            held.add(command);
        }

        public void shutdown() {
        }

        public List<Runnable> shutdownNow() {
            return List.of();
        }

        public boolean isShutdown() {
            return false;
        }

        public boolean isTerminated() {
            return false;
        }

        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
