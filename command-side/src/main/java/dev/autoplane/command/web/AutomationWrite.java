package dev.autoplane.command.web;

import io.swagger.v3.oas.annotations.media.Schema;
import org.openapitools.jackson.nullable.JsonNullable;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST .../automations} and {@code PATCH .../automations/{id}}: the binding and
 * the OpenAPI schema in one. Every component is a {@link JsonNullable}: undefined when the field was
 * not sent (PATCH leaves it as it is), {@code null} when it was sent as {@code null} (PATCH resets
 * it), or the value. Maps remain only where the shape is open ({@code config}, whose keys depend on
 * the kind, and {@code default_inputs}). The rules (required fields, limits, the kind's config
 * schema, cross-field rules) are the aggregate's {@code AutomationFields}, which reads the same
 * body as sent (see {@code Given}) and reports every violation at once.
 */
@Schema(name = "AutomationWrite", description = "Writable automation fields (see docs/automation-kinds.md). "
        + "On create, name and kind are required; on PATCH every field is optional and null resets it.")
record AutomationWrite(
        @Schema(example = "Weekly digest", maxLength = 200) JsonNullable<String> name,
        @Schema(example = "Posts the weekly digest", maxLength = 10_000) JsonNullable<String> description,
        @Schema(allowableValues = {"scheduled", "webhook", "social_post", "reverse_tunnel", "agent_prompt", "code"})
        JsonNullable<String> kind,
        @Schema(description = "the kind's own settings (docs/automation-kinds.md), e.g. {\"cron\": \"0 9 * * MON\", \"channel\": \"general\"}",
                additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
        JsonNullable<Map<String, Object>> config,
        @Schema(maxLength = 100_000) JsonNullable<String> prompt,
        @Schema(maxLength = 500_000) JsonNullable<String> code,
        @Schema(maxLength = 100_000) JsonNullable<String> englishCode,
        @Schema(maxLength = 200) JsonNullable<String> agentName,
        @Schema(description = "at most 100") JsonNullable<List<String>> repositoryIds,
        @Schema(maxLength = 200) JsonNullable<String> repositorySetId,
        @Schema(allowableValues = {"default", "delete_when_done", "delete_after_inactivity"})
        JsonNullable<String> workspaceLifecyclePolicy,
        @Schema(minimum = "3", maximum = "1440") JsonNullable<Integer> workspaceAutoStopMinutes,
        @Schema(description = "inputs every run starts with; a run's own inputs override them",
                additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
        JsonNullable<Map<String, Object>> defaultInputs,
        @Schema(maxLength = 64) JsonNullable<String> teamId,
        @Schema(description = "at most 20; at most one cron trigger") JsonNullable<List<TriggerWrite>> triggers,
        JsonNullable<FireLimit> fireLimit,
        JsonNullable<Retry> retry,
        JsonNullable<Misfire> misfire,
        @Schema(allowableValues = {"allow", "skip", "buffer_one", "cancel_other"}) JsonNullable<String> overlapPolicy,
        @Schema(description = "permissions of its access tokens; needs automation.manage") JsonNullable<List<String>> scopes,
        @Schema(description = "needs automation.manage") JsonNullable<List<String>> teamScope,
        @Schema(description = "needs automation.manage", maxLength = 100) JsonNullable<String> providerType,
        @Schema(description = "needs automation.manage", maxLength = 200) JsonNullable<String> credentialLabel,
        @Schema(description = "needs automation.manage") JsonNullable<Boolean> suspended,
        JsonNullable<Boolean> enabled,
        @Schema(allowableValues = {"draft", "pending_approval", "active", "paused", "rejected"}) JsonNullable<String> status,
        @Schema(description = "with status rejected", maxLength = 2_000) JsonNullable<String> rejectionReason,
        @Schema(description = "write-only; stored encrypted; null clears it", writeOnly = true, maxLength = 8_192)
        JsonNullable<String> oauthToken,
        @Schema(description = "create only", maxLength = 200) JsonNullable<String> organizationId,
        @Schema(description = "push delivery (docs/runs.md \"Push delivery\"): each run is POSTed to url, signed per "
                + "Standard Webhooks; the answer that sets it shows delivery.signing_secret once; null switches it off")
        JsonNullable<DeliveryWrite> delivery) {

    /** The fields that need the permission {@code automation.manage} to be sent at all. */
    static final List<String> CREDENTIAL_SETTINGS = List.of("scopes", "team_scope", "provider_type", "credential_label",
            "suspended");

    @Schema(name = "DeliveryWrite", description = "where runs are POSTed")
    record DeliveryWrite(@Schema(example = "https://executor.example.com/runs", maxLength = 2048,
                                 description = "http or https; its host must resolve to public addresses unless "
                                         + "AUTOPLANE_DELIVERY_ALLOW_PRIVATE_NETWORKS=true") String url) {
    }

    @Schema(name = "FireLimitWrite", description = "at most max fires per window (the window ends at each fire)")
    record FireLimit(@Schema(example = "10", minimum = "1", maximum = "10000") Integer max,
                     @Schema(example = "1h", description = "a duration: 30s, 15m, 1h, 1d or ISO 8601") String window) {
    }

    @Schema(name = "RetryWrite")
    record Retry(@Schema(allowableValues = {"none", "fixed", "exponential"}) String strategy,
                 @Schema(example = "3", minimum = "0", maximum = "100") Integer maxRetries,
                 @Schema(example = "30s", description = "a duration: 30s, 15m, 1h or ISO 8601") String baseDelay) {
    }

    @Schema(name = "MisfireWrite", description = "how late an occurrence may still run, and what happens to later ones")
    record Misfire(@Schema(example = "60", minimum = "0", maximum = "86400") Integer graceSeconds,
                   @Schema(allowableValues = {"skip", "fire_once", "fire_all"}) String catchUpPolicy) {
    }
}
