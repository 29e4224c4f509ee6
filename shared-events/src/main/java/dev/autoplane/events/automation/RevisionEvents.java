package dev.autoplane.events.automation;

import dev.autoplane.events.common.Actor;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Events of seed 002's revision operations. Restore and fork each follow the
 * {@link AutomationEvents.AutomationDefinitionRevisedEvent} that made the new draft (so every reader of revisions
 * needs nothing new) and say where its definition came from.
 */
public final class RevisionEvents {

    private RevisionEvents() {
    }

    /** Draft {@code revision} was made from revision {@code restoredRevision}. */
    @Revision("1")
    public record AutomationRevisionRestoredEvent(String automationId, String workspaceId, String revision,
                                                  String restoredRevision, Actor restoredBy, Instant restoredAt)
            implements AutomationStreamEvent {
    }

    /** Draft {@code revision} was forked from the published revision {@code fromRevision}. */
    @Revision("1")
    public record AutomationForkedEvent(String automationId, String workspaceId, String revision, String fromRevision,
                                        Actor forkedBy, Instant forkedAt) implements AutomationStreamEvent {
    }

    /**
     * The activation state of the published revision changed: {@code ACTIVE} (runs as its status allows) or
     * {@code DEACTIVATED} (due occurrences are recorded as {@code skipped_deactivated}, nothing runs).
     */
    @Revision("1")
    public record AutomationActivationChangedEvent(String automationId, String workspaceId, String activationState,
                                                   Actor changedBy, Instant changedAt) implements AutomationStreamEvent {
    }
}
