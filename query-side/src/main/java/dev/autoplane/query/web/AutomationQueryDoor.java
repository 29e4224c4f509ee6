package dev.autoplane.query.web;

import dev.autoplane.events.run.RunView;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * The query endpoints of {@code /api/v1} as the seed doors (docs/seeds.md) reach them: a seed adapter calls the same
 * endpoint method with the {@code /api/v1} parameters, so the query, the authorization and the visibility rules
 * (teams) are those of {@code /api/v1}.
 */
@Component
public class AutomationQueryDoor {

    private final AutomationQueryController automations;
    private final RunQueryController runs;
    private final TriggerQueryController triggers;
    private final RevisionQueryController revisions;
    private final ScheduleQueryController schedules;

    AutomationQueryDoor(AutomationQueryController automations, RunQueryController runs, TriggerQueryController triggers,
                        RevisionQueryController revisions, ScheduleQueryController schedules) {
        this.automations = automations;
        this.runs = runs;
        this.triggers = triggers;
        this.revisions = revisions;
        this.schedules = schedules;
    }

    /** {@code GET .../automations/{id}/revisions}: {revisions, next_page_token?}. */
    public Mono<Map<String, Object>> revisions(String ws, String id, String filter, Integer pageSize, String pageToken,
                                               ServerWebExchange exchange) {
        return Mono.defer(() -> automations.listRevisions(ws, id, filter, pageSize, pageToken, exchange));
    }

    /** {@code GET .../automations/{id}/revisions/{rev}}. */
    public Mono<Map<String, Object>> revision(String ws, String id, String rev, ServerWebExchange exchange) {
        return Mono.defer(() -> automations.getRevision(ws, id, rev, exchange));
    }

    /** {@code GET .../automations/{id}/default-inputs-history}. */
    public Mono<Map<String, Object>> defaultInputsHistory(String ws, String id, String stage, Integer pageSize,
                                                          String pageToken, ServerWebExchange exchange) {
        return Mono.defer(() -> revisions.defaultInputsHistory(ws, id, stage, pageSize, pageToken, exchange));
    }

    /** {@code GET .../automations/{id}/code-connections}. */
    public Mono<Map<String, Object>> codeConnections(String ws, String id, String stage, ServerWebExchange exchange) {
        return Mono.defer(() -> revisions.codeConnections(ws, id, stage, exchange));
    }

    /** {@code GET .../automations/{id}/visualization}. */
    public Mono<Map<String, Object>> visualization(String ws, String id, ServerWebExchange exchange) {
        return Mono.defer(() -> revisions.visualization(ws, id, exchange));
    }

    /** {@code GET .../automations/{id}/schedule}. */
    public Mono<Map<String, Object>> schedule(String ws, String id, ServerWebExchange exchange) {
        return Mono.defer(() -> schedules.schedule(ws, id, exchange));
    }

    /** {@code GET .../automations/{id}/triggers}. */
    public Mono<Map<String, Object>> automationTriggers(String ws, String id, String pageSize, String pageToken,
                                                        String filter, ServerWebExchange exchange) {
        return Mono.defer(() -> schedules.triggers(ws, id, pageSize, pageToken, filter, exchange));
    }

    /** {@code GET /api/v1/workspaces/{ws}/triggers}: {triggers, next_page_token?}. */
    public Mono<Map<String, Object>> triggers(String ws, String scope, String type, String event, String automationId,
                                              String filter, String pageSize, ServerWebExchange exchange) {
        return Mono.defer(() -> triggers.list(ws, scope, type, event, automationId, filter, pageSize, null, exchange));
    }

    /** {@code GET /api/v1/workspaces/{ws}/automations}: {automations, next_page_token?}. */
    public Mono<Map<String, Object>> list(String ws, Integer pageSize, String pageToken, String filter,
                                          ServerWebExchange exchange) {
        return list(ws, pageSize, pageToken, filter, false, exchange);
    }

    /** {@code GET /api/v1/workspaces/{ws}/automations[?show_deleted=true]}. */
    public Mono<Map<String, Object>> list(String ws, Integer pageSize, String pageToken, String filter,
                                          boolean showDeleted, ServerWebExchange exchange) {
        return Mono.defer(() -> automations.list(ws, pageSize, pageToken, filter, showDeleted, null, exchange));
    }

    /** {@code GET /api/v1/workspaces/{ws}/automations/{id}[?stage=draft|published]}. */
    public Mono<ResponseEntity<Object>> get(String ws, String id, String stage, ServerWebExchange exchange) {
        return Mono.defer(() -> automations.get(ws, id, stage, null, exchange));
    }

    /** {@code GET /api/v1/workspaces/{ws}/runs} (with {@code automation_id} when given): {runs, next_page_token?}. */
    public Mono<Map<String, Object>> runs(String ws, String automationId, String triggerId, String status, String since,
                                          String until, String pageSize, ServerWebExchange exchange) {
        return Mono.defer(() -> runs.list(ws, automationId, triggerId, status, since, until, pageSize, null, exchange));
    }

    /** {@code GET /api/v1/workspaces/{ws}/runs/{runId}}. */
    public Mono<RunView> run(String ws, String runId, ServerWebExchange exchange) {
        return Mono.defer(() -> runs.get(ws, runId, exchange));
    }
}
