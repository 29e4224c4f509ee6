package dev.autoplane.command.web;

import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.platform.web.docs.ApiDocs;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Request and response schemas of the command endpoints in the generated OpenAPI document. */
@Configuration(proxyBeanMethods = false)
class CommandApiDocs {

    static final String AUTOMATIONS = "/api/v1/workspaces/{ws}/automations";
    static final String AUTOMATION = AUTOMATIONS + "/{id}";

    @Schema(name = "AutomationWrite", description = "Writable automation fields (see docs/automation-kinds.md). "
            + "On create, name and kind are required; on PATCH every field is optional and null resets it.")
    record AutomationWriteDocument(
            @Schema(example = "Weekly digest", maxLength = 200) String name,
            @Schema(example = "Posts the weekly digest") String description,
            @Schema(allowableValues = {"scheduled", "webhook", "social_post", "reverse_tunnel", "agent_prompt", "code"}) String kind,
            @Schema(description = "the kind's own settings (docs/automation-kinds.md), e.g. {\"cron\": \"0 9 * * MON\", \"channel\": \"general\"}",
                    additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
            Map<String, Object> config,
            String prompt, String code, String englishCode, String agentName,
            List<String> repositoryIds, String repositorySetId,
            @Schema(allowableValues = {"default", "delete_when_done", "delete_after_inactivity"}) String workspaceLifecyclePolicy,
            @Schema(minimum = "3", maximum = "1440") Integer workspaceAutoStopMinutes,
            @Schema(description = "inputs every run starts with; a run's own inputs override them",
                    additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> defaultInputs,
            String teamId, List<Map<String, Object>> triggers,
            FireLimitDocument fireLimit, RetryDocument retry, MisfireDocument misfire,
            @Schema(allowableValues = {"allow", "skip", "buffer_one", "cancel_other"}) String overlapPolicy,
            @Schema(example = "[\"automation.read\"]") List<String> scopes, List<String> teamScope,
            String providerType, String credentialLabel, Boolean suspended, Boolean enabled,
            @Schema(allowableValues = {"draft", "pending_approval", "active", "paused", "rejected"}) String status,
            @Schema(description = "write-only; stored encrypted; null clears it", writeOnly = true) String oauthToken,
            @Schema(description = "create only") String organizationId) {
    }

    @Schema(name = "FireLimit", description = "at most max fires per window (the window ends at each fire)")
    record FireLimitDocument(@Schema(example = "10", minimum = "1", maximum = "10000") Integer max,
                             @Schema(example = "1h", description = "a duration: 30s, 15m, 1h, 1d or ISO 8601") String window) {
    }

    @Schema(name = "Retry")
    record RetryDocument(@Schema(allowableValues = {"none", "fixed", "exponential"}) String strategy,
                         @Schema(example = "3", minimum = "0") Integer maxRetries,
                         @Schema(example = "30s", description = "a duration: 30s, 15m, 1h or ISO 8601") String baseDelay) {
    }

    @Schema(name = "Misfire", description = "how late an occurrence may still run, and what happens to later ones")
    record MisfireDocument(@Schema(example = "60", minimum = "0") Integer graceSeconds,
                           @Schema(allowableValues = {"skip", "fire_once", "fire_all"}) String catchUpPolicy) {
    }

    @Schema(name = "AutomationCreated")
    record AutomationCreatedDocument(AutomationView automation,
                                     @Schema(description = "the automation's secret, shown here once",
                                             example = "ap_sk_3xAmPLe…") String secret) {
    }

    @Schema(name = "Workspace")
    record WorkspaceDocument(String id, String name, String organizationId, Instant createdAt) {
    }

    @Schema(name = "Member")
    record MemberDocument(String workspaceId, String userId,
                          @Schema(allowableValues = {"viewer", "editor", "approver", "admin"}) String role,
                          List<String> teamIds) {
    }

    @Schema(name = "Team")
    record TeamDocument(String id, String workspaceId, String name, Instant createdAt) {
    }

    @Schema(name = "PersonalAccessTokenCreated")
    record TokenCreatedDocument(String id, @Schema(description = "shown once", example = "ap_pat_…") String token,
                                String name, String userId, Instant expiresAt, Instant createdAt) {
    }

    @Bean
    GlobalOpenApiCustomizer commandSchemas() {
        return api -> {
            ApiDocs.requestBody(api, AUTOMATIONS, HttpMethod.POST, AutomationWriteDocument.class, true);
            ApiDocs.response(api, AUTOMATIONS, HttpMethod.POST, "201", "Created; the secret is shown once",
                    AutomationCreatedDocument.class);
            ApiDocs.requestBody(api, AUTOMATION, HttpMethod.PATCH, AutomationWriteDocument.class, true);
            ApiDocs.response(api, AUTOMATION, HttpMethod.PATCH, "200", "The automation after the change", AutomationView.class);
            ApiDocs.response(api, AUTOMATION, HttpMethod.DELETE, "200", "Soft-deleted (204 with purge=true)", AutomationView.class);
            for (String action : List.of("submit", "approve", "reject", "pause", "resume", "publish", "undelete")) {
                ApiDocs.response(api, AUTOMATION + "/" + action, HttpMethod.POST, "200", "The automation after " + action,
                        AutomationView.class);
            }
            ApiDocs.response(api, AUTOMATION + "/purge", HttpMethod.POST, "204", "Purged", null);
            ApiDocs.response(api, "/api/v1/workspaces", HttpMethod.POST, "201", "Created", WorkspaceDocument.class);
            ApiDocs.response(api, "/api/v1/workspaces/{ws}/members/{userId}", HttpMethod.PUT, "200", "The membership",
                    MemberDocument.class);
            ApiDocs.response(api, "/api/v1/workspaces/{ws}/members/{userId}", HttpMethod.DELETE, "204", "Removed", null);
            ApiDocs.response(api, "/api/v1/workspaces/{ws}/teams", HttpMethod.POST, "201", "Created", TeamDocument.class);
            ApiDocs.response(api, "/api/v1/tokens", HttpMethod.POST, "201", "Created; the token is shown once",
                    TokenCreatedDocument.class);
            ApiDocs.response(api, "/api/v1/tokens/{id}", HttpMethod.DELETE, "204", "Revoked", null);
        };
    }
}
