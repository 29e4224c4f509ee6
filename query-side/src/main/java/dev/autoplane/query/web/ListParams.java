package dev.autoplane.query.web;

import dev.autoplane.events.common.DomainException.FieldViolation;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.web.problem.ApiProblem;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Query parameters of the run and occurrence listings, checked together: one {@code 400} names every
 * bad field at once.
 */
final class ListParams {

    private final List<FieldViolation> violations = new ArrayList<>();

    int pageSize(String value) {
        if (value == null || value.isEmpty()) {
            return PageToken.DEFAULT_SIZE;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 1) {
                violations.add(new FieldViolation("page_size", "must be at least 1"));
                return PageToken.DEFAULT_SIZE;
            }
            return (int) Math.min(n, PageToken.MAX_SIZE);
        } catch (NumberFormatException e) {
            violations.add(new FieldViolation("page_size", "must be an integer (1 to " + PageToken.MAX_SIZE
                    + "; larger values are coerced)"));
            return PageToken.DEFAULT_SIZE;
        }
    }

    /** The position in a page token of that kind, or {@code null} for the first page. */
    String pageToken(String kind, String token) {
        try {
            return PageToken.decode(kind, token);
        } catch (ApiProblem e) {
            violations.addAll(e.errors());
            return null;
        }
    }

    Instant instant(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(new FieldViolation(field, "must be an RFC 3339 timestamp like 2026-03-08T09:00:00Z"));
            return null;
        }
    }

    String oneOf(String field, String value, Collection<String> allowed) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!allowed.contains(value)) {
            violations.add(new FieldViolation(field, "must be one of " + String.join(", ", allowed)));
            return null;
        }
        return value;
    }

    String id(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!Ids.isWellFormed(value)) {
            violations.add(new FieldViolation(field, "must be an id (a lower-case UUID)"));
            return null;
        }
        return value;
    }

    String text(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > max) {
            violations.add(new FieldViolation(field, "must be at most " + max + " characters"));
            return null;
        }
        return value;
    }

    void require(boolean ok, String field, String message) {
        if (!ok) {
            violations.add(new FieldViolation(field, message));
        }
    }

    /** Throws one validation problem naming every bad field, if there is any. */
    void check() {
        if (!violations.isEmpty()) {
            String detail = violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; "));
            throw new ApiProblem(400, "validation_failed", "Validation failed", detail, violations, null);
        }
    }
}
