package dev.autoplane.events.automation;

import java.util.List;
import java.util.Map;

/**
 * The versioned part of an automation: what it does. Every accepted change of it is a new,
 * immutable revision; triggered runs execute the latest published one.
 */
public record AutomationDefinition(
        String name,
        String description,
        String kind,
        Map<String, Object> config,
        String prompt,
        String code,
        String englishCode,
        String agentName,
        List<String> repositoryIds,
        String repositorySetId,
        String workspaceLifecyclePolicy,
        Integer workspaceAutoStopMinutes,
        Map<String, Object> defaultInputs) {
}
