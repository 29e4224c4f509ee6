package dev.autoplane.command.web;

import dev.autoplane.platform.web.json.Given;
import dev.autoplane.platform.web.json.StrictJsonCodecConfiguration;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * The command endpoints of {@code /api/v1} as the seed doors (docs/seeds.md) reach them: a seed adapter translates
 * its request into the {@code /api/v1} body and calls the same endpoint method, so the command, the authorization
 * and every rule are those of {@code /api/v1}. The body is read by the same strict decoder as an HTTP body.
 */
@Component
public class AutomationCommandDoor {

    private final AutomationCommandController automations;
    private final ScheduleCommandController schedules;
    private final AutomationRevisionController revisions;
    private final ConnectionController connections;
    private final JsonMapper strict;

    AutomationCommandDoor(AutomationCommandController automations, ScheduleCommandController schedules,
                          AutomationRevisionController revisions, ConnectionController connections, JsonMapper json) {
        this.automations = automations;
        this.schedules = schedules;
        this.revisions = revisions;
        this.connections = connections;
        this.strict = StrictJsonCodecConfiguration.strict(json);
    }

    /** {@code POST .../automations/{id}/connections/{add | remove | upgrade | switch}}: 200 with the automation. */
    public Mono<ResponseEntity<Object>> editConnections(String ws, String id, String edit, Map<String, Object> body,
                                                        ServerWebExchange exchange) {
        return Mono.defer(() -> switch (edit) {
            case "add" -> revisions.add(ws, id, read(body, AutomationRevisionController.ConnectionIdsRequest.class), null, exchange);
            case "remove" -> revisions.remove(ws, id, read(body, AutomationRevisionController.ConnectionIdsRequest.class), null,
                    exchange);
            case "upgrade" -> revisions.upgrade(ws, id, read(body, AutomationRevisionController.ConnectionIdsRequest.class), null,
                    exchange);
            case "switch" -> revisions.switchConnections(ws, id, read(body, AutomationRevisionController.SwitchRequest.class),
                    null, exchange);
            default -> throw new IllegalArgumentException(edit);
        });
    }

    /** {@code POST /api/v1/workspaces/{ws}/connections/count-usage}. */
    public Mono<ResponseEntity<Object>> countConnectionUsage(String ws, Map<String, Object> body, ServerWebExchange exchange) {
        return Mono.defer(() -> connections.countUsage(ws, read(body, ConnectionController.CountUsageRequest.class), exchange));
    }

    /** {@code GET /api/v1/workspaces/{ws}/connections/{cid}/usage}. */
    public Mono<ResponseEntity<Object>> traceConnectionUsage(String ws, String connectionId, ServerWebExchange exchange) {
        return Mono.defer(() -> connections.traceUsage(ws, connectionId, exchange));
    }

    /** {@code DELETE /api/v1/workspaces/{ws}/connections/{cid}}. */
    public Mono<ResponseEntity<Object>> deleteConnection(String ws, String connectionId, ServerWebExchange exchange) {
        return Mono.defer(() -> connections.delete(ws, connectionId, exchange));
    }

    /** {@code PATCH .../automations/{id}/schedule}. */
    public Mono<ResponseEntity<Object>> changeSchedule(String ws, String id, Map<String, Object> body, ServerWebExchange exchange) {
        return Mono.defer(() -> schedules.patch(ws, id, given(body, ScheduleWrite.class), null, exchange));
    }

    /** {@code POST .../automations/{id}/triggers}: 201 with the trigger. */
    public Mono<ResponseEntity<Object>> addTrigger(String ws, String id, Map<String, Object> body, ServerWebExchange exchange) {
        return Mono.defer(() -> schedules.addTrigger(ws, id, given(body, TriggerWrite.class), null, exchange));
    }

    private <T> T read(Map<String, Object> body, Class<T> type) {
        return body == null ? null : strict.readValue(strict.writeValueAsString(body), type);
    }

    /** {@code POST /api/v1/workspaces/{ws}/automations}: 201 {automation, secret}. */
    public Mono<ResponseEntity<Object>> create(String ws, Map<String, Object> body, ServerWebExchange exchange) {
        return Mono.defer(() -> automations.create(ws, given(body, AutomationWrite.class), null, exchange));
    }

    /** {@code PATCH /api/v1/workspaces/{ws}/automations/{id}}: 200 with the automation. */
    public Mono<ResponseEntity<Object>> update(String ws, String id, Map<String, Object> body, ServerWebExchange exchange) {
        return Mono.defer(() -> automations.update(ws, id, given(body, AutomationWrite.class), null, exchange));
    }

    /** {@code DELETE /api/v1/workspaces/{ws}/automations/{id}[?purge=true]}. */
    public Mono<ResponseEntity<Object>> delete(String ws, String id, boolean purge, ServerWebExchange exchange) {
        return Mono.defer(() -> automations.delete(ws, id, purge, null, exchange));
    }

    /** {@code POST /api/v1/workspaces/{ws}/automations/{id}/trigger}: 202 {run}. */
    public Mono<ResponseEntity<Object>> trigger(String ws, String id, Map<String, Object> body, ServerWebExchange exchange) {
        return Mono.defer(() -> schedules.trigger(ws, id,
                given(body, ScheduleCommandController.ManualRunRequest.class), exchange));
    }

    /** {@code POST /api/v1/workspaces/{ws}/automations/{id}/invoke}: 202 {run_id}. */
    public Mono<ResponseEntity<Object>> invoke(String ws, String id, Map<String, Object> body, ServerWebExchange exchange) {
        return Mono.defer(() -> schedules.invoke(ws, id, given(body, ScheduleCommandController.InvokeRequest.class), null,
                exchange));
    }

    /** {@code PATCH /api/v1/workspaces/{ws}/automations/{id}/triggers/{tid}}: 200 with the trigger. */
    public Mono<ResponseEntity<Object>> changeTrigger(String ws, String id, String tid, Map<String, Object> body,
                                                      ServerWebExchange exchange) {
        return Mono.defer(() -> schedules.changeTrigger(ws, id, tid, given(body, TriggerWrite.class), null, exchange));
    }

    /** {@code PUT /api/v1/workspaces/{ws}/automations/{id}/schedule}. */
    public Mono<ResponseEntity<Object>> setSchedule(String ws, String id, Map<String, Object> body, ServerWebExchange exchange) {
        return Mono.defer(() -> schedules.put(ws, id, given(body, ScheduleWrite.class), null, exchange));
    }

    /** {@code DELETE /api/v1/workspaces/{ws}/automations/{id}/schedule}. */
    public Mono<ResponseEntity<Object>> removeSchedule(String ws, String id, ServerWebExchange exchange) {
        return Mono.defer(() -> schedules.remove(ws, id, null, exchange));
    }

    /** {@code POST /api/v1/workspaces/{ws}/automations/{id}/schedule/enable} or {@code /disable}. */
    public Mono<ResponseEntity<Object>> enableSchedule(String ws, String id, boolean on, ServerWebExchange exchange) {
        return Mono.defer(() -> on ? schedules.enable(ws, id, null, exchange) : schedules.disable(ws, id, null, exchange));
    }

    private <T> Given<T> given(Map<String, Object> body, Class<T> record) {
        if (body == null) {
            return null;
        }
        JavaType type = strict.getTypeFactory().constructParametricType(Given.class, record);
        return strict.readValue(strict.writeValueAsString(body), type);
    }
}
