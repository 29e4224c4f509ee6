package dev.autoplane.events.common;

import java.util.List;
import java.util.Map;

/**
 * A business rule said no. Carries a stable {@code code}, a {@link Kind} that the web layer maps to
 * an HTTP status, field violations for validation errors and extra problem properties (for example
 * the current status of an automation when a transition is illegal).
 */
public class DomainException extends RuntimeException {

    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN, PRECONDITION_FAILED }

    public record FieldViolation(String field, String message) {
    }

    /** What travels across the command bus (also between processes, as CommandExecutionException details). */
    public record Details(String code, Kind kind, String message, List<FieldViolation> violations,
                          Map<String, Object> properties) {
    }

    private final Details details;

    public DomainException(Kind kind, String code, String message) {
        this(new Details(code, kind, message, List.of(), Map.of()));
    }

    public DomainException(Details details) {
        super(details.message(), null, false, false);
        this.details = details;
    }

    public static DomainException invalid(List<FieldViolation> violations) {
        String message = violations.size() == 1
                ? violations.get(0).field() + ": " + violations.get(0).message()
                : violations.size() + " fields are invalid";
        return new DomainException(new Details("validation_failed", Kind.INVALID, message, List.copyOf(violations), Map.of()));
    }

    public static DomainException invalid(String field, String message) {
        return invalid(List.of(new FieldViolation(field, message)));
    }

    public static DomainException conflict(String code, String message, Map<String, Object> properties) {
        return new DomainException(new Details(code, Kind.CONFLICT, message, List.of(), properties));
    }

    public static DomainException notFound(String code, String message) {
        return new DomainException(Kind.NOT_FOUND, code, message);
    }

    public static DomainException forbidden(String code, String message) {
        return new DomainException(Kind.FORBIDDEN, code, message);
    }

    public Details details() {
        return details;
    }
}
