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
    private final JsonMapper strict;

    AutomationCommandDoor(AutomationCommandController automations, ScheduleCommandController schedules, JsonMapper json) {
        this.automations = automations;
        this.schedules = schedules;
        this.strict = StrictJsonCodecConfiguration.strict(json);
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
