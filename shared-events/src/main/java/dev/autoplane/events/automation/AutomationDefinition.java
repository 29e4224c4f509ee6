package dev.autoplane.events.automation;

import dev.autoplane.events.connection.ConnectionRef;

import java.util.List;
import java.util.Map;

/**
 * The versioned part of an automation: what it does. Every accepted change of it is a new,
 * immutable revision; triggered runs execute the latest published one. {@code connections} (the
 * workspace connections it uses, each at a version) and {@code markedOutputs} (output keys the user
 * marked) were added later: events written before them read as {@code null}.
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
        Map<String, Object> defaultInputs,
        List<ConnectionRef> connections,
        List<String> markedOutputs) {

    /** A definition without connections or marked outputs (the shape before they existed). */
    public AutomationDefinition(String name, String description, String kind, Map<String, Object> config,
                                String prompt, String code, String englishCode, String agentName,
                                List<String> repositoryIds, String repositorySetId, String workspaceLifecyclePolicy,
                                Integer workspaceAutoStopMinutes, Map<String, Object> defaultInputs) {
        this(name, description, kind, config, prompt, code, englishCode, agentName, repositoryIds, repositorySetId,
                workspaceLifecyclePolicy, workspaceAutoStopMinutes, defaultInputs, null, null);
    }

    /** This definition using other connections. */
    public AutomationDefinition withConnections(List<ConnectionRef> newConnections) {
        return new AutomationDefinition(name, description, kind, config, prompt, code, englishCode, agentName,
                repositoryIds, repositorySetId, workspaceLifecyclePolicy, workspaceAutoStopMinutes, defaultInputs,
                newConnections == null || newConnections.isEmpty() ? null : List.copyOf(newConnections), markedOutputs);
    }

    /** This definition with other marked outputs. */
    public AutomationDefinition withMarkedOutputs(List<String> outputs) {
        return new AutomationDefinition(name, description, kind, config, prompt, code, englishCode, agentName,
                repositoryIds, repositorySetId, workspaceLifecyclePolicy, workspaceAutoStopMinutes, defaultInputs,
                connections, outputs == null || outputs.isEmpty() ? null : List.copyOf(outputs));
    }
}
