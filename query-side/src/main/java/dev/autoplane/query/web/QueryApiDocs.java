package dev.autoplane.query.web;

import dev.autoplane.events.automation.AutomationSettings.FireLimit;
import dev.autoplane.events.automation.AutomationSettings.RetryPolicy;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.automation.ScheduleSpec;
import dev.autoplane.events.run.OccurrenceView;
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

/** Response schemas of the query endpoints in the generated OpenAPI document. */
@Configuration(proxyBeanMethods = false)
class QueryApiDocs {

    static final String AUTOMATION = "/api/v1/workspaces/{ws}/automations/{id}";

    @Schema(name = "AutomationPage")
    record AutomationPageDocument(List<AutomationRead> automations,
                                  @Schema(description = "absent on the last page") String nextPageToken) {
    }

    @Schema(name = "RevisionSnapshot")
    record RevisionDocument(String automationId, @Schema(example = "1.0") String revision,
                            @Schema(allowableValues = {"DRAFT", "PUBLISHED"}) String stage,
                            String name, String description, String kind, Map<String, Object> config, String prompt,
                            String code, String englishCode, String agentName, List<String> repositoryIds,
                            String repositorySetId, String workspaceLifecyclePolicy, Integer workspaceAutoStopMinutes,
                            Map<String, Object> defaultInputs, AutomationView.CreatedBy createdBy, Instant createdAt) {
    }

    @Schema(name = "RevisionPage")
    record RevisionPageDocument(List<RevisionDocument> revisions, String nextPageToken) {
    }

    @Schema(name = "HistoryEvent")
    record HistoryEventDocument(String eventId, String aggregateId, long sequenceNumber,
                                @Schema(example = "AutomationApprovedEvent") String eventType, Instant timestamp,
                                @Schema(description = "actor_kind, actor_id, token_id, request_id, correlation_id, "
                                        + "client_address, user_agent, workspace_id, reason") Map<String, String> metadata,
                                @Schema(description = "the event's fields; secret hashes and ciphertexts redacted")
                                Map<String, Object> payload) {
    }

    @Schema(name = "HistoryPage")
    record HistoryPageDocument(List<HistoryEventDocument> events, String nextPageToken) {
    }

    @Schema(name = "WorkspaceList")
    record WorkspaceListDocument(List<Map<String, Object>> workspaces) {
    }

    @Schema(name = "RunPage")
    record RunPageDocument(List<RunView> runs, @Schema(description = "absent on the last page") String nextPageToken) {
    }

    @Schema(name = "OccurrencePage")
    record OccurrencePageDocument(List<OccurrenceView> occurrences,
                                  @Schema(description = "absent on the last page") String nextPageToken) {
    }

    @Schema(name = "ScheduleView")
    record ScheduleDocument(@Schema(description = "one of cron, interval, at") String cron, String interval, Instant at,
                            @Schema(example = "Europe/Berlin") String timezone, Instant startTime, ScheduleSpec.End end,
                            int jitterSeconds, int misfireGraceSeconds,
                            @Schema(allowableValues = {"skip", "fire_once", "fire_all"}) String catchUpPolicy,
                            @Schema(allowableValues = {"allow", "skip", "buffer_one", "cancel_other"}) String overlapPolicy,
                            boolean enabled, @Schema(example = "At 09:00, Monday through Friday (UTC)") String summary,
                            @Schema(description = "the next 5 nominal occurrences; empty while disabled") List<Instant> nextRunTimes,
                            @Schema(description = "null when unbounded") Long remainingOccurrences) {
    }

    @Schema(name = "TriggerView")
    record TriggerDocument(String id, @Schema(allowableValues = {"cron", "interval", "at", "webhook", "api"}) String type,
                           Map<String, Object> config, String event, String filter,
                           @Schema(allowableValues = {"PRE", "MAIN", "POST"}) String phaseType, FireLimit fireLimit,
                           RetryPolicy retry, boolean enabled,
                           @Schema(description = "time triggers only: the next 5 occurrences; empty while disabled")
                           List<Instant> nextRunTimes) {
    }

    @Schema(name = "TriggerList")
    record TriggerListDocument(List<TriggerDocument> triggers) {
    }

    static final String AUDIT = "/api/v1/workspaces/{ws}/audit";

