package dev.autoplane.platform.web.json;

import java.util.Map;

/**
 * A request body read twice from the same JSON: as its typed record (the contract, and the schema
 * the OpenAPI document shows: see {@code ApiDocsConfiguration}) and as the fields the client sent,
 * plain JSON values under their wire names. Used where the field rules of an aggregate judge the
 * body, so that they can report every violation at once, wrong JSON types and unknown fields
 * included (a typed binding alone stops at the first mismatch).
 *
 * <p>{@link #record()} holds every field that bound to its declared type; a field of the wrong type
 * or an unknown field is absent from it (for a {@code JsonNullable} component: undefined) and is in
 * {@link #fields()} only, where the rules find it and say what is wrong. See docs/api-conventions.md.
 *
 * @param record the fields that bound to the record's types
 * @param fields every field sent, as the strict decoder reads a {@code Map<String, Object>} body
 *               (text checked, no coercion); unmodifiable, in the order sent
 */
public record Given<T>(T record, Map<String, Object> fields) {

    public Given {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    /** Whether the client sent {@code field} (with any value, {@code null} included). */
    public boolean sent(String field) {
        return fields.containsKey(field);
    }
}
