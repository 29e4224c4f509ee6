package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.AutomationStatus;
import dev.autoplane.events.common.Revision;
import dev.autoplane.platform.scheduling.SourceBook;

/**
 * What {@link Firing} needs to know of the automation, read-only except {@code sources}, as it is when a
 * command is handled. {@code sources} is the automation's one {@link SourceBook}, folded by its answering
 * document: the events Firing applies move it at once.
 */
record FireContext(String automationId, String workspaceId, AutomationStatus status, AutomationSettings settings,
                   AutomationDefinition definition, Revision draftRevision, Revision publishedRevision,
                   SourceBook sources) {

    TriggerSpec trigger(String sourceId) {
        return sourceId == null ? null
                : settings.triggers().stream().filter(t -> sourceId.equals(t.id())).findFirst().orElse(null);
    }
}
