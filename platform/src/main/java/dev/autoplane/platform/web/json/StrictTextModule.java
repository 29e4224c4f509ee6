package dev.autoplane.platform.web.json;

import dev.autoplane.platform.text.TextRules;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies carry text only as JSON strings that are valid Unicode without NUL: the decoder
 * refuses anything else before a controller sees it, wherever it sits (a record field, a map
 * value, a key, nested config). Three deserializers do it:
 * <ul>
 *   <li>{@code String}: only a JSON string is a string (no {@code 12345} or {@code true} turned
 *       into text), and it meets the floor of {@link TextRules};</li>
 *   <li>{@code String} map keys: the same floor;</li>
 *   <li>{@code Object} (the values of {@code Map<String, Object>} bodies, to any depth): plain maps,
 *       lists, numbers, booleans and checked strings and keys, failing with the path of the
 *       offending value.</li>
 * </ul>
 * Registered only on the HTTP decoder's mapper (see {@link StrictJsonCodecConfiguration}): stored
 * documents are read with the ordinary mapper, so data written before these rules stays readable.
 */
public final class StrictTextModule extends SimpleModule {

    public StrictTextModule() {
        super("autoplane-strict-text");
        addDeserializer(String.class, new StrictStringDeserializer());
        addKeyDeserializer(String.class, new StrictKeyDeserializer());
        addDeserializer(Object.class, new StrictUntypedDeserializer());
    }

    static String checked(JsonParser p, String text) {
        String problem = TextRules.floorViolation(text);
        if (problem != null) {
            throw new InvalidTextException(p, problem);
        }
        return text;
    }

    /** Only a JSON string becomes a {@code String}, and only a valid one. */
    static final class StrictStringDeserializer extends StdDeserializer<String> {

        StrictStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return checked(p, p.getString());
            }
            throw MismatchedInputException.from(p, String.class, "must be a string");
        }
    }

    /** Keys of typed maps. */
    static final class StrictKeyDeserializer extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) {
            return checked(ctxt.getParser(), key);
        }
    }

    /** Untyped values: what {@code Map<String, Object>} bodies hold, with every string and key checked. */
    static final class StrictUntypedDeserializer extends StdDeserializer<Object> {

        StrictUntypedDeserializer() {
            super(Object.class);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT) {
                t = p.nextToken();
            }
            if (t == JsonToken.PROPERTY_NAME || t == JsonToken.END_OBJECT) {
                return object(p, ctxt);
            }
            return switch (t) {
                case START_ARRAY -> array(p, ctxt);
                case VALUE_STRING -> checked(p, p.getString());
                case VALUE_NUMBER_INT -> p.getNumberValue();
                case VALUE_NUMBER_FLOAT -> ctxt.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                        ? p.getDecimalValue() : (Object) p.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case VALUE_EMBEDDED_OBJECT -> p.getEmbeddedObject();
                default -> ctxt.handleUnexpectedToken(Object.class, p);
            };
        }

        /** At the first property name (or the end) of an object. */
        private Map<String, Object> object(JsonParser p, DeserializationContext ctxt) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (JsonToken t = p.currentToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                String key = checked(p, p.currentName()); // a bad key is not named in the path: it is the problem
                try {
                    p.nextToken();
                    map.put(key, deserialize(p, ctxt));
                } catch (JacksonException e) {
                    throw DatabindException.wrapWithPath(ctxt, e, new JacksonException.Reference(map, key));
                }
            }
            return map;
        }

        private List<Object> array(JsonParser p, DeserializationContext ctxt) {
            List<Object> list = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                try {
                    list.add(deserialize(p, ctxt));
                } catch (JacksonException e) {
                    throw DatabindException.wrapWithPath(ctxt, e, new JacksonException.Reference(list, list.size()));
                }
            }
            return list;
        }
    }
}
