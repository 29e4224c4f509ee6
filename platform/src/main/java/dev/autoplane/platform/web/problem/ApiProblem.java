package dev.autoplane.platform.web.problem;

import dev.autoplane.events.common.DomainException.FieldViolation;

import java.util.List;
import java.util.Map;

/**
 * An error answer that the web layer renders as RFC 9457 {@code application/problem+json}.
 * Thrown (or returned as {@code Mono.error}) by filters and controllers.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final List<FieldViolation> errors;
    private final Map<String, Object> properties;

    public ApiProblem(int status, String code, String title, String detail, List<FieldViolation> errors,
                      Map<String, Object> properties) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "bad_request", "Bad request", detail, null, null);
    }

    public static ApiProblem invalid(String field, String message) {
        return new ApiProblem(400, "validation_failed", "Validation failed", field + ": " + message,
                List.of(new FieldViolation(field, message)), null);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Unauthorized", detail, null, null);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", "Forbidden", detail, null, null);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not_found", "Not found", detail, null, null);
    }

    public static ApiProblem conflict(String code, String detail) {
        return new ApiProblem(409, code, "Conflict", detail, null, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public List<FieldViolation> errors() {
        return errors;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
