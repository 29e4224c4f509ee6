package dev.autoplane.query.revisions;

import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDefinitionRevisedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.automation.AutomationView.CreatedBy;
import dev.autoplane.events.common.Actor;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;

/** Every accepted definition change becomes an immutable revision snapshot with who and when. */
@Component
@ProcessingGroup(RevisionProjection.PROCESSING_GROUP)
public class RevisionProjection {

    public static final String PROCESSING_GROUP = "revisions";

    private final RevisionStore store;

    public RevisionProjection(RevisionStore store) {
        this.store = store;
    }

    @EventHandler
    void on(AutomationCreatedEvent e) {
        store.save(new RevisionView(e.automationId(), e.workspaceId(), e.revision(), "DRAFT", e.definition(),
                by(e.createdBy()), e.createdAt()));
    }

    @EventHandler
    void on(AutomationDefinitionRevisedEvent e) {
        store.save(new RevisionView(e.automationId(), e.workspaceId(), e.revision(), "DRAFT", e.definition(),
                by(e.revisedBy()), e.revisedAt()));
    }

    @EventHandler
    void on(AutomationPublishedEvent e) {
        store.save(new RevisionView(e.automationId(), e.workspaceId(), e.revision(), "PUBLISHED", e.definition(),
                by(e.publishedBy()), e.publishedAt()));
    }

    @EventHandler
    void on(AutomationPurgedEvent e) {
        store.deleteAll(e.automationId());
    }

    @ResetHandler
    void reset() {
        store.clear();
    }

    private static CreatedBy by(Actor actor) {
        return new CreatedBy(actor.kind().wire(), actor.id());
    }
}