    @Schema(name = "AuditEvent", description = "One event of the workspace's audit log")
    record AuditEventDocument(@Schema(description = "the audit position: the order the audit log recorded events in; "
                                      + "the page token, the SSE id and Last-Event-ID refer to it") long position,
                              @Schema(description = "the event's global index in the event store") long globalIndex,
                              String eventId,
                              @Schema(allowableValues = {"Agent", "Automation", "PersonalAccessToken", "Run", "Workspace"})
                              String aggregateType,
                              String aggregateId, Long sequenceNumber,
                              @Schema(example = "AutomationApprovedEvent") String eventType, Instant timestamp,
                              @Schema(description = "actor_kind, actor_id, agent_name, token_id, request_id, correlation_id, "
                                      + "client_address, user_agent, workspace_id, reason") Map<String, String> metadata,
                              @Schema(description = "the event's fields; secret hashes and ciphertexts redacted; an "
                                      + "encrypted field whose key a purge destroyed shows \"[shredded]\"")
                              Map<String, Object> payload) {
    }

    @Schema(name = "AuditPage")
    record AuditPageDocument(List<AuditEventDocument> events,
                             @Schema(description = "absent on the last page") String nextPageToken) {
    }

    @Schema(name = "AuditBrokenLink")
    record AuditBrokenLinkDocument(long position, String eventId, String aggregateId) {
    }

    @Schema(name = "AuditVerification")
    record AuditVerificationDocument(@Schema(description = "links recomputed and found intact") long verified,
                                     @Schema(description = "the first link that does not match, or null", nullable = true)
                                     AuditBrokenLinkDocument firstBroken) {
    }

