package dev.autoplane.query.visualization;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.revisions.RevisionStore;
import dev.autoplane.query.revisions.RevisionView;
import dev.autoplane.query.schedules.ScheduleStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Draws a {@code PENDING} visualization when it is read: {@code COMPLETED} with the diagram ({@link FlowDiagram}), or
 * {@code FAILED} with why, stored so that later reads find it drawn. Readers of one automation at the same moment
 * share one drawing. A drawing that finishes after a newer publish is not stored (the newer one owns the document,
 * and the next read draws it).
 */
@Component
public class VisualizationGenerator {

    private static final Logger log = LoggerFactory.getLogger(VisualizationGenerator.class);

    private final VisualizationStore store;
    private final AutomationStore automations;
    private final ScheduleStore schedules;
    private final RevisionStore revisions;
    private final Clock clock;
    private final Function<FlowDiagram.Flow, FlowDiagram.Rendered> renderer;
    private final ConcurrentHashMap<String, CompletableFuture<VisualizationView>> drawing = new ConcurrentHashMap<>();

    @Autowired
    public VisualizationGenerator(VisualizationStore store, AutomationStore automations, ScheduleStore schedules,
                                  RevisionStore revisions, Clock clock) {
        this(store, automations, schedules, revisions, clock, FlowDiagram::render);
    }

    VisualizationGenerator(VisualizationStore store, AutomationStore automations, ScheduleStore schedules,
                           RevisionStore revisions, Clock clock, Function<FlowDiagram.Flow, FlowDiagram.Rendered> renderer) {
        this.store = store;
        this.automations = automations;
        this.schedules = schedules;
        this.revisions = revisions;
        this.clock = clock;
        this.renderer = renderer;
    }

    /**
     * The automation's visualization, drawn now if it is still {@code PENDING}, or if it shows an older revision than
     * {@code latestPublished} (the automation read model's, committed with it; a drawing stored over a newer publish's
     * {@code PENDING} heals here); empty when nothing was published.
     */
    public Optional<VisualizationView> current(String automationId, String latestPublished) {
        Optional<VisualizationView> found = store.find(automationId);
        if (found.isEmpty()) {
            return found;
        }
        VisualizationView stored = found.get();
        boolean behind = latestPublished != null && !latestPublished.equals(stored.automationVersion());
        if (!behind && !stored.state().equals(VisualizationView.PENDING)) {
            return found;
        }
        VisualizationView pending = behind ? new VisualizationView(automationId, stored.workspaceId(), latestPublished,
                VisualizationView.PENDING, null, null, null, stored.updatedAt()) : stored;
        CompletableFuture<VisualizationView> mine = new CompletableFuture<>();
        CompletableFuture<VisualizationView> theirs = drawing.putIfAbsent(automationId, mine);
        if (theirs != null) {
            return Optional.of(theirs.join());
        }
        try {
            VisualizationView drawn = draw(stored, pending);
            mine.complete(drawn);
            return Optional.of(drawn);
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            drawing.remove(automationId, mine);
        }
    }

    private VisualizationView draw(VisualizationView stored, VisualizationView pending) {
        // the reads stay outside the try: a failing read is the request's error, not a FAILED diagram
        Optional<AutomationDefinition> definition = revisions.find(pending.automationId(), pending.automationVersion())
                .map(RevisionView::definition);
        if (definition.isEmpty()) {
            return stored; // the revision is not in its read model yet (MongoDB commits collections apart): later
        }
        AutomationView view = automations.find(pending.automationId()).orElse(null);
        boolean schedule = schedules.find(pending.automationId()).isPresent();
        VisualizationView done;
        try {
            FlowDiagram.Rendered r = renderer.apply(flow(pending, definition.get(), view, schedule));
            done = new VisualizationView(pending.automationId(), pending.workspaceId(), pending.automationVersion(),
                    VisualizationView.COMPLETED, null, r.mermaid(), r.svg(), clock.instant());
        } catch (RuntimeException failure) {
            log.warn("visualization of automation {} revision {} failed: {}", pending.automationId(),
                    pending.automationVersion(), failure.toString());
            done = new VisualizationView(pending.automationId(), pending.workspaceId(), pending.automationVersion(),
                    VisualizationView.FAILED,
                    failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage(), null, null,
                    clock.instant());
        }
        VisualizationView now = store.find(pending.automationId()).orElse(null);
        if (!stored.equals(now)) {
            return now == null ? stored : now; // a newer publish (or a purge) came meanwhile: it owns the document
        }
        store.save(done);
        return done;
    }

    /** What the diagram shows: the published revision's definition, and the automation's settings as they are now. */
    private static FlowDiagram.Flow flow(VisualizationView pending, AutomationDefinition def, AutomationView view,
                                         boolean schedule) {
        List<String> triggers = view == null ? List.of()
                : view.triggers().stream().filter(t -> t.enabled()).map(t -> t.type() + (t.id() == null ? "" : " " + t.id())).toList();
        String definition = "revision " + pending.automationVersion() + ": " + def.kind() + " " + (def.name() == null ? "" : def.name());
        List<String> connections = def.connections() == null ? List.of()
                : def.connections().stream().map(c -> "connection " + c.connectionId() + " v" + c.version()).toList();
        String delivery = view != null && view.delivery() != null
                ? "push delivery to " + URI.create(view.delivery().url()).getHost() : "pull executors";
        return new FlowDiagram.Flow(FlowDiagram.sources(triggers, schedule), definition, connections, delivery);
    }
}
