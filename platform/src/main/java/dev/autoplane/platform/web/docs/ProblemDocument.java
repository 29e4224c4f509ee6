package dev.autoplane.platform.web.docs;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** Documentation of the RFC 9457 problem body every error has. */
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record ProblemDocument(
        @Schema(example = "https://autoplane.dev/problems/validation_failed") String type,
        @Schema(example = "Validation failed") String title,
        @Schema(example = "400") int status,
        @Schema(example = "name: must be 1 to 200 characters after trimming") String detail,
        @Schema(example = "/api/v1/workspaces/00000000-0000-7000-8000-000000000001/automations") String instance,
        @Schema(description = "stable machine-readable code", example = "validation_failed") String code,
        @Schema(description = "field errors (validation only)") List<FieldErrorDocument> errors,
        @Schema(description = "the request id (also in the X-Request-Id header)") String requestId) {

    @Schema(name = "FieldError")
    public record FieldErrorDocument(@Schema(example = "name") String field,
                                     @Schema(example = "must be 1 to 200 characters after trimming") String message) {
    }
}