    @Schema(name = "AuditHead")
    record AuditHeadDocument(long position, String eventId,
                             @Schema(description = "SHA-256, hex", example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                             String hash,
                             @Schema(description = "the event's timestamp") Instant at) {
    }

    @Schema(name = "AutomationAsOfPage")
    record AutomationAsOfPageDocument(List<AutomationView> automations,
                                      @Schema(description = "absent on the last page") String nextPageToken) {
    }

    @Bean
    GlobalOpenApiCustomizer querySchemas() {
        return api -> {
            ApiDocs.response(api, "/api/v1/workspaces/{ws}/automations", HttpMethod.GET, "200", "One page",
                    AutomationPageDocument.class);
            asOfList(api);
            ApiDocs.response(api, AUTOMATION, HttpMethod.GET, "200", "The automation (ETag: its version) with its"
                    + " runs' summary; as_of=…: the automation as it was then, without the runs' summary", AutomationRead.class);
            ApiDocs.response(api, AUTOMATION + "/revisions", HttpMethod.GET, "200", "Newest first",
                    RevisionPageDocument.class);
            ApiDocs.response(api, AUTOMATION + "/revisions/{rev}", HttpMethod.GET, "200", "One revision",
                    RevisionDocument.class);
            ApiDocs.response(api, AUTOMATION + "/history", HttpMethod.GET, "200", "Oldest first",
                    HistoryPageDocument.class);
            ApiDocs.response(api, "/api/v1/workspaces/{ws}/runs", HttpMethod.GET, "200", "Newest first",
                    RunPageDocument.class);
            ApiDocs.response(api, "/api/v1/workspaces/{ws}/runs/{runId}", HttpMethod.GET, "200", "One run",
                    RunView.class);
            ApiDocs.response(api, AUTOMATION + "/runs", HttpMethod.GET, "200", "Newest first", RunPageDocument.class);
            ApiDocs.response(api, AUTOMATION + "/triggers/{tid}/runs", HttpMethod.GET, "200", "Newest first",
                    RunPageDocument.class);
            ApiDocs.response(api, AUTOMATION + "/occurrences", HttpMethod.GET, "200", "Newest first",
                    OccurrencePageDocument.class);
            ApiDocs.response(api, AUTOMATION + "/schedule", HttpMethod.GET, "200", "The schedule", ScheduleDocument.class);
            ApiDocs.response(api, AUTOMATION + "/triggers", HttpMethod.GET, "200", "The triggers",
                    TriggerListDocument.class);
            ApiDocs.response(api, AUTOMATION + "/triggers/{tid}", HttpMethod.GET, "200", "One trigger",
                    TriggerDocument.class);
            ApiDocs.response(api, "/api/v1/workspaces", HttpMethod.GET, "200", "The caller's workspaces",
                    WorkspaceListDocument.class);
            auditEvents(api);
            ApiDocs.response(api, AUDIT + "/verify", HttpMethod.GET, "200", "What was verified, and the first broken link",
                    AuditVerificationDocument.class);
            ApiDocs.response(api, AUDIT + "/head", HttpMethod.GET, "200", "The chain's last link", AuditHeadDocument.class);
            eventStream(api, AUDIT + "/events/stream", "audit", "the event as GET .../audit/events shows it",
                    "the event's audit position");
            eventStream(api, "/api/v1/workspaces/{ws}/runs/stream");
            eventStream(api, "/api/v1/workspaces/{ws}/runs/{runId}/stream");
        };
    }

    /** The automation listing answers AutomationAsOfPage with as_of. */
    private static void asOfList(io.swagger.v3.oas.models.OpenAPI api) {
        io.swagger.v3.oas.models.Operation op = ApiDocs.operation(api, "/api/v1/workspaces/{ws}/automations", HttpMethod.GET);
        if (op == null || op.getResponses() == null || op.getResponses().get("200") == null) {
            return;
        }
        io.swagger.v3.oas.models.media.Schema<?> oneOf = new io.swagger.v3.oas.models.media.ComposedSchema()
                .addOneOfItem(ApiDocs.schema(api, AutomationPageDocument.class))
                .addOneOfItem(ApiDocs.schema(api, AutomationAsOfPageDocument.class));
        op.getResponses().get("200").description("One page (AutomationAsOfPage with as_of)")
                .content(new io.swagger.v3.oas.models.media.Content().addMediaType("application/json",
                        new io.swagger.v3.oas.models.media.MediaType().schema(oneOf)));
    }

    /** The audit listing: one JSON page, or with Accept: application/x-ndjson the whole log, one event per line. */
    private static void auditEvents(io.swagger.v3.oas.models.OpenAPI api) {
        io.swagger.v3.oas.models.Operation op = ApiDocs.operation(api, AUDIT + "/events", HttpMethod.GET);
        if (op == null || op.getResponses() == null) {
            return;
        }
        op.getResponses().addApiResponse("200", new io.swagger.v3.oas.models.responses.ApiResponse()
                .description("One page (application/json), or the whole filtered log as one AuditEvent per line "
                        + "(application/x-ndjson)")
                .content(new io.swagger.v3.oas.models.media.Content()
                        .addMediaType("application/json", new io.swagger.v3.oas.models.media.MediaType()
                                .schema(ApiDocs.schema(api, AuditPageDocument.class)))
                        .addMediaType("application/x-ndjson", new io.swagger.v3.oas.models.media.MediaType()
                                .schema(ApiDocs.schema(api, AuditEventDocument.class)))));
    }

    /** A Server-Sent Events response: frames of text, each data a run (event run) or a reset notice (event reset). */
    private static void eventStream(io.swagger.v3.oas.models.OpenAPI api, String path) {
        eventStream(api, path, "run", "the run JSON, as GET .../runs/{runId}", "the change's position in the event log");
    }

    private static void eventStream(io.swagger.v3.oas.models.OpenAPI api, String path, String event, String data,
                                    String id) {
        io.swagger.v3.oas.models.Operation op = ApiDocs.operation(api, path, HttpMethod.GET);
        if (op == null || op.getResponses() == null) {
            return;
        }
        op.getResponses().addApiResponse("200", new io.swagger.v3.oas.models.responses.ApiResponse()
                .description("text/event-stream: \"event: " + event + "\" frames (id: " + id + "; data: " + data
                        + "), \": keep-alive\" comments, and at most one final \"event: reset\"")
                .content(new io.swagger.v3.oas.models.media.Content().addMediaType("text/event-stream",
                        new io.swagger.v3.oas.models.media.MediaType()
                                .schema(new io.swagger.v3.oas.models.media.StringSchema()))));
        if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
            api.getComponents().getSchemas().remove("ServerSentEventString"); // the frame type springdoc saw
        }
    }

}
