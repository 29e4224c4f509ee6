package dev.autoplane.standalone.seeds;

import org.springframework.stereotype.Component;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every seed door shares: an {@code /api/v1} answer (a view record or a map) as plain JSON fields, read with
 * the application's own mapper (snake_case), so that a door renames fields and adds none of its own rules.
 */
@Component
public class SeedJson {

    private final JsonMapper json;
    /** The same mapper writing {@code null} fields too: the seeds show theirs ({@code "last_error": null}). */
    private final JsonMapper withNulls;

    SeedJson(JsonMapper json) {
        this.json = json;
        this.withNulls = json.rebuild().changeDefaultPropertyInclusion(incl -> incl
                .withValueInclusion(JsonInclude.Include.ALWAYS).withContentInclusion(JsonInclude.Include.ALWAYS)).build();
    }

    /** An answer in the seed's shape, its {@code null} fields written out. */
    public ResponseEntity<Object> answer(HttpStatusCode status, HttpHeaders headers, Object body) {
        HttpHeaders h = new HttpHeaders();
        if (headers != null) {
            h.addAll(headers);
        }
        h.setContentType(MediaType.APPLICATION_JSON);
        return ResponseEntity.status(status).headers(h).body(withNulls.writeValueAsString(body));
    }

    /** The answer as a mutable map of its wire fields. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> fields(Object answer) {
        return answer == null ? new LinkedHashMap<>() : new LinkedHashMap<>(json.convertValue(answer, Map.class));
    }

    /** The list under {@code key} of an answer, each element as its wire fields. */
    public List<Map<String, Object>> list(Object answer, String key) {
        Object items = fields(answer).get(key);
        return items instanceof List<?> l ? l.stream().map(this::fields).toList() : List.of();
    }

    /** {@code m.get(key)} as a map (empty when absent). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> m, String key) {
        return m.get(key) instanceof Map<?, ?> o ? (Map<String, Object>) o : Map.of();
    }

    /** The id of the person in {@code created_by} ({kind, id}), or null for a service account. */
    public static String userOf(Map<String, Object> automation) {
        Map<String, Object> by = object(automation, "created_by");
        return "user".equals(by.get("kind")) ? (String) by.get("id") : null;
    }
}
