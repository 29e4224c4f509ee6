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

/**
 * Response schemas of the command endpoints in the generated OpenAPI document (their request bodies
 * are typed records: {@link AutomationWrite}, {@link ScheduleWrite}, {@link TriggerWrite}).
 */
@Configuration(proxyBeanMethods = false)
class CommandApiDocs {

    static final String AUTOMATIONS = "/api/v1/workspaces/{ws}/automations";
    static final String AUTOMATION = AUTOMATIONS + "/{id}";

    @Schema(name = "AutomationCreated")
    record AutomationCreatedDocument(AutomationView automation,
                                     @Schema(description = "the automation's secret, shown here once",
                                             example = "ap_sk_3xAmPLe…") String secret,
                                     @Schema(description = "the signing secret of each webhook endpoint its triggers made, "
                                             + "by slug, shown here once (absent when none was made)",
                                             additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
                                     java.util.Map<String, String> webhookSecrets) {
    }

    @Schema(name = "RotateDeliverySecretRequest")
    record RotateDeliverySecretRequest(@Schema(minimum = "0", maximum = "604800", example = "3600",
            description = "how long the previous secret still signs beside the new one (default 0)")
                                       Long gracePeriodSeconds) {
    }

    @Schema(name = "DeliverySecretRotated")
    record DeliverySecretRotatedDocument(AutomationView automation,
                                         @Schema(description = "the new signing secret, shown here once",
                                                 example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") String signingSecret,
                                         @Schema(description = "until when (exclusive) deliveries carry the previous "
                                                 + "signature too") Instant previousSecretValidUntil) {
    }

    @Schema(name = "Workspace")
    record WorkspaceDocument(String id, String name, String organizationId, Instant createdAt) {
    }

    @Schema(name = "Member")
    record MemberDocument(String workspaceId, String userId,
                          @Schema(allowableValues = {"viewer", "editor", "approver", "auditor", "admin"}) String role,
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
            ApiDocs.response(api, AUTOMATIONS, HttpMethod.POST, "201", "Created; the secret is shown once",
                    AutomationCreatedDocument.class);
            ApiDocs.response(api, AUTOMATION, HttpMethod.PATCH, "200", "The automation after the change", AutomationView.class);
            ApiDocs.response(api, AUTOMATION, HttpMethod.DELETE, "200", "Soft-deleted (204 with purge=true)", AutomationView.class);
            for (String action : List.of("submit", "approve", "reject", "pause", "resume", "publish", "undelete")) {
                ApiDocs.response(api, AUTOMATION + "/" + action, HttpMethod.POST, "200", "The automation after " + action,
                        AutomationView.class);
            }
            ApiDocs.response(api, AUTOMATION + "/purge", HttpMethod.POST, "204", "Purged", null);
            ApiDocs.requestBody(api, AUTOMATION + "/delivery/rotate-secret", HttpMethod.POST,
                    RotateDeliverySecretRequest.class, false);
            ApiDocs.response(api, AUTOMATION + "/delivery/rotate-secret", HttpMethod.POST, "200",
                    "Rotated; the new signing secret is shown once", DeliverySecretRotatedDocument.class);
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
