package dev.autoplane.command.web;

import io.swagger.v3.oas.annotations.media.Schema;
import org.openapitools.jackson.nullable.JsonNullable;

import java.util.Map;

/**
 * A trigger as a client writes it: an item of {@code triggers} in {@link AutomationWrite}, and the
 * body of {@code POST .../triggers} and {@code PATCH .../triggers/{tid}} (where an undefined field
 * is kept and {@code null} resets it). {@code config} stays a map: its fields depend on
 * {@code type}. The rules are {@code AutomationFields}'.
 */
@Schema(name = "TriggerWrite", description = "One trigger. config by type: cron {schedule, timezone?}, "
        + "interval {every, start_time?}, at {at}, webhook {endpoint?, filter? (dotted body paths to strings), scope? "
        + "(workspace | global)}, api {}. For a webhook trigger, filter may be a CEL expression over body and event.")
record TriggerWrite(
        @Schema(description = "made by the server when absent; cannot change", maxLength = 64) JsonNullable<String> id,
        @Schema(allowableValues = {"cron", "interval", "at", "webhook", "api"}) JsonNullable<String> type,
        @Schema(description = "depends on type", additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                example = "{\"schedule\": \"0 9 * * 1-5\", \"timezone\": \"Europe/Berlin\"}")
        JsonNullable<Map<String, Object>> config,
        @Schema(maxLength = 200) JsonNullable<String> event,
        @Schema(maxLength = 2_000) JsonNullable<String> filter,
        @Schema(allowableValues = {"PRE", "MAIN", "POST"}) JsonNullable<String> phaseType,
        JsonNullable<AutomationWrite.FireLimit> fireLimit,
        JsonNullable<AutomationWrite.Retry> retry,
        JsonNullable<Boolean> enabled) {
}
