package dev.autoplane.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The read models' JSON documents, written and read with the projections' mapper. They are the
 * server's own output, so a failure here is a bug, never a client's input: it surfaces unchecked.
 */
public final class JsonDocuments {

    private JsonDocuments() {
    }

    public static String write(ObjectMapper mapper, Object document) {
        try {
            return mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + document.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(ObjectMapper mapper, String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a stored " + type.getSimpleName(), e);
        }
    }
}
