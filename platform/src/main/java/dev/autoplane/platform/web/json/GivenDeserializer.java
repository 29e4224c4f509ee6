package dev.autoplane.platform.web.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@link Given}: first the body as a {@code Map<String, Object>} (so a body that is not an
 * object, has invalid text or duplicate keys fails exactly as such a body always has), then the
 * record from the same fields, leaving out each field that does not bind (a wrong JSON type, an
 * unknown name, a bad value inside a nested object): Jackson's error for it names the field first
 * in its path, that field is dropped and the rest bound again, at most once per field of the record
 * (the first unknown field drops all unknown ones: their number is the client's to choose). The field
 * rules then see the dropped fields in {@link Given#fields()} and report them with all the others.
 */
final class GivenDeserializer extends ValueDeserializer<Given<?>> {

    private final JavaType recordType;

    GivenDeserializer() {
        this(null);
    }

    private GivenDeserializer(JavaType recordType) {
        this.recordType = recordType;
    }

    @Override
    public ValueDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
        JavaType given = property != null ? property.getType() : ctxt.getContextualType();
        return new GivenDeserializer(given.containedTypeOrUnknown(0));
    }

    @Override
    public Given<?> deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
        JsonNode tree = ctxt.readTree(p);
        JavaType fieldsType = ctxt.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class);
        Map<String, Object> fields = ctxt.readTreeAsValue(tree, fieldsType);
        if (fields == null) {
            return null;
        }
        // what read as a map is an object (or, coerced, an empty one): bind the record from its fields
        // (the tree is this method's own: fields left out are removed from it, not from a copy)
        ObjectNode bindable = tree instanceof ObjectNode object ? object : ctxt.getNodeFactory().objectNode();
        for (int tries = 0; ; tries++) {
            try {
                return new Given<>(ctxt.readTreeAsValue(bindable, recordType), fields);
            } catch (DatabindException e) {
                if (tries > fields.size()) {
                    throw e;
                }
                int before = bindable.size();
                if (e instanceof PropertyBindingException unknown && unknown.getKnownPropertyIds() != null
                        && e.getPath().size() == 1) {
                    // every unknown top-level field at once: many unknown keys cost one more binding, not one per key
                    bindable.retain(unknown.getKnownPropertyIds().stream().map(String::valueOf).toList());
                } else {
                    String field = firstField(e);
                    if (field != null) {
                        bindable.remove(field);
                    }
                }
                if (bindable.size() == before) {
                    throw e; // not about one field of the body: it cannot be left out
                }
            }
        }
    }

    /** The top-level field a binding error is about, or {@code null}. */
    private static String firstField(JacksonException e) {
        return e.getPath().isEmpty() ? null : e.getPath().get(0).getPropertyName();
    }
}
