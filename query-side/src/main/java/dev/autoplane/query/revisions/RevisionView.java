package dev.autoplane.query.revisions;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationView.CreatedBy;

import java.time.Instant;

/** An immutable revision snapshot of an automation's definition. {@code stage} is DRAFT or PUBLISHED. */
public record RevisionView(String automationId, String workspaceId, String revision, String stage,
                           AutomationDefinition definition, CreatedBy createdBy, Instant createdAt) {
}
