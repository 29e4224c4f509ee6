package dev.autoplane.platform.axon;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.autoplane.platform.text.InvalidTextError;
import dev.autoplane.platform.text.TextRules;

import java.io.IOException;

/**
 * The last line of defence of {@link TextRules}: the Jackson 2 mapper that writes events and their
 * metadata into the event store refuses any string value or key with a lone surrogate or NUL, so
 * a field rule forgotten at the edge fails the command (nothing stored) instead of poisoning an
 * immutable history. The check is one linear scan of text that is being copied anyway.
 */
final class EventTextGuard extends SimpleModule {

    EventTextGuard() {
        super("autoplane-event-text-guard");
        addSerializer(String.class, new Values());
        addKeySerializer(String.class, new Keys());
    }

    static void check(String s) {
        String problem = TextRules.floorViolation(s);
        if (problem != null) {
            throw new InvalidTextError("a text value of this change " + problem
                    + "; nothing was stored");
        }
    }

    private static final class Values extends StdSerializer<String> {
        Values() {
            super(String.class);
        }

        @Override
        public void serialize(String value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            check(value);
            gen.writeString(value);
        }
    }

    private static final class Keys extends StdSerializer<String> {
        Keys() {
            super(String.class);
        }

        @Override
        public void serialize(String value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            check(value);
            gen.writeFieldName(value);
        }
    }
}
