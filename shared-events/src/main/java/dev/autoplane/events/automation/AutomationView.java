package dev.autoplane.events.automation;

import dev.autoplane.events.automation.AutomationSettings.FireLimit;
import dev.autoplane.events.automation.AutomationSettings.MisfirePolicy;
import dev.autoplane.events.automation.AutomationSettings.RetryPolicy;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The automation read model as the API shows it (snake_case on the wire). {@code version} is the
 * optimistic-concurrency version ({@code ETag}, {@code If-Match}); {@code revision} is the current
 * draft revision and {@code latest_published_version} the newest published one.
 */
public record AutomationView(
        String id, String workspaceId, String organizationId, String teamId,
        String name, String description, String kind, Map<String, Object> config, String prompt, String code,
        String englishCode, String agentName, List<String> repositoryIds, String repositorySetId,
        String workspaceLifecyclePolicy, Integer workspaceAutoStopMinutes, Map<String, Object> defaultInputs,
        List<TriggerSpec> triggers, FireLimit fireLimit, RetryPolicy retry, MisfirePolicy misfire,
        String overlapPolicy, String status, boolean enabled, String activationState, long version,
        String revision, String latestPublishedVersion, List<String> scopes, List<String> teamScope,
        String providerType, String credentialLabel, boolean suspended, boolean oauthTokenPresent,
        Delivery delivery,
        CreatedBy createdBy, String createdByServiceAccountId, String reviewedBy, Instant reviewedAt,
        String rejectionReason, Instant lastRunAt, String lastError, Instant nextRunAt,
        Instant createdAt, Instant updatedAt, Instant deleteTime, Instant purgeTime) {

    public record CreatedBy(String kind, String id) {
    }

    /**
     * Push delivery: where runs are POSTed, and whether a signing secret is set (the secret itself shows only as
     * {@code signing_secret} in the answer that set the URL, and in the rotation's answer).
     */
    public record Delivery(String url, boolean signingSecretPresent) {
    }
}
