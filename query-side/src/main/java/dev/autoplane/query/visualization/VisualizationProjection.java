package dev.autoplane.query.visualization;

import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * Each publish makes the automation's visualization {@code PENDING}; the diagram is drawn when it is first read
 * ({@link VisualizationGenerator}), not here: a publish nobody looks at costs one small row, not a render, and a
 * replay or rebuild renders nothing.
 */
@Component
@ProcessingGroup(VisualizationProjection.PROCESSING_GROUP)
public class VisualizationProjection {

    public static final String PROCESSING_GROUP = "visualizations";

    private final VisualizationStore store;
    private final Clock clock;

    public VisualizationProjection(VisualizationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @EventHandler
    void on(AutomationPublishedEvent e) {
        store.save(new VisualizationView(e.automationId(), e.workspaceId(), e.revision(), VisualizationView.PENDING, null,
                null, null, clock.instant()));
    }

    @EventHandler
    void on(AutomationPurgedEvent e) {
        store.delete(e.automationId());
    }

    @ResetHandler
    void reset() {
        store.clear();
    }
}
