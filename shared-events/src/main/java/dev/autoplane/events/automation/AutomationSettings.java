package dev.autoplane.events.automation;

import java.util.List;

/**
 * The unversioned part of an automation: when and as whom it may run. A person's change takes
 * effect at once; a service account's goes to approval first.
 */
public record AutomationSettings(
        String teamId,
        List<TriggerSpec> triggers,
        FireLimit fireLimit,
        RetryPolicy retry,
        MisfirePolicy misfire,
        String overlapPolicy,
        List<String> scopes,
        List<String> teamScope,
        String providerType,
        String credentialLabel,
        boolean suspended,
        boolean enabled) {

    /** These settings with other triggers. */
    public AutomationSettings withTriggers(List<TriggerSpec> newTriggers) {
        return new AutomationSettings(teamId, newTriggers, fireLimit, retry, misfire, overlapPolicy, scopes, teamScope,
                providerType, credentialLabel, suspended, enabled);
    }

    public record FireLimit(int max, String window) {
    }

    public record RetryPolicy(String strategy, int maxRetries, String baseDelay) {
    }

    public record MisfirePolicy(int graceSeconds, String catchUpPolicy) {
    }

    /** A trigger as configured on the automation (the scheduling engine gives it life). */
    public record TriggerSpec(String id, String type, java.util.Map<String, Object> config, String event,
                              String filter, String phaseType, FireLimit fireLimit, RetryPolicy retry,
                              boolean enabled) {
    }
}
