package dev.autoplane.query.visualization;

import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.schedules.ScheduleStore;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Each publish makes the automation's visualization {@code PENDING} at once, and generates it off the event
 * stream, on a thread of its own: {@code COMPLETED} with the diagram ({@link FlowDiagram}), or {@code FAILED} with
 * why. A generation finishing after a newer publish is dropped (the newer one owns the document). A replay
 * regenerates every automation's latest one.
 */
@Component
@ProcessingGroup(VisualizationProjection.PROCESSING_GROUP)
public class VisualizationProjection implements DisposableBean {

    public static final String PROCESSING_GROUP = "visualizations";
    private static final Logger log = LoggerFactory.getLogger(VisualizationProjection.class);

    private final VisualizationStore store;
    private final AutomationStore automations;
    private final ScheduleStore schedules;
    private final Clock clock;
    private final ExecutorService generator;
    private final Function<FlowDiagram.Flow, FlowDiagram.Rendered> renderer;

    @org.springframework.beans.factory.annotation.Autowired
    public VisualizationProjection(VisualizationStore store, AutomationStore automations, ScheduleStore schedules,
                                   Clock clock) {
        this(store, automations, schedules, clock, new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10_000), r -> {
                    Thread t = new Thread(r, "visualization-generator");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy()), FlowDiagram::render);
    }

    VisualizationProjection(VisualizationStore store, AutomationStore automations, ScheduleStore schedules, Clock clock,
                            ExecutorService generator, Function<FlowDiagram.Flow, FlowDiagram.Rendered> renderer) {
        this.store = store;
        this.automations = automations;
        this.schedules = schedules;
        this.clock = clock;
        this.generator = generator;
        this.renderer = renderer;
    }

    /**
     * Records {@code PENDING}; the generation is queued once the event's unit of work committed (the read models
     * of its batch, written at its commit, included), so it never reads, nor writes over, what is not committed.
     */
    @EventHandler
    void on(AutomationPublishedEvent e) {
        store.save(new VisualizationView(e.automationId(), e.workspaceId(), e.revision(), VisualizationView.PENDING, null,
                null, null, clock.instant()));
        Runnable queue = () -> generator.execute(() -> generate(e));
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> queue.run());
        } else {
            queue.run();
        }
    }

    /** What the diagram of this publish shows: the revision's definition, and the settings as they are now. */
    private FlowDiagram.Flow flow(AutomationPublishedEvent e) {
        AutomationView view = automations.find(e.automationId()).orElse(null);
        List<String> triggers = view == null ? List.of()
                : view.triggers().stream().filter(t -> t.enabled()).map(t -> t.type() + (t.id() == null ? "" : " " + t.id())).toList();
        boolean schedule = schedules.find(e.automationId()).isPresent();
        var def = e.definition();
        String definition = "revision " + e.revision() + ": " + def.kind() + " " + (def.name() == null ? "" : def.name());
        List<String> connections = def.connections() == null ? List.of()
                : def.connections().stream().map(c -> "connection " + c.connectionId() + " v" + c.version()).toList();
        String delivery = view != null && view.delivery() != null
                ? "push delivery to " + java.net.URI.create(view.delivery().url()).getHost() : "pull executors";
        return new FlowDiagram.Flow(FlowDiagram.sources(triggers, schedule), definition, connections, delivery);
    }

    @EventHandler
    void on(AutomationPurgedEvent e) {
        store.delete(e.automationId());
    }

    @ResetHandler
    void reset() {
        store.clear();
    }

    void generate(AutomationPublishedEvent e) {
        VisualizationView done;
        try {
            FlowDiagram.Rendered r = renderer.apply(flow(e));
            done = new VisualizationView(e.automationId(), e.workspaceId(), e.revision(), VisualizationView.COMPLETED, null,
                    r.mermaid(), r.svg(), clock.instant());
        } catch (RuntimeException failure) {
            log.warn("visualization of automation {} revision {} failed: {}", e.automationId(), e.revision(),
                    failure.toString());
            done = new VisualizationView(e.automationId(), e.workspaceId(), e.revision(), VisualizationView.FAILED,
                    failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage(), null, null,
                    clock.instant());
        }
        VisualizationView current = store.find(e.automationId()).orElse(null);
        if (current != null && current.automationVersion().equals(e.revision()) && current.state().equals(VisualizationView.PENDING)) {
            store.save(done); // still the latest publish: otherwise a newer one owns the document
        }
    }

    /**
     * Waits until every generation queued so far has finished (the generator runs them in order), so a rebuild
     * swaps in a read model none of whose generations is still to write.
     */
    public void awaitGenerated(java.time.Duration timeout) throws java.util.concurrent.TimeoutException {
        java.util.concurrent.Future<?> marker = generator.submit(() -> { });
        try {
            marker.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while visualizations were generated", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void destroy() {
        generator.shutdownNow();
    }
}
