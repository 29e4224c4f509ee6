package dev.autoplane.command.web;

import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.web.docs.ApiDocs;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Request and response schemas of the executors' endpoints in the generated OpenAPI document. */
@Configuration(proxyBeanMethods = false)
class RunApiDocs {

    static final String RUNS = "/api/v1/workspaces/{ws}/runs";

    @Schema(name = "LeaseRequest")
    record LeaseRequest(@Schema(minimum = "0", maximum = "30", example = "20",
                                description = "how long to wait for a run when none is due now (default 0)") Integer waitSeconds,
                        @Schema(minimum = "1", maximum = "100", example = "10", description = "default 1") Integer maxRuns,
                        @Schema(description = "lease only this automation's runs") String automationId) {
    }

    @Schema(name = "RunDefinition", description = "what the run executes: the revision's definition")
    record DefinitionDocument(String kind, Map<String, Object> config, String prompt, String code, String agentName,
                              List<String> repositoryIds) {
    }

    @Schema(name = "LeasedRun", description = "a run's fields (as GET .../runs/{run_id}) with its lease and definition")
    record LeasedRunDocument(String id, String workspaceId, String automationId, String revision, String status,
                             @Schema(description = "attempts started, this one included") int attempt, int maxAttempts,
                             Map<String, Object> inputs, Instant leaseExpiresAt,
                             @Schema(description = "send with reports when several executors share a credential")
                             String leaseId, DefinitionDocument definition) {
    }

    @Schema(name = "LeasedRuns")
    record LeasedRunsDocument(List<LeasedRunDocument> runs) {
    }

    @Schema(name = "HeartbeatRequest")
    record HeartbeatRequest(@Schema(description = "the lease_id the lease answered") String leaseId) {
    }

    @Schema(name = "CompleteRequest")
    record CompleteRequest(Map<String, Object> outputs, String leaseId) {
    }

    @Schema(name = "FailRequest")
    record FailRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 10000) String error,
                       @Schema(description = "default true: retried while attempts remain") Boolean retryable,
                       String leaseId) {
    }

    @Schema(name = "DelegateRequest")
    record DelegateRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 500,
                                   description = "the external system's reference") String externalRef,
                           String leaseId) {
    }

    @Schema(name = "CancelRunRequest")
    record CancelRequest(@Schema(maxLength = 2000) String reason) {
    }

    @Bean
    GlobalOpenApiCustomizer runSchemas() {
        return api -> {
            ApiDocs.requestBody(api, RUNS + "/lease", HttpMethod.POST, LeaseRequest.class, false);
            ApiDocs.response(api, RUNS + "/lease", HttpMethod.POST, "200", "The runs leased (possibly none)",
                    LeasedRunsDocument.class);
            Map<String, Class<?>> bodies = Map.of("heartbeat", HeartbeatRequest.class, "complete", CompleteRequest.class,
                    "fail", FailRequest.class, "delegate", DelegateRequest.class, "cancel", CancelRequest.class);
            bodies.forEach((report, type) -> {
                String path = RUNS + "/{runId}/" + report;
                ApiDocs.requestBody(api, path, HttpMethod.POST, type, report.equals("fail") || report.equals("delegate"));
                ApiDocs.response(api, path, HttpMethod.POST, "200", "The run after the report", RunView.class);
            });
        };
    }
}
