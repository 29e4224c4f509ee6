package dev.autoplane.command.web;

import io.swagger.v3.oas.annotations.media.Schema;
import org.openapitools.jackson.nullable.JsonNullable;

import java.time.OffsetDateTime;

/**
 * The body of {@code PUT} (the whole schedule) and {@code PATCH} (the fields given; {@code null}
 * resets one to its default) of {@code .../schedule}: the binding and the OpenAPI schema in one.
 * The rules are the aggregate's {@code ScheduleFields}, which reads the body as sent (see
 * {@code Given}) and reports every violation at once.
 */
@Schema(name = "ScheduleWrite", description = "Exactly one of cron, interval or at (in a PATCH, giving one replaces the other two).")
record ScheduleWrite(
        @Schema(description = "5 fields or @hourly-style", example = "0 9 * * 1-5", maxLength = 200) JsonNullable<String> cron,
        @Schema(description = "PT15M or 15m; at least 1 second", example = "15m", maxLength = 64) JsonNullable<String> interval,
        @Schema(description = "one occurrence, in the future") JsonNullable<OffsetDateTime> at,
        @Schema(description = "IANA time zone, default UTC", example = "Europe/Berlin", maxLength = 64) JsonNullable<String> timezone,
        JsonNullable<OffsetDateTime> startTime,
        JsonNullable<End> end,
        @Schema(minimum = "0", maximum = "3600") JsonNullable<Integer> jitterSeconds,
        @Schema(description = "default 60", minimum = "0", maximum = "86400") JsonNullable<Integer> misfireGraceSeconds,
        @Schema(allowableValues = {"skip", "fire_once", "fire_all"}) JsonNullable<String> catchUpPolicy,
        @Schema(allowableValues = {"allow", "skip", "buffer_one", "cancel_other"}) JsonNullable<String> overlapPolicy) {

    @Schema(name = "ScheduleEnd", description = "never (default), after_occurrences with occurrences, or on_date with date")
    record End(@Schema(allowableValues = {"never", "after_occurrences", "on_date"}) String type,
               @Schema(minimum = "1", maximum = "1000000") Integer occurrences,
               OffsetDateTime date) {
    }
}
